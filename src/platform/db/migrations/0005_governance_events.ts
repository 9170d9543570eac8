// Migration 0005: governance events (002, POST /v1/events), append-only per tenant; and an index for
// listing a tenant's documents (memory events of one input type) on the public v1 face.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // The event as received lives in `body`; the few fields worth filtering on are copied into columns.
  await db.schema
    .createTable('governance_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('credential_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('system_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('level', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  // NULL keys never collide on either engine, so events sent without an Idempotency-Key are all kept.
  await db.schema.createIndex('governance_events_idempotency').on('governance_events').columns(['tenant_id', 'idempotency_key']).unique().execute();
  await db.schema.createIndex('governance_events_time').on('governance_events').columns(['tenant_id', 'occurred_at']).execute();
  await db.schema.createIndex('governance_events_type').on('governance_events').columns(['tenant_id', 'type', 'occurred_at']).execute();
  await db.schema.createIndex('governance_events_system').on('governance_events').columns(['tenant_id', 'system_id', 'occurred_at']).execute();
  await db.schema.createIndex('governance_events_team').on('governance_events').columns(['tenant_id', 'team_id', 'occurred_at']).execute();
  await db.schema.createIndex('governance_events_subject').on('governance_events').columns(['tenant_id', 'subject_id', 'occurred_at']).execute();

  await db.schema.createIndex('events_input_type_time').on('events').columns(['tenant_id', 'input_type', 'occurred_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('events_input_type_time').execute();
  await db.schema.dropTable('governance_events').execute();
}
