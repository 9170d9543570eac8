// Context assembly: what an LLM should know about a subject, in priority order, within a token budget.
// ai_ready: who they are now → what answers the question (the search core: beliefs and the turns
// themselves) or, without a question, what they have told us → recent episodes → narrative → advice.
import type { BeliefService, BeliefWithEvidence } from '../beliefs/service.js';
import type { Episode } from '../episodes/store.js';
import { runsOf, summarizeRun } from '../episodes/summary.js';
import { type ResolvedDate, describeDate, findDate, findDuration, monthName, spokenDay } from '../extraction/dates.js';
import type { Clock } from '../platform/clock.js';
import { toIso } from '../platform/clock.js';
import { countTokens, fitLines, tokenizerName } from '../platform/tokens.js';
import type { ContextFormat } from './formats.js';
import type { SearchItem, SearchService } from '../retrieval/service.js';

export interface ContextRequest {
  format: ContextFormat;
  includeBeliefs: boolean;
  includeNarrative: boolean;
  includeRecommendations: boolean;
  /** Rank what is relevant to this question first. */
  query?: string;
  /** Hard budget for ai_ready.text, counted with the server tokenizer. */
  maxTokens?: number;
  /** Valid-time travel: what was true then. */
  asOf?: number;
}

export interface ContextSection {
  name: 'identity' | 'beliefs' | 'episodes' | 'narrative' | 'recommendations';
  title: string;
  lines: string[];
  token_count: number;
}

export interface AssembledContext {
  computedAt: number;
  aiReady?: { text: string; token_count: number; max_tokens: number; sections: ContextSection[]; tokenizer: string };
  raw?: { beliefs: BeliefWithEvidence[]; superseded: BeliefWithEvidence[]; episodes: Episode[] };
  summary?: { text: string; belief_count: number; episode_count: number };
}

export interface ContextSources {
  beliefs: BeliefService;
  search: SearchService;
  recentEpisodes: (tenantId: string, subjectId: string, options: { limit: number; before?: number }) => Promise<Episode[]>;
  clock: Clock;
  defaultMaxTokens: number;
}

/** Facts that say who someone is, shown first and always (when they fit). */
const identityPredicates = [
  'name', 'age', 'birthday', 'gender', 'pronouns', 'from', 'lives_in', 'native_language',
  'job_title', 'works_at', 'studies_at', 'relationship_status', 'partner', 'diet',
];

const day = (ms: number) => toIso(ms).slice(0, 10);

/** A day as people write it ("8 May 2023"): what a reader, or an LLM asked "when", can quote. */
const render = (sections: ContextSection[]) => sections.map((s) => `## ${s.title}\n${s.lines.join('\n')}`).join('\n\n');

/** "(Leo's sister) works at a bakery [on 2026-05-03]": whom it is about, unless the subject, and its date. */
function statementOf(b: Pick<BeliefWithEvidence, 'about' | 'statement' | 'whenAt'>): string {
  const who = b.about === 'self' ? '' : `(${b.about}) `;
  const when = b.whenAt ? ` [on ${day(b.whenAt)}]` : '';
  return `${who}${b.statement}${when}`;
}

function beliefLine(b: BeliefWithEvidence): string {
  return `- ${statementOf(b)} (confidence ${b.effectiveConfidence.toFixed(2)})`;
}

/** Without a question: the surest and most recently confirmed first. */
function byStrength(beliefs: BeliefWithEvidence[]): BeliefWithEvidence[] {
  const now = Math.max(0, ...beliefs.map((b) => b.lastConfirmed));
  const strength = (b: BeliefWithEvidence) => b.effectiveConfidence + 0.25 / (1 + (now - b.lastConfirmed) / (30 * 86_400_000));
  return [...beliefs].sort((a, b) => strength(b) - strength(a) || b.lastConfirmed - a.lastConfirmed);
}

/** Long turns are cut to the sentences that share the question's words (and the first one, for context). */
const EXCERPT_WORDS = 90;
function excerpt(item: SearchItem): string {
  const text = item.text.replace(/\s+/g, ' ').trim();
  if (text.split(' ').length <= EXCERPT_WORDS) return text;
  const sentences = text.match(/[^.!?]+[.!?]*/g) ?? [text];
  const wanted = new Set(item.matched.map((m) => m.toLowerCase()));
  const keep = sentences.filter((s, i) => i === 0 || [...wanted].some((w) => s.toLowerCase().includes(w)));
  return keep.slice(0, 4).join(' … ').split(' ').slice(0, EXCERPT_WORDS * 2).join(' ');
}

/** A resolved date as people say it, to its precision: "7 May 2023", "week of 1 May 2023", "May 2023", "2022". */
function spokenDate(date: Pick<ResolvedDate, 'at' | 'unit'>): string {
  switch (date.unit) {
    case 'day':
      return spokenDay(date.at);
    case 'week':
      return `week of ${spokenDay(date.at)}`;
    case 'month':
      return `${monthName(date.at)} ${new Date(date.at).getUTCFullYear()}`;
    case 'season':
      return describeDate(date).replace(/^in /, '');
    case 'year':
      return String(new Date(date.at).getUTCFullYear());
  }
}

/**
 * "I went yesterday" said on 8 May reads "I went yesterday (7 May 2023)": the first time a turn names
 * relative to when it was said is resolved, as a reader needs it when the turn is shown out of its day.
 * Dates the turn gives whole (with their year) are left as they are.
 */
function withDate(text: string, saidAt: number): string {
  const future = /\b(?:will|'ll|going to|gonna|plan(?:ning)? to|about to)\b/i.test(text);
  const date = findDate(text, saidAt, future ? 'future' : 'past');
  if (date && !date.explicitYear) {
    const said = text.slice(date.start, date.end);
    const resolved = spokenDate(date);
    return said.toLowerCase().includes(resolved.toLowerCase()) ? text : `${text.slice(0, date.end)} (${resolved})${text.slice(date.end)}`;
  }
  // "I've painted for seven years" said in 2023: since 2016.
  const since = findDuration(text, saidAt);
  if (!since) return text;
  return `${text.slice(0, since.end)} (since ${spokenDate({ at: since.at, unit: since.unit === 'week' ? 'day' : since.unit })})${text.slice(since.end)}`;
}

/** A search hit as a context line: a belief as a statement, a turn with its speaker (its day heads its group). */
function hitLine(item: SearchItem): string {
  if (item.belief) return `- ${statementOf(item.belief)}${item.belief.status === 'superseded' ? ' (no longer true)' : ''}`;
  return `- ${item.speaker ? `${item.speaker}: ` : ''}${withDate(excerpt(item), item.time)}`;
}

/**
 * The search hits that fit `budget`, chosen best first and shown beliefs first, then turns grouped under
 * their day in the order they were said: one date per day instead of one per turn leaves room for more
 * turns, and a conversation reads in its own order.
 */
function packHits(items: SearchItem[], budget: number): string[] {
  const beliefs: string[] = [];
  const days = new Map<string, { at: number; turns: { at: number; line: string }[] }>();
  let used = 0;
  for (const item of items) {
    const line = hitLine(item);
    const day = item.belief ? undefined : spokenDay(item.time);
    const header = day !== undefined && !days.has(day) ? `On ${day}:` : undefined;
    const cost = countTokens(`\n${line}`) + (header ? countTokens(`\n${header}`) : 0);
    if (used + cost > budget) continue;
    used += cost;
    if (day === undefined) beliefs.push(line);
    else {
      const group = days.get(day) ?? { at: item.time, turns: [] };
      group.turns.push({ at: item.time, line });
      days.set(day, group);
    }
  }
  const groups = [...days.entries()].sort((a, b) => a[1].at - b[1].at);
  return [...beliefs, ...groups.flatMap(([day, g]) => [`On ${day}:`, ...g.turns.sort((a, b) => a.at - b.at).map((t) => t.line)])];
}

/** Stated preferences turned into advice for whoever talks to this person next. */
function recommendations(beliefs: BeliefWithEvidence[]): string[] {
  const out: string[] = [];
  for (const b of beliefs) {
    if (b.about !== 'self') continue;
    if (b.predicate === 'diet') out.push(`- Respect their diet (${b.object}) in any food suggestion.`);
    else if (['likes', 'loves', 'enjoys', 'prefers'].includes(b.predicate) && b.positive) out.push(`- They like ${b.object}; it is a good reference point.`);
    else if (['dislikes', 'hates'].includes(b.predicate) || (b.predicate === 'likes' && !b.positive)) out.push(`- Avoid suggesting ${b.object}.`);
    else if (b.predicate.startsWith('prefers_') || b.predicate === 'communication_style') out.push(`- ${b.statement[0]!.toUpperCase()}${b.statement.slice(1)}.`);
  }
  return [...new Set(out)].slice(0, 8);
}

/** One line per run of episodes (a session, or a stretch without a long gap), most recent runs. */
function narrative(episodes: Episode[]): string[] {
  return runsOf(episodes)
    .slice(-5)
    .map((run) => `- ${summarizeRun(run)}`);
}

export class ContextService {
  constructor(private readonly sources: ContextSources) {}

  async assemble(tenantId: string, subjectId: string, req: ContextRequest): Promise<AssembledContext> {
    const { beliefs: beliefService, recentEpisodes, clock, defaultMaxTokens } = this.sources;
    const current = await beliefService.current(tenantId, subjectId, req.asOf === undefined ? {} : { asOf: req.asOf });
    const episodes = await recentEpisodes(tenantId, subjectId, { limit: 20, ...(req.asOf === undefined ? {} : { before: req.asOf }) });
    const out: AssembledContext = { computedAt: clock.now() };

    if (req.format === 'raw') {
      const superseded = await beliefService.list(tenantId, subjectId, { status: 'superseded', limit: 500, offset: 0 });
      out.raw = { beliefs: current, superseded, episodes };
      return out;
    }

    const ranked = byStrength(current);
    const identity = identityPredicates
      .flatMap((p) => ranked.filter((b) => b.about === 'self' && b.predicate === p && b.positive))
      .map(beliefLine);
    const identitySet = new Set(identity);
    const hits =
      req.includeBeliefs && req.query
        ? (await this.sources.search.search(tenantId, subjectId, { query: req.query, topK: 60, ...(req.asOf === undefined ? {} : { asOf: req.asOf }) })).items
        : null;
    const relevant = !req.includeBeliefs || hits ? [] : ranked.map(beliefLine).filter((l) => !identitySet.has(l));
    const episodeLines = episodes.slice(0, 10).map((e) => `- ${day(e.occurredAt)}: ${e.summary}`);

    if (req.format === 'summary') {
      const facts = ranked.filter((b) => b.about === 'self').slice(0, 6).map((b) => b.statement);
      const text = [
        // Statements are third-person predicates ("lives in Porto"), so they read after a singular subject.
        facts.length ? `The user ${facts.join('; ')}.` : 'Nothing is known about the user yet.',
        episodes.length ? `Most recently (${day(episodes[0]!.occurredAt)}): ${episodes[0]!.summary}` : '',
      ].filter(Boolean).join(' ');
      out.summary = { text, belief_count: current.length, episode_count: episodes.length };
      return out;
    }

    const budget = req.maxTokens ?? defaultMaxTokens;
    // A section's lines are kept in order while they fit, unless it says how to fit itself.
    const plan: (Omit<ContextSection, 'token_count'> & { fit?: (tokens: number) => string[] })[] = [
      { name: 'identity', title: 'Who they are now', lines: identity },
      {
        name: 'beliefs',
        title: req.query ? 'Most relevant to the question' : 'What they have told us',
        lines: relevant,
        ...(hits ? { fit: (tokens: number) => packHits(hits, tokens) } : {}),
      },
      { name: 'episodes', title: 'Recent episodes', lines: episodeLines },
      ...(req.includeNarrative ? [{ name: 'narrative' as const, title: 'Narrative', lines: narrative(episodes) }] : []),
      ...(req.includeRecommendations ? [{ name: 'recommendations' as const, title: 'How to talk to them', lines: recommendations(current) }] : []),
    ];
    const sections: ContextSection[] = [];
    let used = 0;
    for (const part of plan) {
      if (!part.lines.length && !part.fit) continue;
      const header = `## ${part.title}`;
      const headerCost = countTokens((used ? '\n\n' : '') + header);
      if (used + headerCost >= budget) break;
      const room = budget - used - headerCost - 1;
      const kept = part.fit ? part.fit(room) : fitLines(part.lines, room).kept;
      if (!kept.length) continue;
      const block = `${used ? '\n\n' : ''}${header}\n${kept.join('\n')}`;
      const cost = countTokens(block);
      if (used + cost > budget) break;
      sections.push({ name: part.name, title: part.title, lines: kept, token_count: cost });
      used += cost;
    }
    let text = render(sections);
    // Section costs are counted apart; the joined text is the one that must fit, so trim its tail if not.
    while (countTokens(text) > budget && sections.length) {
      const last = sections[sections.length - 1]!;
      last.lines.pop();
      if (!last.lines.length) sections.pop();
      text = render(sections);
    }
    for (const s of sections) s.token_count = countTokens(`## ${s.title}\n${s.lines.join('\n')}`);
    out.aiReady = { text, token_count: countTokens(text), max_tokens: budget, sections, tokenizer: tokenizerName };
    return out;
  }
}
