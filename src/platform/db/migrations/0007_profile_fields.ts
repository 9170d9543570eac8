// Migration 0007: user-authored profile fields (recording face /api/memory/profile/), which outrank the
// profile derived from beliefs; and one memory session per client session id of a recording user.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('profile_fields')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('profile_fields_pkey', ['tenant_id', 'subject_id', 'field'])
    .execute();
  // Two batches naming the same new client session at once must land in one session.
  await db.schema
    .createIndex('memory_sessions_recording_client')
    .on('memory_sessions')
    .columns(['tenant_id', 'subject_id', 'correlation_id'])
    .unique()
    .where(sql.ref('session_type'), '=', sql.lit('recording'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('memory_sessions_recording_client').execute();
  await db.schema.dropTable('profile_fields').execute();
}
