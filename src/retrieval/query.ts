// Reading a search query: its content words, the people it names, and the time it points at. General
// rules of English questions; nothing here knows any particular data set.
import { type DateUnit, type ResolvedDate, findAnchored, findDate, findSpan, isWeekday } from '../extraction/dates.js';

/** Words that say how a question is asked, not what it is about: dropped before the index is queried. */
const stopwords = new Set(
  `a an the and or but nor of to in on at for with from by about as into onto over under after before than then
  is are was were be been being am do does did doing done have has had having get got gets getting
  i me my mine myself you your yours yourself he him his himself she her hers herself it its itself
  we us our ours ourselves they them their theirs themselves one ones someone something anything
  what which who whom whose when where why how this that these those there here
  any some all both each either neither much many more most few other such own same
  can could would should will shall may might must ought not no yes so if too very just also only even ever
  kind sort type way thing things stuff lot lots really quite well maybe perhaps please
  tell say said know think let like
  mention mentioned mentioning remember remembered recall recalled told since ago passed total`.split(/\s+/),
);

export interface TimeWindow {
  from: number;
  to: number;
  /** The words that named it, e.g. "last May". */
  text: string;
}

export interface ParsedQuery {
  /** Lower-case content words, in order, without stopwords or the time expression. */
  terms: string[];
  /** Capitalised words that may name a person (not the question's first word unless it is not a stopword). */
  names: string[];
  window: TimeWindow | null;
}

const DAY = 86_400_000;

function windowEnd(at: number, unit: DateUnit): number {
  const d = new Date(at);
  switch (unit) {
    case 'day':
      return at + DAY;
    case 'week':
      return at + 7 * DAY;
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    case 'season':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 3, 1);
    case 'year':
      return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
  }
}

const windowMargin: Record<DateUnit, number> = { day: 2 * DAY, week: 3 * DAY, month: 7 * DAY, season: 0, year: 0 };

/** A stretch against a date ("the week before August 3"), with a day's margin on its closed ends (see parseQuery). */
function anchoredWindow(query: string, reference: number): { from: number; to: number; start: number; end: number } | null {
  const found = findAnchored(query, reference);
  if (!found) return null;
  const margin = windowMargin.day;
  return { ...found, from: found.from === Number.MIN_SAFE_INTEGER ? found.from : found.from - margin, to: found.to + margin };
}

/**
 * The date a question names. A weekday said with a wider time ("the Wednesday two months ago") is a day
 * within that time, not the latest such weekday: the wider time is the window, and when the two are said
 * together the words of both leave the terms.
 */
function questionDate(query: string, reference: number): ResolvedDate | null {
  const date = findDate(query, reference, 'past');
  if (!date || !isWeekday(query.slice(date.start, date.end))) return date;
  const blanked = `${query.slice(0, date.start)}${' '.repeat(date.end - date.start)}${query.slice(date.end)}`;
  const wider = findDate(blanked, reference, 'past');
  if (!wider) return date;
  const [first, second] = wider.start < date.start ? [wider, date] : [date, wider];
  const together = /^[\s,]*(?:(?:of|in|the)\s+)*$/i.test(query.slice(first.end, second.start));
  return together ? { ...wider, start: first.start, end: second.end } : wider;
}

const words = (text: string) => text.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];

/** Splits a question into what to look for; `reference` is the moment relative dates ("last May") count from. */
export function parseQuery(query: string, reference: number): ParsedQuery {
  // "in the past two weeks" is a stretch up to now; "two weeks before August 11", "since May" a stretch
  // against a date; otherwise a date with its unit ("last May").
  const span = findSpan(query, reference) ?? anchoredWindow(query, reference);
  const date = span ? null : questionDate(query, reference);
  // People place recent things loosely ("a week ago" may be eight days) and mention them a day or two
  // after they happen, so short windows get a margin on each side.
  const margin = date ? windowMargin[date.unit] : 0;
  const found = span ?? (date ? { from: date.at - margin, to: windowEnd(date.at, date.unit) + margin, start: date.start, end: date.end } : null);
  // Everything remembered was said before the question; a time after it ("next week", "in a day") says
  // when something is planned or how often it happens ("how many do I use in a day"), not when to look.
  // Its words still leave the terms: they say when, not what.
  const ahead = span ? span.from > reference : date ? date.at > reference : false;
  const window = found && !ahead ? { from: found.from, to: found.to, text: query.slice(found.start, found.end) } : null;
  const rest = found ? `${query.slice(0, found.start)} ${query.slice(found.end)}` : query;
  const terms: string[] = [];
  const names: string[] = [];
  for (const raw of words(rest)) {
    const word = raw.replace(/['’]s$/u, '');
    const lower = word.toLowerCase();
    if (/^\p{Lu}/u.test(word) && !stopwords.has(lower)) names.push(word);
    if (lower.length > 1 && !stopwords.has(lower)) terms.push(lower);
    else if (/^\p{N}+$/u.test(lower)) terms.push(lower);
  }
  return { terms: [...new Set(terms)], names: [...new Set(names)], window };
}

/**
 * The question as its vector should see it: asked in the first person of the speaker it names ("What has
 * Melanie painted?" → "What has I painted?", "Melanie's kids" → "my kids"). A turn is embedded as it was
 * said, in its speaker's own words and without their name (vectors.ts), so a name in the question only
 * pulls the vector towards turns that address or mention that person ("Hey Mel!"), while "I" and "my" are
 * how that person spoke of themselves; who spoke is search's speaker signal. Only names of the subject's
 * speakers are replaced. Measured on LoCoMo with the bench's local encoder, in-process on one ingest:
 * with the names left out, evidence recall@10 79.4 → 79.7%, multi-hop 49.4 → 50.0%; in the first person
 * instead of left out, recall@5 / @10 70.8 / 79.8 → 71.3 / 79.9%, open-domain recall@10 42.9 → 44.3%,
 * adversarial 88.1 → 88.9%, single-hop 89.8 → 89.5%, multi-hop unchanged; in the second person ("you",
 * "your") recall@10 fell to 79.5%. A question that is nothing but names is left as it is.
 */
export function inFirstPerson(query: string, names: string[]): string {
  let rest = query;
  let left = query;
  for (const name of names) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
    const said = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?:['’]s)?(?![\\p{L}\\p{N}])`, 'gu');
    rest = rest.replace(said, (found) => (/['’]s$/u.test(found) ? 'my' : 'I'));
    left = left.replace(said, ' ');
  }
  return /[\p{L}\p{N}]/u.test(left) ? rest : query;
}

/** A crude stem, only to tell which query words a result shares (the index does its own stemming). */
export function stem(word: string): string {
  return word.toLowerCase().replace(/(?:ing|ed|es|s|ly)$/u, '') || word.toLowerCase();
}

/** Which of the query's terms appear in a text, compared by crude stem. */
export function matchedTerms(terms: string[], text: string): string[] {
  const present = new Set(words(text).map(stem));
  return terms.filter((t) => present.has(stem(t)));
}

/** What kind of fact a question wants, by its wording → the belief predicates that answer it. */
const questionKinds: [RegExp, string[]][] = [
  [/\bwhere\b|\blive|\bcity\b|\bmove|\bhome\b|\bfrom\b|\bbased\b/i, ['lives_in', 'from', 'birthplace', 'visited', 'country', 'nationality']],
  [/\bwork|\bjob\b|\bcareer|\bemploy|\bcompany\b|\bprofession|\boccupation/i, ['works_at', 'job_title', 'studies_at', 'industry', 'employment_status']],
  [/\bhow old\b|\bage\b|\bbirthday|\bborn\b/i, ['age', 'birthday', 'birth_year', 'birthplace']],
  [/\bname\b|\bcalled\b/i, ['name', 'nickname']],
  [/\bmarried|\bpartner|\bwife|\bhusband|\bgirlfriend|\bboyfriend|\bsingle\b|\brelationship/i, ['relationship_status', 'partner']],
  [/\bpets?\b|\bdogs?\b|\bcats?\b/i, ['has_pet']],
  [/\bkids?\b|\bchild|\bsons?\b|\bdaughters?\b|\bsiblings?\b|\bbrothers?\b|\bsisters?\b|\bfamily\b/i, ['has_child', 'has_sibling', 'lives_with']],
  [/\blike|\blove|\benjoy|\bfavou?rite|\bprefer|\bhobb|\bfun\b|\binterest/i, ['likes', 'loves', 'prefers', 'hobby', 'favorite_food', 'favorite_band', 'hates']],
  [/\beat\b|\bfood|\bdiet|\bvegetarian|\bvegan|\ballerg/i, ['diet', 'eats', 'allergic_to', 'favorite_food']],
  [/\bplan|\bgoing to\b|\bnext\b|\bupcoming|\bwill\b|\bwants? to\b/i, ['plans_to', 'wants_to', 'has_event']],
  [/\blanguage|\bspeak/i, ['speaks', 'native_language']],
];

/** Predicates whose beliefs answer this kind of question ("where does she live" → lives_in, from, …). */
export function wantedPredicates(query: string): string[] {
  return [...new Set(questionKinds.filter(([ask]) => ask.test(query)).flatMap(([, predicates]) => predicates))];
}

/**
 * What people say in any conversation, whatever it is about: greetings, thanks, praise, agreement. The
 * best turns share them because every turn does, so they say nothing of a question's topic (and, said in
 * most turns, cost the most to look up).
 */
const chatter = new Set(
  `hey hello thanks thank wow awesome amazing cool great good nice glad sounds totally super really yeah yep sure
  love lovely wonderful fantastic incredible happy fun okay right bye definitely absolutely`.split(/\s+/),
);

/**
 * Words that the best matches share beyond the query's own (pseudo-relevance feedback): a question's
 * topic is usually said with more words than the question uses. Only words found in at least two of the
 * texts, most frequent first.
 */
export function feedbackTerms(texts: string[], exclude: string[], limit: number): string[] {
  const skip = new Set(exclude.map((w) => w.toLowerCase()));
  const counts = new Map<string, number>();
  for (const text of texts) {
    // "[shared: …]" is how an attachment's description is indexed (indexing.ts), not something said.
    const said = text.toLowerCase().replace(/\[shared:/gu, ' ');
    const seen = new Set((said.match(/[\p{L}]{3,}/gu) ?? []).filter((w) => !stopwords.has(w) && !chatter.has(w) && !skip.has(w)));
    for (const w of seen) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return [...counts.entries()].filter(([, n]) => n >= 2).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit).map(([w]) => w);
}
