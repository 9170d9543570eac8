// What of each memory is searchable, written into the search index in the same transaction as the
// memory itself: an event when it is accepted (so it can be found at once), a belief when it is learned.
// A turn is indexed twice over: its own words, and its passage — itself with the turns around it — since
// in a conversation an answer rarely repeats the question it answers.
import type { Kysely } from 'kysely';
import type { Belief } from '../beliefs/store.js';
import type { MemoryEvent } from '../events/store.js';
import type { DB } from '../platform/db/schema.js';
import { type NewDoc, indexDocs, lockPassages, neighbours, setPassages } from './store.js';

/** Descriptions of what was shared with a message (an image's caption, a file's alt text) are part of what was said. */
export function attachmentText(data: Record<string, unknown>): string[] {
  const list = Array.isArray(data.attachments) ? data.attachments : [];
  const out: string[] = [];
  for (const a of list) {
    if (!a || typeof a !== 'object') continue;
    const { caption, description, alt_text: alt } = a as Record<string, unknown>;
    for (const v of [caption, description, alt]) if (typeof v === 'string' && v.trim()) out.push(v.trim());
  }
  return out;
}

/** Turns on each side of a turn in its passage (migration 0012 fills existing passages with the same span). */
export const PASSAGE_SPAN = 2;

/** The passage of the turn at `i` of a run of turns in order: its body with up to `span` bodies each side. */
export function passageOf(bodies: string[], i: number, span = PASSAGE_SPAN): string {
  return bodies.slice(Math.max(0, i - span), i + span + 1).join(' ');
}

/**
 * Sets the passage of every turn among `docs` from the turns of its session (or, without one, its
 * subject's turns) in time order, as accepting them one by one would: for turns stored in bulk.
 */
export function fillPassages(docs: NewDoc[]): void {
  const runs = new Map<string, NewDoc[]>();
  for (const d of [...docs].sort((a, b) => a.occurredAt - b.occurredAt)) {
    const key = `${d.subjectId}\u0000${d.sessionId ?? ''}`;
    const run = runs.get(key);
    if (run) run.push(d);
    else runs.set(key, [d]);
  }
  for (const run of runs.values()) {
    const bodies = run.map((d) => d.body);
    run.forEach((d, i) => (d.passage = passageOf(bodies, i)));
  }
}

/** What of a turn is searchable: its text and the descriptions of what was shared with it. */
export const eventBody = (e: Pick<MemoryEvent, 'text' | 'data'>) => [e.text, ...attachmentText(e.data).map((t) => `[shared: ${t}]`)].filter(Boolean).join('\n');

export type TurnToIndex = Pick<MemoryEvent, 'id' | 'envelopeId' | 'sessionId' | 'speaker' | 'occurredAt' | 'text' | 'data'>;
export type BeliefToIndex = Pick<Belief, 'id' | 'about' | 'statement' | 'firstSeen'>;

/** How a belief reads in the index: its statement, and whom it is about when that is not the subject. */
export const beliefText = (b: Pick<Belief, 'about' | 'statement'>) => (b.about === 'self' ? b.statement : `${b.about}: ${b.statement}`);

export class SearchIndex {
  /** `onIndexed` hears of each tenant with new documents (the embedding scheduler); it must not write. */
  constructor(private readonly deps: { onIndexed?: (tenantId: string) => void } = {}) {}

  async addEvent(executor: Kysely<DB>, tenantId: string, e: MemoryEvent): Promise<void> {
    const body = eventBody(e);
    if (!body.trim()) return;
    await lockPassages(executor, tenantId, e.subjectId, e.sessionId);
    // The turns around the new one, read before it is stored: it sorts after any turn of the same
    // instant, as its id will be the highest. Turns may arrive out of order, so read twice the span each
    // side: every turn whose passage the new one enters has all its own neighbours in reach.
    const place = { id: Number.MAX_SAFE_INTEGER, sessionId: e.sessionId, occurredAt: e.occurredAt };
    const around = await neighbours(executor, tenantId, e.subjectId, place, 2 * PASSAGE_SPAN);
    const self = around.filter((d) => d.occurredAt <= e.occurredAt).length;
    const bodies = [...around.slice(0, self).map((d) => d.body), body, ...around.slice(self).map((d) => d.body)];
    await indexDocs(executor, tenantId, [
      { kind: 'event', refId: e.id, subjectId: e.subjectId, envelopeId: e.envelopeId, sessionId: e.sessionId, speaker: e.speaker, occurredAt: e.occurredAt, body, passage: passageOf(bodies, self) },
    ]);
    const changed: { id: number; passage: string }[] = [];
    for (let i = Math.max(0, self - PASSAGE_SPAN); i <= Math.min(bodies.length - 1, self + PASSAGE_SPAN); i++) {
      if (i === self) continue;
      changed.push({ id: around[i < self ? i : i - 1]!.id, passage: passageOf(bodies, i) });
    }
    await setPassages(executor, tenantId, changed);
    this.deps.onIndexed?.(tenantId);
  }

  /** A whole subject at once (an import): its turns with their passages, and its beliefs. */
  async addSubject(executor: Kysely<DB>, tenantId: string, subjectId: string, events: TurnToIndex[], beliefs: BeliefToIndex[]): Promise<void> {
    const docs: NewDoc[] = events
      .map((e) => ({ kind: 'event' as const, refId: e.id, subjectId, envelopeId: e.envelopeId, sessionId: e.sessionId, speaker: e.speaker, occurredAt: e.occurredAt, body: eventBody(e) }))
      .filter((d) => d.body.trim())
      .sort((a, b) => a.occurredAt - b.occurredAt);
    fillPassages(docs);
    for (const b of beliefs) {
      docs.push({ kind: 'belief', refId: b.id, subjectId, envelopeId: null, sessionId: null, speaker: null, occurredAt: b.firstSeen, body: beliefText(b) });
    }
    // A few hundred rows a statement keeps well under SQLite's limit of bound values.
    for (let i = 0; i < docs.length; i += 500) await indexDocs(executor, tenantId, docs.slice(i, i + 500));
    if (docs.length) this.deps.onIndexed?.(tenantId);
  }

  async addBelief(executor: Kysely<DB>, tenantId: string, b: Omit<Belief, 'tenantId'>): Promise<void> {
    await indexDocs(executor, tenantId, [
      { kind: 'belief', refId: b.id, subjectId: b.subjectId, envelopeId: null, sessionId: null, speaker: null, occurredAt: b.firstSeen, body: beliefText(b) },
    ]);
    this.deps.onIndexed?.(tenantId);
  }
}
