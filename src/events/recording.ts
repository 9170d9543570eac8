// The recording face's view of the event log: a logged-in user's batches of client events, each checked on
// its own (one bad item never sinks the rest), idempotent on the client's event id per user; client
// session ids become memory sessions of that user on first use.
import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.js';
import { isUniqueViolation } from '../platform/db/index.js';
import type { DB } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { EventService, MemoryEvent } from './service.js';
import type { MemorySession, MemorySessionService } from './sessions.js';
import { type EventFilter, findEvent, findRecordingSession, findSession, listEvents, listSessions } from './store.js';

export const recordingSource = 'recording';
export const maxBatchSize = 1000;

export interface BatchResult {
  created: MemoryEvent[];
  duplicates: MemoryEvent[];
  invalid: { index: number; reason: string }[];
}

interface ClientEvent {
  clientEventId: string;
  type: string;
  occurredAt: number;
  sessionId: string | null;
  payload: Record<string, unknown>;
}

const isoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One batch item checked on its own: the event, or why it cannot be stored. */
export function parseClientEvent(raw: unknown): ClientEvent | string {
  if (!isObject(raw)) return 'must be an object';
  const { client_event_id: id, type, occurred_at: at, session_id: session, payload } = raw;
  if (typeof id !== 'string' && typeof id !== 'number') return 'client_event_id: required, a string';
  const clientEventId = String(id).trim();
  if (!clientEventId || clientEventId.length > 200) return 'client_event_id: 1-200 characters';
  if (typeof type !== 'string' || !type.trim() || type.length > 100) return 'type: required, 1-100 characters';
  if (typeof at !== 'string' || !isoTime.test(at) || Number.isNaN(Date.parse(at))) return 'occurred_at: required, an ISO-8601 time with a zone';
  if (session !== undefined && session !== null && (typeof session !== 'string' || !session.trim() || session.length > 200)) {
    return 'session_id: a string of 1-200 characters';
  }
  if (payload !== undefined && !isObject(payload)) return 'payload: must be an object';
  return { clientEventId, type: type.trim(), occurredAt: Date.parse(at), sessionId: typeof session === 'string' ? session.trim() : null, payload: payload ?? {} };
}

export class RecordingService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock; events: EventService; sessions: MemorySessionService }) {}

  /** The envelope id of a client event: client ids are only unique per user, so the subject is part of it. */
  static envelopeId(subjectId: string, clientEventId: string): string {
    return `${subjectId}:${clientEventId}`;
  }

  async ingestBatch(tenantId: string, subjectId: string, items: unknown[]): Promise<BatchResult> {
    const result: BatchResult = { created: [], duplicates: [], invalid: [] };
    const sessionIds = new Map<string, string>();
    for (const [index, raw] of items.entries()) {
      const item = parseClientEvent(raw);
      if (typeof item === 'string') {
        result.invalid.push({ index, reason: item });
        continue;
      }
      try {
        let sessionId: string | null = null;
        if (item.sessionId) {
          sessionId = sessionIds.get(item.sessionId) ?? (await this.sessionFor(tenantId, subjectId, item.sessionId)).id;
          sessionIds.set(item.sessionId, sessionId);
        }
        const { event, created } = await this.deps.events.ingest(tenantId, {
          envelopeId: RecordingService.envelopeId(subjectId, item.clientEventId),
          subjectId,
          inputType: item.type,
          occurredAt: item.occurredAt,
          data: item.payload,
          sessionId,
          source: recordingSource,
        });
        (created ? result.created : result.duplicates).push(event);
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'conflict') throw err;
        result.invalid.push({ index, reason: `client_event_id ${item.clientEventId} was already recorded with a different body` });
      }
    }
    return result;
  }

  listEvents(tenantId: string, filter: EventFilter, page: { limit: number; offset: number }) {
    return listEvents(this.deps.db, tenantId, filter, page);
  }

  /** One event of this subject; another user's is not found. */
  async getEvent(tenantId: string, subjectId: string, id: string): Promise<MemoryEvent> {
    const event = await findEvent(this.deps.db, tenantId, id);
    if (!event || event.subjectId !== subjectId) throw new AppError('not_found', { resource: 'Event', id });
    return event;
  }

  listSessions(tenantId: string, subjectId: string, page: { limit: number; offset: number }) {
    return listSessions(this.deps.db, tenantId, subjectId, page);
  }

  async getSession(tenantId: string, subjectId: string, id: string): Promise<MemorySession> {
    const session = await findSession(this.deps.db, tenantId, id);
    if (!session || session.subjectId !== subjectId) throw new AppError('not_found', { resource: 'Session', id });
    return session;
  }

  /** The user's session for a client session id, created on first use (a concurrent creator wins the race). */
  private async sessionFor(tenantId: string, subjectId: string, clientId: string): Promise<MemorySession> {
    const known = await findRecordingSession(this.deps.db, tenantId, subjectId, clientId);
    if (known) return known;
    try {
      return await this.deps.sessions.create(tenantId, { subjectId, sessionType: 'recording', correlationId: clientId });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const winner = await findRecordingSession(this.deps.db, tenantId, subjectId, clientId);
      if (!winner) throw err;
      return winner;
    }
  }
}
