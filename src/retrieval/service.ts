// Search over a subject's memory: full-text (and vectors, when an embedder is configured) fused by
// reciprocal rank, then adjusted by what the question names — a speaker, a time — and by whether a
// belief is still current. Every hit says which signals put it there. One core for every face: the
// context assembly ranks with it too.
import { type Belief, beliefsByIds, evidenceOf } from '../beliefs/store.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/index.js';
import type { Logger } from '../platform/log.js';
import { feedbackTerms, inFirstPerson, matchedTerms, parseQuery, wantedPredicates } from './query.js';
import type { VectorSearch } from './vectors.js';
import { type LexicalHit, LexicalMemo, type SearchDoc, currentBeliefDocs, docsByIds, eventsInWindow, lexicalSearch, speakersNamed } from './store.js';

export interface SearchRequest {
  query: string;
  topK: number;
  /** Only what was known and said by then; beliefs as they stood then. */
  asOf?: number;
  /** When the question is asked: relative dates in it ("last May") count from here (default as_of, else now). */
  askedAt?: number;
}

/** `passage`: a turn found through the words of the turns around it, not its own. */
export type Signal = 'lexical' | 'passage' | 'vector' | 'predicate' | 'speaker' | 'time' | 'belief' | 'current' | 'superseded';

export interface SearchItem {
  kind: 'event' | 'belief';
  /** The event or belief id. */
  id: string;
  text: string;
  /** When it was said (events) or first learned (beliefs), epoch ms. */
  time: number;
  score: number;
  /** Envelope ids the item comes from: the event's own, or every envelope behind a belief. */
  evidence: string[];
  signals: Signal[];
  /** Query words the text shares. */
  matched: string[];
  speaker: string | null;
  sessionId: string | null;
  belief?: Pick<Belief, 'about' | 'predicate' | 'object' | 'statement' | 'status' | 'validFrom' | 'validTo' | 'whenAt' | 'confidence'>;
}

export interface SearchResult {
  items: SearchItem[];
  /** 'hybrid' when vectors took part; 'lexical' otherwise. */
  mode: 'lexical' | 'hybrid';
  /** Why vectors did not take part although configured (the embedder failed), when that happened. */
  degraded?: string;
  /** How the query was read: content words, speakers it names, the time window it points at. */
  interpreted: { terms: string[]; speakers: string[]; window: { from: number; to: number; text: string } | null };
}

/**
 * Reciprocal rank fusion: a hit at rank r (from 0) of a list adds the list's weight / (RRF_K + r + 1). The
 * constant sets how much a list's head counts against agreement between lists; the usual 60 (fusing
 * deep result lists of many search engines) favours hits that several lists rank middling. Measured
 * in-process with the bench's local encoder, together with the vector weight below and tied ranks
 * (`tiedRanks`): from 60 to 20, LoCoMo evidence recall@5 / @10 / @25 71.3 / 79.9 / 88.1 → 72.7 / 81.0 /
 * 88.6%, multi-hop recall@10 49.9 → 51.5%; LongMemEval_S all@5 90.6 → 92.9%, all@10 95.9 → 97.6%; without
 * vectors, LoCoMo recall@5 66.2 → 68.1%, @10 76.9 → 76.7%, LongMemEval all@5 87.2 → 87.8%. From 10 to 30 it
 * measured within a point of that.
 */
const RRF_K = 20;
/**
 * Each list's weight. The words count through two lists, the question's own (1) and with the feedback
 * words (0.6); the question's vector is one list and weighs as much as the two together (1.6), so that
 * meaning and words weigh alike where both find something. With the vector at 1 and RRF_K 20, LoCoMo
 * multi-hop recall@10 was 48.4% and LongMemEval all@5 91.2%; at 1.5 / 1.6 / 2, 50.4 / 50.3 / 51.0% and
 * 92.5 / 92.7 / 93.4%, with LoCoMo recall@10 81.4 / 81.2 / 80.1% (single-hop falls past 1.6).
 */
const weights = { lexicalEvent: 1, feedback: 0.6, lexicalBelief: 0.8, vector: 1.6, predicate: 0.8, window: 0.5 };

/**
 * Fusion ranks of a scored list, best first: hits of equal score share the rank of the first of them
 * (1, 2, 2, 4 in competition order, from 0 here). The word scores are sums of a few words' weights, so
 * many hits tie, and the order within a tie (by id) is arbitrary: it must not count, least of all where
 * RRF_K is small. Measured without vectors at RRF_K 60: LoCoMo multi-hop recall@10 42.9 → 44.8%, the
 * rest within 0.3; with vectors, multi-hop 49.9 → 51.9%.
 */
export function tiedRanks(scores: number[]): number[] {
  const ranks: number[] = [];
  scores.forEach((score, i) => ranks.push(i > 0 && scores[i - 1] === score ? ranks[i - 1]! : i));
  return ranks;
}

/** Feedback reads the five best turns and adds at most five words they share. */
const feedback = { docs: 5, terms: 5 };
// A named speaker nudges rather than decides: questions sometimes name the wrong person, or ask about
// what one person said to the other.
const boosts = { speaker: 0.15, time: 0.6, superseded: -0.5 };

/**
 * A sentence vector says as much about meaning as its text holds: a short turn ("Thanks, see you!") lands
 * near many questions for its tone alone. A vector hit counts in proportion to its text's words, in full
 * from `vectorFullWords` on. Measured with a local Universal Sentence Encoder (bench `--embedder use`):
 * with every vector hit in full, LoCoMo recall@10 fell 76.8 → 74.4% (single-hop 87.6 → 82.8%) while
 * LongMemEval_S preference questions rose 80 → 86.7%; in proportion to words, recall@10 76.4%
 * (multi-hop 42.9 → 46.1%) and preference 86.7%. Re-checked with the fusion of commit 58dae92: full from
 * 12 / 40 words, LongMemEval all@5 92.9 → 92.1 / 91.7%, LoCoMo recall@10 81.0 → 81.1 / 81.3%, recall@5
 * 72.7 → 72.7 / 71.8%; every vector hit in full, 92.1% and 80.9%.
 */
const vectorFullWords = 25;
export function vectorTrust(text: string): number {
  const words = text.split(/\s+/).filter(Boolean).length;
  return Math.min(1, words / vectorFullWords);
}

/** How many of the best hits are reordered to cover the question's words, and from how many. */
const cover = { take: 30, from: 60, bonus: 0.5 };

/**
 * A question that joins two things ("how long between the trip and the wedding?") is answered by turns
 * that each say one of them, and the best-scored turns often all say the same one. The first `cover.take`
 * hits are picked greedily from the best `cover.from`, each scored up by `cover.bonus` times the share of
 * the question's words that its text holds and no hit picked before it held, so the top covers the
 * question's parts before it repeats one. Hits that hold none of the words (found through their passage,
 * a vector, a belief's predicate) keep their score. Measured: LoCoMo recall@5 64.2 → 66.1%,
 * LongMemEval_S all@5 86.3 → 86.8%; recall@10 and answer coverage unchanged.
 */
export function coverFirst<T extends { score: number }>(sorted: T[], text: (hit: T) => string, terms: string[]): T[] {
  if (terms.length < 2) return sorted;
  const pool = sorted.slice(0, cover.from);
  const words = pool.map((hit) => matchedTerms(terms, text(hit)));
  const covered = new Set<string>();
  const taken = new Set<number>();
  const picked: T[] = [];
  while (picked.length < Math.min(cover.take, pool.length)) {
    let best = -1;
    let bestValue = -Infinity;
    pool.forEach((hit, i) => {
      if (taken.has(i)) return;
      const fresh = words[i]!.filter((w) => !covered.has(w)).length;
      const value = hit.score * (1 + (cover.bonus * fresh) / terms.length);
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    });
    taken.add(best);
    picked.push(pool[best]!);
    for (const w of words[best]!) covered.add(w);
  }
  return [...picked, ...pool.filter((_, i) => !taken.has(i)), ...sorted.slice(pool.length)];
}

interface Candidate {
  doc: SearchDoc;
  rrf: number;
  signals: Set<Signal>;
}

export class SearchService {
  constructor(private readonly deps: { database: Database; clock: Clock; log: Logger; vectors: VectorSearch | null }) {}

  /**
   * The documents nearest the question's vector, in rank order (a gap where a document is gone), or why
   * not: no embedder configured (lexical), or the embedder failed (lexical, and said so).
   */
  private async nearest(tenantId: string, subjectId: string, query: string, depth: number): Promise<{ docs: (SearchDoc | undefined)[]; mode: SearchResult['mode']; degraded?: string }> {
    if (!this.deps.vectors) return { docs: [], mode: 'lexical' };
    try {
      const near = await this.deps.vectors.nearest(tenantId, subjectId, query, depth);
      const docs = new Map((await docsByIds(this.deps.database.db, tenantId, subjectId, near.map((n) => n.docId))).map((d) => [d.id, d]));
      return { docs: near.map((n) => docs.get(n.docId)), mode: 'hybrid' };
    } catch (err) {
      this.deps.log.warn({ err, tenantId }, 'search fell back to lexical: the embedder failed');
      return { docs: [], mode: 'lexical', degraded: `embeddings unavailable (${err instanceof Error ? err.message : String(err)}); results are lexical only` };
    }
  }

  async search(tenantId: string, subjectId: string, req: SearchRequest): Promise<SearchResult> {
    const { database, clock } = this.deps;
    const db = database.db;
    const reference = req.askedAt ?? req.asOf ?? clock.now();
    const parsed = parseQuery(req.query, reference);
    const before = req.asOf;
    // Time travel sees a turn's own words only: its passage may hold turns said after as_of.
    const until = before === undefined ? {} : { before, ownWordsOnly: true };
    const memo = new LexicalMemo();
    const speakers = await speakersNamed(db, tenantId, subjectId, parsed.names);
    const speakerWords = new Set(speakers.map((s) => s.toLowerCase()));
    // A speaker's own name rarely appears in their turns; it is a signal about who spoke, not a word to match.
    const contentTerms = parsed.terms.filter((t) => !speakerWords.has(t));
    const terms = contentTerms.length ? contentTerms : parsed.terms;
    const depth = Math.max(50, req.topK * 4);

    // The question's vector is asked for first and its words searched meanwhile: the embedder's call is
    // the slowest part of a hybrid search. The word searches run one after another (on PostgreSQL, side by
    // side over several connections measured no faster: the time is the engine's work, not the trips).
    const vectorHits = this.nearest(tenantId, subjectId, inFirstPerson(req.query, speakers), depth);
    const candidates = new Map<number, Candidate>();
    const add = (doc: SearchDoc, rank: number, weight: number, signal: Signal) => {
      const c = candidates.get(doc.id) ?? { doc, rrf: 0, signals: new Set<Signal>() };
      c.rrf += weight / (RRF_K + rank + 1);
      c.signals.add(signal);
      candidates.set(doc.id, c);
    };
    const addRanked = (hits: LexicalHit[], weight: number, signal: Signal) => {
      const ranks = tiedRanks(hits.map((h) => h.score));
      hits.forEach((h, i) => add(h.doc, ranks[i]!, weight, signal));
    };
    const lexEvents = await lexicalSearch(database, tenantId, subjectId, { terms, kind: 'event', limit: depth, memo, ...until });
    addRanked(lexEvents, weights.lexicalEvent, 'lexical');
    // Pseudo-relevance feedback: the words the best turns share widen the query once.
    const extra = feedbackTerms(lexEvents.slice(0, feedback.docs).map((h) => h.doc.body), [...terms, ...speakerWords], feedback.terms);
    if (extra.length) {
      const expanded = await lexicalSearch(database, tenantId, subjectId, { terms: [...terms, ...extra], kind: 'event', limit: depth, memo, ...until });
      addRanked(expanded, weights.feedback, 'lexical');
    }
    const lexBeliefs = await lexicalSearch(database, tenantId, subjectId, { terms, kind: 'belief', limit: 20, memo, ...until });
    addRanked(lexBeliefs, weights.lexicalBelief, 'lexical');
    // "Where does she live?" shares no word with "lives in Porto" but asks for exactly that kind of fact.
    const fitting = await currentBeliefDocs(db, tenantId, subjectId, wantedPredicates(req.query), 10);
    fitting.filter((d) => before === undefined || d.occurredAt <= before).forEach((d, i) => add(d, i, weights.predicate, 'predicate'));

    // "What did I plant two weeks ago?": the question's words within its time window; when none match
    // there ("What did she do last May?"), what was said then by whoever the question names.
    if (parsed.window) {
      const window = { from: parsed.window.from, to: Math.min(parsed.window.to, before ?? Number.MAX_SAFE_INTEGER) };
      const inWindow = await lexicalSearch(database, tenantId, subjectId, { terms, kind: 'event', limit: depth, before: window.to - 1, after: window.from, ownWordsOnly: before !== undefined, memo });
      if (inWindow.length) addRanked(inWindow, weights.window, 'time');
      else (await eventsInWindow(db, tenantId, subjectId, window, speakers, depth)).forEach((d, i) => add(d, i, weights.window, 'time'));
    }

    const near = await vectorHits;
    near.docs.forEach((doc, i) => {
      if (doc && (before === undefined || doc.occurredAt <= before)) add(doc, i, weights.vector * vectorTrust(doc.body), 'vector');
    });
    const { mode, degraded } = near;

    const beliefIds = [...candidates.values()].filter((c) => c.doc.kind === 'belief').map((c) => c.doc.refId);
    const beliefs = new Map((await beliefsByIds(db, tenantId, subjectId, beliefIds)).map((b) => [b.id, b]));
    const evidence = await evidenceOf(db, tenantId, beliefIds);

    const scored: { c: Candidate; belief: Belief | undefined; score: number }[] = [];
    for (const c of candidates.values()) {
      let factor = 1;
      const belief = c.doc.kind === 'belief' ? beliefs.get(c.doc.refId) : undefined;
      // A turn the named person spoke, or a belief about them or theirs ("Leo's sister").
      const person = (belief ? belief.about.replace(/['’]s\b.*$/u, '') : c.doc.speaker)?.toLowerCase();
      if (person && speakerWords.has(person)) {
        factor += boosts.speaker;
        c.signals.add('speaker');
      }
      if (c.doc.kind === 'belief') {
        if (!belief) continue;
        if (belief.status === 'retracted') continue;
        c.signals.add('belief');
        const superseded = belief.status === 'superseded' && (before === undefined || (belief.supersededAt ?? 0) <= before);
        c.signals.add(superseded ? 'superseded' : 'current');
        if (superseded) factor += boosts.superseded;
      }
      const at = belief?.whenAt ?? c.doc.occurredAt;
      if (parsed.window && at >= parsed.window.from && at < parsed.window.to) {
        factor += boosts.time;
        c.signals.add('time');
      }
      scored.push({ c, belief, score: c.rrf * factor });
    }
    scored.sort((a, b) => b.score - a.score || b.c.doc.occurredAt - a.c.doc.occurredAt);
    const ranked = coverFirst(scored, (x) => x.c.doc.body, terms);
    // Only the hits returned are described.
    const searched = [...terms, ...extra];
    const items = ranked.slice(0, req.topK).map(({ c, belief, score }): SearchItem => {
      // Found by words, but none of them its own: the turns around it (its passage) held them.
      if (c.signals.has('lexical') && c.doc.kind === 'event' && !matchedTerms(searched, c.doc.body).length) c.signals.add('passage');
      return {
        kind: c.doc.kind,
        id: c.doc.refId,
        text: c.doc.body,
        time: c.doc.occurredAt,
        score,
        evidence: belief ? (evidence.get(belief.id) ?? []) : c.doc.envelopeId ? [c.doc.envelopeId] : [],
        signals: [...c.signals],
        matched: matchedTerms(terms, c.doc.body),
        speaker: c.doc.speaker,
        sessionId: c.doc.sessionId,
        ...(belief
          ? {
              belief: {
                about: belief.about,
                predicate: belief.predicate,
                object: belief.object,
                statement: belief.statement,
                status: belief.status,
                validFrom: belief.validFrom,
                validTo: belief.validTo,
                whenAt: belief.whenAt,
                confidence: belief.confidence,
              },
            }
          : {}),
      };
    });
    return {
      items,
      mode,
      ...(degraded ? { degraded } : {}),
      interpreted: { terms, speakers, window: parsed.window },
    };
  }
}
