// Migration 0001: tenants and the durable job queue.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // The queue is platform plumbing: claimed across tenants, so its claim index is not led by tenant_id.
  // tenant_id is carried on every row and leads the idempotency key.
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('idempotency_key', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_until', 'bigint')
    .addColumn('lease_token', 'text')
    .addColumn('locked_by', 'text')
    .addColumn('last_error', 'text')
    .addColumn('result', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('jobs_idempotency')
    .on('jobs')
    .columns(['tenant_id', 'kind', 'idempotency_key'])
    .unique()
    .execute();
  // Partial: only queued rows, in claim order, so a claim reads the head of the queue and nothing else,
  // whatever the planner's statistics say about the rest of the table.
  await db.schema
    .createIndex('jobs_claim')
    .on('jobs')
    .columns(['priority', 'run_at', 'id'])
    .where(sql.ref('status'), '=', 'queued')
    .execute();
  // Partial too: the reaper looks only at running jobs; and an index led by status would tempt SQLite's
  // planner away from jobs_claim for the queued ones.
  await db.schema.createIndex('jobs_lease').on('jobs').column('lease_until').where(sql.ref('status'), '=', 'running').execute();
  await db.schema.createIndex('jobs_tenant_created').on('jobs').columns(['tenant_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('jobs').execute();
  await db.schema.dropTable('tenants').execute();
}
