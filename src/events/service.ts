// Accepting input: an envelope is appended to the event log and its processing job queued, in one
// transaction, and answered at once. A retry with the same envelope id returns the same event; the
// same id with a different body is a conflict.
import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.js';
import { contentHash } from '../platform/content-hash.js';
import type { DB } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { Ids } from '../platform/ids.js';
import type { Queue } from '../platform/queue.js';
import type { SearchIndex } from '../retrieval/indexing.js';
import type { SubjectService } from '../subjects/service.js';
import type { MemorySessionService } from './sessions.js';
import { type MemoryEvent, appendEvent, findEventByKey } from './store.js';
import { envelopeText } from './text.js';

export type { MemoryEvent };

export const processEventJob = 'memory.process_event';

export interface Envelope {
  envelopeId: string;
  subjectId: string;
  inputType: string;
  schemaVersion?: string | null;
  /** When it happened (epoch ms); defaults to arrival. */
  occurredAt?: number | null;
  data: Record<string, unknown>;
  sessionId?: string | null;
  /** Where it came in: `external` (self-model face), `recording` (recording face). */
  source: string;
}

/** What a retry must repeat exactly: the envelope as sent (without a timestamp, `at` is null, not the arrival time). */
export function envelopeHash(envelope: Omit<Envelope, 'envelopeId' | 'source'>): string {
  return contentHash({
    subject: envelope.subjectId,
    type: envelope.inputType,
    version: envelope.schemaVersion ?? null,
    at: envelope.occurredAt ?? null,
    data: envelope.data,
    session: envelope.sessionId ?? null,
  });
}

export class EventService {
  constructor(
    private readonly deps: {
      db: Kysely<DB>;
      clock: Clock;
      ids: Ids;
      queue: Queue;
      subjects: SubjectService;
      sessions: MemorySessionService;
      index: SearchIndex;
    },
  ) {}

  /** The key a retry repeats: envelope ids are unique per tenant and source face. */
  static idempotencyKey(source: string, envelopeId: string): string {
    return `${source}:${envelopeId}`;
  }

  async ingest(tenantId: string, envelope: Envelope): Promise<{ event: MemoryEvent; created: boolean }> {
    const { db, clock, ids, queue, subjects, sessions } = this.deps;
    await subjects.get(tenantId, envelope.subjectId);
    const key = EventService.idempotencyKey(envelope.source, envelope.envelopeId);
    const hash = envelopeHash(envelope);
    const known = await findEventByKey(db, tenantId, key);
    if (known) return this.replay(known, hash);
    const now = clock.now();
    const { text, speaker } = envelopeText(envelope.inputType, envelope.data);
    const result = await db.transaction().execute(async (trx) => {
      if (envelope.sessionId) await sessions.touchForEnvelope(trx, tenantId, envelope.sessionId, envelope.subjectId);
      const appended = await appendEvent(trx, tenantId, {
        id: ids.next(),
        subjectId: envelope.subjectId,
        idempotencyKey: key,
        envelopeId: envelope.envelopeId,
        source: envelope.source,
        inputType: envelope.inputType,
        schemaVersion: envelope.schemaVersion ?? null,
        sessionId: envelope.sessionId ?? null,
        occurredAt: envelope.occurredAt ?? now,
        receivedAt: now,
        data: envelope.data,
        contentHash: hash,
        speaker,
        text,
        status: 'received',
        episodeId: null,
        beliefIds: [],
        errorMessage: null,
        processedAt: null,
      });
      if (appended.created) {
        await this.deps.index.addEvent(trx, tenantId, appended.event);
        await queue.enqueue(
          { tenantId, kind: processEventJob, payload: { eventId: appended.event.id }, idempotencyKey: appended.event.id },
          trx,
        );
      }
      return appended;
    });
    return result.created ? result : this.replay(result.event, hash);
  }

  async statusOf(tenantId: string, source: string, envelopeId: string): Promise<MemoryEvent> {
    const event = await findEventByKey(this.deps.db, tenantId, EventService.idempotencyKey(source, envelopeId));
    if (!event) throw new AppError('not_found', { resource: 'Envelope', id: envelopeId });
    return event;
  }

  private replay(existing: MemoryEvent, contentHash: string): { event: MemoryEvent; created: boolean } {
    if (existing.contentHash !== contentHash) {
      throw new AppError('conflict', { reason: `Envelope ${existing.envelopeId} was already received with a different body` });
    }
    return { event: existing, created: false };
  }
}
