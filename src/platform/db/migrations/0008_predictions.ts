// Migration 0008: predictions (003 /api/predictions/): what the LLM said a user would do, and what happened.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('predictions')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('situation', 'text', (c) => c.notNull())
    .addColumn('options', 'text')
    .addColumn('output', 'text')
    .addColumn('chosen_option', 'text')
    // double precision, not real: PostgreSQL's real is float4 and would turn 0.7 into 0.699999988.
    .addColumn('confidence', 'double precision')
    .addColumn('reasoning', 'text')
    .addColumn('model', 'text')
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('input_tokens', 'integer', (c) => c.notNull())
    .addColumn('output_tokens', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('job_id', 'text')
    .addColumn('actual', 'text')
    .addColumn('correct', 'integer') // 1 or 0, as booleans are stored everywhere (SQLite has none)
    .addColumn('score', 'double precision')
    .addColumn('feedback_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('predictions_pkey', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('predictions_user_created').on('predictions').columns(['tenant_id', 'user_id', 'created_at']).execute();
  await db.schema.createIndex('predictions_user_type').on('predictions').columns(['tenant_id', 'user_id', 'type']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('predictions').execute();
}
