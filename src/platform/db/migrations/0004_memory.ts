// Migration 0004: subjects (whose memory), their sessions, the append-only event log, episodes,
// beliefs with bi-temporal validity, and the evidence linking each belief to its events.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('subjects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('email', 'text')
    .addColumn('app_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('display_name', 'text')
    .addColumn('self_model_id', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('subjects_external').on('subjects').columns(['tenant_id', 'kind', 'external_id']).unique().execute();
  await db.schema.createIndex('subjects_email').on('subjects').columns(['tenant_id', 'kind', 'email']).unique().execute();
  await db.schema.createIndex('subjects_user').on('subjects').columns(['tenant_id', 'kind', 'user_id']).unique().execute();

  await db.schema
    .createTable('memory_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('session_type', 'text', (c) => c.notNull())
    .addColumn('expected_episode_count', 'integer')
    .addColumn('processed_episode_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('causation_id', 'text')
    .addColumn('correlation_id', 'text')
    .addColumn('error_message', 'text')
    .addColumn('summary', 'text')
    .addColumn('snapshot', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_activity_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .execute();
  await db.schema.createIndex('memory_sessions_subject').on('memory_sessions').columns(['tenant_id', 'subject_id', 'created_at']).execute();
  await db.schema.createIndex('memory_sessions_status').on('memory_sessions').columns(['tenant_id', 'status', 'last_activity_at']).execute();

  // The event log: append-only. `idempotency_key` is what a retry repeats (an envelope id, a client event id).
  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('envelope_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('input_type', 'text', (c) => c.notNull())
    .addColumn('schema_version', 'text')
    .addColumn('session_id', 'text')
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('speaker', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('episode_id', 'text')
    .addColumn('belief_ids', 'text')
    .addColumn('error_message', 'text')
    .addColumn('processed_at', 'bigint')
    .execute();
  await db.schema.createIndex('events_idempotency').on('events').columns(['tenant_id', 'idempotency_key']).unique().execute();
  await db.schema.createIndex('events_subject_time').on('events').columns(['tenant_id', 'subject_id', 'occurred_at']).execute();
  await db.schema.createIndex('events_session').on('events').columns(['tenant_id', 'session_id']).execute();

  await db.schema
    .createTable('episodes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text')
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('episodes_event').on('episodes').columns(['tenant_id', 'event_id']).unique().execute();
  await db.schema.createIndex('episodes_subject_time').on('episodes').columns(['tenant_id', 'subject_id', 'occurred_at']).execute();

  // Beliefs: valid time (valid_from/valid_to: when it was true in the world) and recorded time
  // (recorded_at, superseded_at: when Engram learned and unlearned it). Nothing is deleted.
  await db.schema
    .createTable('beliefs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('about', 'text', (c) => c.notNull())
    .addColumn('predicate', 'text', (c) => c.notNull())
    .addColumn('object', 'text', (c) => c.notNull())
    .addColumn('object_key', 'text', (c) => c.notNull())
    .addColumn('statement', 'text', (c) => c.notNull())
    .addColumn('positive', 'integer', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('confidence', 'real', (c) => c.notNull())
    .addColumn('confirmations', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'bigint', (c) => c.notNull())
    .addColumn('valid_to', 'bigint')
    .addColumn('when_at', 'bigint')
    .addColumn('first_seen', 'bigint', (c) => c.notNull())
    .addColumn('last_confirmed', 'bigint', (c) => c.notNull())
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .addColumn('superseded_at', 'bigint')
    .addColumn('superseded_by', 'text')
    .addColumn('contradicts', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('beliefs_subject_predicate').on('beliefs').columns(['tenant_id', 'subject_id', 'about', 'predicate', 'status']).execute();
  await db.schema.createIndex('beliefs_subject_status').on('beliefs').columns(['tenant_id', 'subject_id', 'status', 'last_confirmed']).execute();

  await db.schema
    .createTable('belief_evidence')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('belief_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('envelope_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('belief_evidence_pk', ['tenant_id', 'belief_id', 'event_id'])
    .execute();
  await db.schema.createIndex('belief_evidence_event').on('belief_evidence').columns(['tenant_id', 'event_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['belief_evidence', 'beliefs', 'episodes', 'events', 'memory_sessions', 'subjects']) await db.schema.dropTable(t).execute();
}
