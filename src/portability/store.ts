// Reading and writing one subject's rows as document records (every column; instants as ISO strings).
// Queries and mapping only; every function takes the tenant first.
import type { Insertable, Kysely, Selectable } from 'kysely';
import { toIso } from '../platform/clock.js';
import type {
  BeliefEvidenceTable,
  BeliefsTable,
  DB,
  EpisodesTable,
  EventsTable,
  MemorySessionsTable,
  SubjectKind,
  SubjectsTable,
} from '../platform/db/schema.js';
import type { BeliefRecord, EpisodeRecord, EventRecord, EvidenceRecord, SessionRecord, SubjectRecords } from './schemas.js';

const isoOrNull = (ms: number | null) => (ms === null ? null : toIso(ms));
const ms = (iso: string) => Date.parse(iso);
const msOrNull = (iso: string | null) => (iso === null ? null : Date.parse(iso));

const subjectRecord = (r: Selectable<SubjectsTable>): SubjectRecords['subject'] => ({
  id: r.id,
  kind: r.kind,
  external_id: r.external_id,
  email: r.email,
  app_id: r.app_id,
  user_id: r.user_id,
  display_name: r.display_name,
  self_model_id: r.self_model_id,
  metadata: JSON.parse(r.metadata) as Record<string, unknown>,
  created_at: toIso(r.created_at),
  updated_at: toIso(r.updated_at),
});

const sessionRecord = (r: Selectable<MemorySessionsTable>): SessionRecord => ({
  id: r.id,
  session_type: r.session_type,
  expected_episode_count: r.expected_episode_count,
  processed_episode_count: r.processed_episode_count,
  status: r.status,
  metadata: JSON.parse(r.metadata) as Record<string, unknown>,
  causation_id: r.causation_id,
  correlation_id: r.correlation_id,
  error_message: r.error_message,
  summary: r.summary,
  snapshot: r.snapshot === null ? null : JSON.parse(r.snapshot),
  created_at: toIso(r.created_at),
  updated_at: toIso(r.updated_at),
  last_activity_at: toIso(r.last_activity_at),
  completed_at: isoOrNull(r.completed_at),
});

const eventRecord = (r: Selectable<EventsTable>): EventRecord => ({
  id: r.id,
  idempotency_key: r.idempotency_key,
  envelope_id: r.envelope_id,
  source: r.source,
  input_type: r.input_type,
  schema_version: r.schema_version,
  session_id: r.session_id,
  occurred_at: toIso(r.occurred_at),
  received_at: toIso(r.received_at),
  data: JSON.parse(r.data) as Record<string, unknown>,
  content_hash: r.content_hash,
  speaker: r.speaker,
  text: r.text,
  status: r.status,
  episode_id: r.episode_id,
  belief_ids: r.belief_ids === null ? null : (JSON.parse(r.belief_ids) as string[]),
  error_message: r.error_message,
  processed_at: isoOrNull(r.processed_at),
});

const episodeRecord = (r: Selectable<EpisodesTable>): EpisodeRecord => ({
  id: r.id,
  event_id: r.event_id,
  session_id: r.session_id,
  occurred_at: toIso(r.occurred_at),
  summary: r.summary,
  created_at: toIso(r.created_at),
});

const beliefRecord = (r: Selectable<BeliefsTable>): BeliefRecord => ({
  id: r.id,
  about: r.about,
  predicate: r.predicate,
  object: r.object,
  object_key: r.object_key,
  statement: r.statement,
  positive: r.positive === 1,
  category: r.category,
  confidence: r.confidence,
  confirmations: r.confirmations,
  status: r.status,
  source: r.source,
  valid_from: toIso(r.valid_from),
  valid_to: isoOrNull(r.valid_to),
  when_at: isoOrNull(r.when_at),
  first_seen: toIso(r.first_seen),
  last_confirmed: toIso(r.last_confirmed),
  recorded_at: toIso(r.recorded_at),
  superseded_at: isoOrNull(r.superseded_at),
  superseded_by: r.superseded_by,
  contradicts: r.contradicts,
  updated_at: toIso(r.updated_at),
});

const evidenceRecord = (r: Selectable<BeliefEvidenceTable>): EvidenceRecord => ({
  belief_id: r.belief_id,
  event_id: r.event_id,
  envelope_id: r.envelope_id,
  created_at: toIso(r.created_at),
});

/**
 * Every row of one subject, read in one transaction so the parts agree with each other. Rows come in id
 * order (evidence in arrival order), which an import that keeps id order reproduces.
 */
export async function readSubjectRecords(db: Kysely<DB>, tenantId: string, subjectId: string): Promise<SubjectRecords | undefined> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const subject = await trx.selectFrom('subjects').selectAll().where('tenant_id', '=', tenantId).where('id', '=', subjectId).executeTakeFirst();
      if (!subject) return undefined;
      const sessions = await trx
        .selectFrom('memory_sessions')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('subject_id', '=', subjectId)
        .orderBy('id')
        .execute();
      const events = await trx.selectFrom('events').selectAll().where('tenant_id', '=', tenantId).where('subject_id', '=', subjectId).orderBy('id').execute();
      const episodes = await trx.selectFrom('episodes').selectAll().where('tenant_id', '=', tenantId).where('subject_id', '=', subjectId).orderBy('id').execute();
      const beliefs = await trx.selectFrom('beliefs').selectAll().where('tenant_id', '=', tenantId).where('subject_id', '=', subjectId).orderBy('id').execute();
      const evidence = await trx
        .selectFrom('belief_evidence')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('subject_id', '=', subjectId)
        .orderBy('created_at')
        .orderBy('event_id')
        .orderBy('belief_id')
        .execute();
      return {
        subject: subjectRecord(subject),
        sessions: sessions.map(sessionRecord),
        events: events.map(eventRecord),
        episodes: episodes.map(episodeRecord),
        beliefs: beliefs.map(beliefRecord),
        evidence: evidence.map(evidenceRecord),
      };
    });
}

/** Which part of a subject's identity another subject of the tenant already holds, if any. */
export async function takenIdentity(
  db: Kysely<DB>,
  tenantId: string,
  s: { kind: SubjectKind; externalId: string | null; email: string | null; userId: string | null },
): Promise<'external_id' | 'email' | 'user_id' | undefined> {
  const held = (column: 'external_id' | 'email' | 'user_id', value: string) =>
    db.selectFrom('subjects').select('id').where('tenant_id', '=', tenantId).where('kind', '=', s.kind).where(column, '=', value).executeTakeFirst();
  if (s.externalId !== null && (await held('external_id', s.externalId))) return 'external_id';
  if (s.email !== null && (await held('email', s.email))) return 'email';
  if (s.userId !== null && (await held('user_id', s.userId))) return 'user_id';
  return undefined;
}

/** The first of these idempotency keys already in the tenant's event log, if any. */
export async function takenIdempotencyKey(db: Kysely<DB>, tenantId: string, keys: string[]): Promise<string | undefined> {
  for (const part of chunks(keys, 500)) {
    const row = await db
      .selectFrom('events')
      .select('idempotency_key')
      .where('tenant_id', '=', tenantId)
      .where('idempotency_key', 'in', part)
      .orderBy('idempotency_key')
      .executeTakeFirst();
    if (row) return row.idempotency_key;
  }
  return undefined;
}

function chunks<T>(rows: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Rows per INSERT: well under both engines' limit on bound parameters (SQLite 32766, PostgreSQL 65535). */
const batch = 200;

/** Writes a subject and all its rows as they are (ids already final); the caller owns the transaction. */
export async function insertSubjectRecords(db: Kysely<DB>, tenantId: string, r: SubjectRecords): Promise<void> {
  const subjectId = r.subject.id;
  const owner = { tenant_id: tenantId, subject_id: subjectId };
  const s = r.subject;
  await db
    .insertInto('subjects')
    .values({
      id: s.id,
      tenant_id: tenantId,
      kind: s.kind,
      external_id: s.external_id,
      email: s.email,
      app_id: s.app_id,
      user_id: s.user_id,
      display_name: s.display_name,
      self_model_id: s.self_model_id,
      metadata: JSON.stringify(s.metadata),
      created_at: ms(s.created_at),
      updated_at: ms(s.updated_at),
    })
    .execute();
  for (const part of chunks(r.sessions, batch)) {
    await db.insertInto('memory_sessions').values(part.map((x): Insertable<MemorySessionsTable> => ({
      ...owner,
      id: x.id,
      session_type: x.session_type,
      expected_episode_count: x.expected_episode_count,
      processed_episode_count: x.processed_episode_count,
      status: x.status,
      metadata: JSON.stringify(x.metadata),
      causation_id: x.causation_id,
      correlation_id: x.correlation_id,
      error_message: x.error_message,
      summary: x.summary,
      snapshot: x.snapshot === null || x.snapshot === undefined ? null : JSON.stringify(x.snapshot),
      created_at: ms(x.created_at),
      updated_at: ms(x.updated_at),
      last_activity_at: ms(x.last_activity_at),
      completed_at: msOrNull(x.completed_at),
    }))).execute();
  }
  for (const part of chunks(r.events, batch)) {
    await db.insertInto('events').values(part.map((x): Insertable<EventsTable> => ({
      ...owner,
      id: x.id,
      idempotency_key: x.idempotency_key,
      envelope_id: x.envelope_id,
      source: x.source,
      input_type: x.input_type,
      schema_version: x.schema_version,
      session_id: x.session_id,
      occurred_at: ms(x.occurred_at),
      received_at: ms(x.received_at),
      data: JSON.stringify(x.data),
      content_hash: x.content_hash,
      speaker: x.speaker,
      text: x.text,
      status: x.status,
      episode_id: x.episode_id,
      belief_ids: x.belief_ids === null ? null : JSON.stringify(x.belief_ids),
      error_message: x.error_message,
      processed_at: msOrNull(x.processed_at),
    }))).execute();
  }
  for (const part of chunks(r.episodes, batch)) {
    await db.insertInto('episodes').values(part.map((x): Insertable<EpisodesTable> => ({
      ...owner,
      id: x.id,
      event_id: x.event_id,
      session_id: x.session_id,
      occurred_at: ms(x.occurred_at),
      summary: x.summary,
      created_at: ms(x.created_at),
    }))).execute();
  }
  for (const part of chunks(r.beliefs, batch)) {
    await db.insertInto('beliefs').values(part.map((x): Insertable<BeliefsTable> => ({
      ...owner,
      id: x.id,
      about: x.about,
      predicate: x.predicate,
      object: x.object,
      object_key: x.object_key,
      statement: x.statement,
      positive: x.positive ? 1 : 0,
      category: x.category,
      confidence: x.confidence,
      confirmations: x.confirmations,
      status: x.status,
      source: x.source,
      valid_from: ms(x.valid_from),
      valid_to: msOrNull(x.valid_to),
      when_at: msOrNull(x.when_at),
      first_seen: ms(x.first_seen),
      last_confirmed: ms(x.last_confirmed),
      recorded_at: ms(x.recorded_at),
      superseded_at: msOrNull(x.superseded_at),
      superseded_by: x.superseded_by,
      contradicts: x.contradicts,
      updated_at: ms(x.updated_at),
    }))).execute();
  }
  for (const part of chunks(r.evidence, batch)) {
    await db.insertInto('belief_evidence').values(part.map((x): Insertable<BeliefEvidenceTable> => ({
      ...owner,
      belief_id: x.belief_id,
      event_id: x.event_id,
      envelope_id: x.envelope_id,
      created_at: ms(x.created_at),
    }))).execute();
  }
}
