// The event log and memory sessions: queries and mapping only. Events are appended, never rewritten,
// except for their processing status.
import type { Kysely, Selectable } from 'kysely';
import type { DB, EventStatus, EventsTable, MemorySessionStatus, MemorySessionsTable } from '../platform/db/schema.js';

export interface MemoryEvent {
  id: string;
  tenantId: string;
  subjectId: string;
  idempotencyKey: string;
  envelopeId: string;
  source: string;
  inputType: string;
  schemaVersion: string | null;
  sessionId: string | null;
  occurredAt: number;
  receivedAt: number;
  data: Record<string, unknown>;
  contentHash: string;
  speaker: string | null;
  text: string;
  status: EventStatus;
  episodeId: string | null;
  beliefIds: string[];
  errorMessage: string | null;
  processedAt: number | null;
}

export interface MemorySession {
  id: string;
  tenantId: string;
  subjectId: string;
  sessionType: string;
  expectedEpisodeCount: number | null;
  processedEpisodeCount: number;
  status: MemorySessionStatus;
  metadata: Record<string, unknown>;
  causationId: string | null;
  correlationId: string | null;
  errorMessage: string | null;
  summary: string | null;
  snapshot: unknown;
  createdAt: number;
  updatedAt: number;
  lastActivityAt: number;
  completedAt: number | null;
}

export const toEvent = (r: Selectable<EventsTable>): MemoryEvent => ({
  id: r.id,
  tenantId: r.tenant_id,
  subjectId: r.subject_id,
  idempotencyKey: r.idempotency_key,
  envelopeId: r.envelope_id,
  source: r.source,
  inputType: r.input_type,
  schemaVersion: r.schema_version,
  sessionId: r.session_id,
  occurredAt: r.occurred_at,
  receivedAt: r.received_at,
  data: JSON.parse(r.data) as Record<string, unknown>,
  contentHash: r.content_hash,
  speaker: r.speaker,
  text: r.text,
  status: r.status,
  episodeId: r.episode_id,
  beliefIds: r.belief_ids ? (JSON.parse(r.belief_ids) as string[]) : [],
  errorMessage: r.error_message,
  processedAt: r.processed_at,
});

export const toSession = (r: Selectable<MemorySessionsTable>): MemorySession => ({
  id: r.id,
  tenantId: r.tenant_id,
  subjectId: r.subject_id,
  sessionType: r.session_type,
  expectedEpisodeCount: r.expected_episode_count,
  processedEpisodeCount: r.processed_episode_count,
  status: r.status,
  metadata: JSON.parse(r.metadata) as Record<string, unknown>,
  causationId: r.causation_id,
  correlationId: r.correlation_id,
  errorMessage: r.error_message,
  summary: r.summary,
  snapshot: r.snapshot === null ? null : JSON.parse(r.snapshot),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  lastActivityAt: r.last_activity_at,
  completedAt: r.completed_at,
});

/** Appends an event unless its idempotency key is already in the log; returns the stored row either way. */
export async function appendEvent(db: Kysely<DB>, tenantId: string, e: Omit<MemoryEvent, 'tenantId'>) {
  const inserted = await db
    .insertInto('events')
    .values({
      id: e.id,
      tenant_id: tenantId,
      subject_id: e.subjectId,
      idempotency_key: e.idempotencyKey,
      envelope_id: e.envelopeId,
      source: e.source,
      input_type: e.inputType,
      schema_version: e.schemaVersion,
      session_id: e.sessionId,
      occurred_at: e.occurredAt,
      received_at: e.receivedAt,
      data: JSON.stringify(e.data),
      content_hash: e.contentHash,
      speaker: e.speaker,
      text: e.text,
      status: e.status,
      episode_id: null,
      belief_ids: null,
      error_message: null,
      processed_at: null,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'idempotency_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { event: toEvent(inserted), created: true };
  const existing = await findEventByKey(db, tenantId, e.idempotencyKey);
  return { event: existing!, created: false };
}

export async function findEventByKey(db: Kysely<DB>, tenantId: string, key: string): Promise<MemoryEvent | undefined> {
  const row = await db.selectFrom('events').selectAll().where('tenant_id', '=', tenantId).where('idempotency_key', '=', key).executeTakeFirst();
  return row && toEvent(row);
}

export async function findEvent(db: Kysely<DB>, tenantId: string, id: string): Promise<MemoryEvent | undefined> {
  const row = await db.selectFrom('events').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return row && toEvent(row);
}

export async function setEventStatus(
  db: Kysely<DB>,
  tenantId: string,
  id: string,
  changes: { status: EventStatus; episode_id?: string; belief_ids?: string; error_message?: string | null; processed_at?: number },
  onlyIfNot?: EventStatus,
): Promise<boolean> {
  const r = await db
    .updateTable('events')
    .set(changes)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .$if(onlyIfNot !== undefined, (q) => q.where('status', '!=', onlyIfNot!))
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function insertSession(db: Kysely<DB>, tenantId: string, s: Omit<MemorySession, 'tenantId'>): Promise<void> {
  await db
    .insertInto('memory_sessions')
    .values({
      id: s.id,
      tenant_id: tenantId,
      subject_id: s.subjectId,
      session_type: s.sessionType,
      expected_episode_count: s.expectedEpisodeCount,
      processed_episode_count: s.processedEpisodeCount,
      status: s.status,
      metadata: JSON.stringify(s.metadata),
      causation_id: s.causationId,
      correlation_id: s.correlationId,
      error_message: s.errorMessage,
      summary: s.summary,
      snapshot: s.snapshot === null ? null : JSON.stringify(s.snapshot),
      created_at: s.createdAt,
      updated_at: s.updatedAt,
      last_activity_at: s.lastActivityAt,
      completed_at: s.completedAt,
    })
    .execute();
}

export async function findSession(db: Kysely<DB>, tenantId: string, id: string): Promise<MemorySession | undefined> {
  const row = await db.selectFrom('memory_sessions').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return row && toSession(row);
}

export async function updateSession(
  db: Kysely<DB>,
  tenantId: string,
  id: string,
  changes: Partial<{
    status: MemorySessionStatus;
    error_message: string | null;
    summary: string | null;
    snapshot: string | null;
    last_activity_at: number;
    completed_at: number | null;
  }>,
  now: number,
  onlyFrom?: MemorySessionStatus[],
): Promise<boolean> {
  const r = await db
    .updateTable('memory_sessions')
    .set({ ...changes, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .$if(onlyFrom !== undefined, (q) => q.where('status', 'in', onlyFrom!))
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export interface EventFilter {
  subjectId: string;
  source?: string;
  inputType?: string;
  /** occurred_at bounds (epoch ms), inclusive. */
  since?: number;
  until?: number;
}

function filteredEvents(db: Kysely<DB>, tenantId: string, f: EventFilter) {
  return db
    .selectFrom('events')
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', f.subjectId)
    .$if(f.source !== undefined, (q) => q.where('source', '=', f.source!))
    .$if(f.inputType !== undefined, (q) => q.where('input_type', '=', f.inputType!))
    .$if(f.since !== undefined, (q) => q.where('occurred_at', '>=', f.since!))
    .$if(f.until !== undefined, (q) => q.where('occurred_at', '<=', f.until!));
}

/** A subject's events, newest first, and how many match in all. */
export async function listEvents(db: Kysely<DB>, tenantId: string, f: EventFilter, page: { limit: number; offset: number }) {
  const rows = await filteredEvents(db, tenantId, f).selectAll().orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
  const total = await filteredEvents(db, tenantId, f).select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).executeTakeFirstOrThrow();
  return { count: Number(total.n), events: rows.map(toEvent) };
}

/** Ids of a subject's events in one status, oldest first. */
export async function eventIdsInStatus(db: Kysely<DB>, tenantId: string, subjectId: string, status: EventStatus, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('events')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .where('status', '=', status)
    .orderBy('received_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** A subject's memory sessions, newest first, and how many it has. */
export async function listSessions(db: Kysely<DB>, tenantId: string, subjectId: string, page: { limit: number; offset: number }) {
  const base = db.selectFrom('memory_sessions').where('tenant_id', '=', tenantId).where('subject_id', '=', subjectId);
  const rows = await base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
  const total = await base.select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).executeTakeFirstOrThrow();
  return { count: Number(total.n), sessions: rows.map(toSession) };
}

/** The recording session a client named, by its client id. */
export async function findRecordingSession(db: Kysely<DB>, tenantId: string, subjectId: string, clientId: string): Promise<MemorySession | undefined> {
  const row = await db
    .selectFrom('memory_sessions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .where('session_type', '=', 'recording')
    .where('correlation_id', '=', clientId)
    .executeTakeFirst();
  return row && toSession(row);
}
