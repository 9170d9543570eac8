// Who a clause is about: "I" (the speaker), "we", "my sister Emma", "Anna"; and whose "my" it is.
// A speaker other than the subject speaks for themselves: their "I" is them, their "my sister" is their sister.
import type { ExtractionInput } from './types.js';
import { isFiniteVerb, isKnownPersonName, PET_RE, RELATIVE_MODIFIERS, RELATIVE_RE } from './lexicon.js';
import type { Frame, RuleContext } from './pattern.js';
import { isUnreal } from './text.js';

/** Roles that transcripts use for the subject's own turns. */
const SUBJECT_ROLES = new Set(['user', 'human', 'me', 'self']);
/** Roles of software in a conversation: what they say in the first person is not about a person. */
const MACHINE_ROLES = new Set(['assistant', 'system', 'bot', 'ai', 'model', 'agent', 'tool', 'function', 'gpt', 'chatgpt', 'claude', 'gemini', 'copilot', 'developer']);

/** Whose "I" and "my" a turn speaks for: 'self', another person's name, or null for software. */
export function ownerOf(input: Pick<ExtractionInput, 'speaker' | 'subjectNames'>): string | null {
  const speaker = input.speaker?.trim();
  if (!speaker) return 'self';
  const lower = speaker.toLowerCase();
  if (SUBJECT_ROLES.has(lower) || isSubjectName(lower, input.subjectNames)) return 'self';
  if (MACHINE_ROLES.has(lower)) return null;
  return speaker;
}

function isSubjectName(lowerName: string, subjectNames: string[]): boolean {
  const first = lowerName.split(/\s+/)[0];
  return subjectNames.some((n) => {
    const name = n.trim().toLowerCase();
    return name === lowerName || (!name.includes(' ') && name === first) || (!lowerName.includes(' ') && name.split(/\s+/)[0] === lowerName);
  });
}

export function ruleContext(input: ExtractionInput, owner: string): RuleContext {
  const speaker = input.speaker?.trim().toLowerCase();
  return {
    occurredAt: input.occurredAt,
    owner,
    relative: (word) => (owner === 'self' ? word : `${owner}'s ${word}`),
    person: (name) => {
      const lower = name.toLowerCase();
      if (isSubjectName(lower, input.subjectNames)) return 'self';
      if (owner !== 'self' && lower === speaker) return owner;
      return name;
    },
  };
}

/** What may come before "I" without changing what follows ("Last year, I…", "In 2019 I…", "Now I…"). */
const SUBORDINATE_END = /\b(?:that|who|which|where|when|if|whether|because|since|as|than|like|said|say|says|think|thinks|know|knows|knew|wish|hope|and|or|but|so|why|how|what)\s*,?\s*$/i;
const HEDGE = /^(?<lead>think|guess|believe|suppose|feel like|reckon|(?:am|'m) (?:pretty |fairly |quite )?sure|bet)(?: that)?,? (?<subject>I|we) (?<rest>.+)$/i;
const SOFTENERS = /\b(?:maybe|probably|perhaps|possibly|likely|apparently|supposedly)\b/i;

const FIRST_PERSON = /(?:^|[\s,])(?<subject>I|[Ww]e|(?:[Mm]y|[Oo]ur) [\w-]+(?: [\w-]+)? and (?:I|me)|[A-Z][a-z]+ and (?:I|me)|(?:[Mm]e|I) and (?:[Mm]y|[Oo]ur) [\w-]+(?: [\w-]+)?) (?<rest>.+)$/;
const RELATIVE_SUBJECT = new RegExp(`^(?:[Mm]y|[Oo]ur) (?:(?:${RELATIVE_MODIFIERS}) )*(?<rel>${RELATIVE_RE}|${PET_RE})(?:,? (?:(?:named|called) )?(?<name>[A-Z][a-z'-]+(?: [A-Z][a-z'-]+)?),?)? (?<rest>[a-z].+)$`);
const NAMED_SUBJECT = /^(?<name>[A-Z][a-z'-]+(?: [A-Z][a-z'-]+)?) (?<rest>[a-z].+)$/;

function firstPersonFrame(clause: string, owner: string): Frame | null {
  const m = FIRST_PERSON.exec(clause);
  if (!m) return null;
  const prefix = clause.slice(0, m.index).trim();
  if (prefix && (isUnreal(prefix) || SUBORDINATE_END.test(prefix) || prefix.split(/\s+/).length > 6)) return null;
  let rest = m.groups!.rest!;
  let subject = m.groups!.subject!;
  let confidence = 1;
  const hedge = HEDGE.exec(rest);
  if (hedge) {
    rest = hedge.groups!.rest!;
    subject = hedge.groups!.subject!;
    confidence *= /sure|bet/i.test(hedge.groups!.lead!) ? 0.85 : 0.6;
  }
  if (isUnreal(rest.split(/\s+/).slice(0, 2).join(' '))) return null;
  return { about: owner, person: 'first', plural: subject !== 'I', rest, clause, confidence };
}

/** Base forms compromise files under nouns or adjectives ("work", "play", "live") that our rules start with. */
const VERB_STARTS = new Set(
  `am is are was were have has had do does did live work love like enjoy hate prefer play speak study own eat drink smoke go run swim
  plan want used never also just recently currently still really will turned grew come graduated started joined quit left became got
  moved went visited adore dislike practice teach`.split(/\s+/),
);
/** Whether a word is one of VERB_STARTS, as is or in the third person ("lives", "goes", "studies"). */
function startsPredicate(word: string): boolean {
  const candidates = [word, word.replace(/s$/, ''), word.replace(/es$/, ''), word.replace(/ies$/, 'y')];
  return candidates.some((c) => VERB_STARTS.has(c));
}

const COORDINATION = /(?:,\s*|\s+)(?:and|but)\s+(?=(?:also |then |now |still |currently )?([a-z]+)\b)/g;

/** "I live in Porto and work at Acme": one subject, two predicates, read as two frames. */
export function coordinated(frame: Frame): Frame[] {
  const rests: string[] = [];
  let start = 0;
  for (const m of frame.rest.matchAll(COORDINATION)) {
    const verb = m[1]!;
    if (!startsPredicate(verb) && !isFiniteVerb(verb)) continue;
    rests.push(frame.rest.slice(start, m.index));
    start = m.index! + m[0].length;
  }
  if (start === 0) return [frame];
  rests.push(frame.rest.slice(start));
  // Each predicate keeps its own dates; the first also keeps what came before the subject ("Last year I moved…").
  return rests.filter(Boolean).map((rest, i) => ({ ...frame, rest, clause: i === 0 ? frame.clause.replace(frame.rest, rest) : rest }));
}

/** Reads the subject of a clause, or null when it has none we can name (a pronoun, a question, a hypothetical). */
export function frameOf(clause: string, ctx: RuleContext): Frame | null {
  const frame = subjectFrame(clause, ctx);
  return frame && SOFTENERS.test(clause) ? { ...frame, confidence: frame.confidence * 0.7 } : frame;
}

function subjectFrame(clause: string, ctx: RuleContext): Frame | null {
  const relative = RELATIVE_SUBJECT.exec(clause);
  if (relative && !/^(?:and|I)\b/.test(relative.groups!.rest!)) {
    const { rel = '', name, rest = '' } = relative.groups!;
    const about = name ? ctx.person(name) : ctx.relative(rel.toLowerCase());
    return { about, person: 'third', plural: false, rest, clause, confidence: 1 };
  }
  const first = firstPersonFrame(clause, ctx.owner);
  if (first) return first;
  const named = NAMED_SUBJECT.exec(clause);
  if (named) {
    const name = named.groups!.name!;
    const about = ctx.person(name);
    if (about !== name || isKnownPersonName(name.split(' ')[0]!)) return { about, person: 'third', plural: false, rest: named.groups!.rest!, clause, confidence: 1 };
  }
  return noteFrame(clause, ctx);
}

/** Notes leave the subject out ("Lives in Porto. Works at Acme."): a clause opening on a verb is the writer's own. */
function noteFrame(clause: string, ctx: RuleContext): Frame | null {
  const verb = /^([A-Z][a-z]+)\s/.exec(clause)?.[1]?.toLowerCase();
  if (!verb) return null;
  const thirdPerson = /s$/.test(verb) && startsPredicate(verb);
  if (!thirdPerson && !(isFiniteVerb(verb) && VERB_STARTS.has(verb))) return null;
  return { about: ctx.owner, person: 'third', plural: false, rest: clause[0]!.toLowerCase() + clause.slice(1), clause, confidence: 0.8 };
}
