// What of each memory is searchable, written into the search index in the same transaction as the
// memory itself: an event when it is accepted (so it can be found at once), a belief when it is learned.
import type { Kysely } from 'kysely';
import type { Belief } from '../beliefs/store.js';
import type { MemoryEvent } from '../events/store.js';
import type { DB } from '../platform/db/schema.js';
import { indexDocs } from './store.js';

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

/** How a belief reads in the index: its statement, and whom it is about when that is not the subject. */
export const beliefText = (b: Pick<Belief, 'about' | 'statement'>) => (b.about === 'self' ? b.statement : `${b.about}: ${b.statement}`);

export class SearchIndex {
  /** `onIndexed` hears of each tenant with new documents (the embedding scheduler); it must not write. */
  constructor(private readonly deps: { onIndexed?: (tenantId: string) => void } = {}) {}

  async addEvent(executor: Kysely<DB>, tenantId: string, e: MemoryEvent): Promise<void> {
    const body = [e.text, ...attachmentText(e.data).map((t) => `[shared: ${t}]`)].filter(Boolean).join('\n');
    if (!body.trim()) return;
    await indexDocs(executor, tenantId, [
      { kind: 'event', refId: e.id, subjectId: e.subjectId, envelopeId: e.envelopeId, sessionId: e.sessionId, speaker: e.speaker, occurredAt: e.occurredAt, body },
    ]);
    this.deps.onIndexed?.(tenantId);
  }

  async addBelief(executor: Kysely<DB>, tenantId: string, b: Omit<Belief, 'tenantId'>): Promise<void> {
    await indexDocs(executor, tenantId, [
      { kind: 'belief', refId: b.id, subjectId: b.subjectId, envelopeId: null, sessionId: null, speaker: null, occurredAt: b.firstSeen, body: beliefText(b) },
    ]);
    this.deps.onIndexed?.(tenantId);
  }
}
