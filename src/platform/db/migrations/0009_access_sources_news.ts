// Migration 0009: read access between account users, source connectors, the server-wide news feed and
// the staff list (who may post news and open /admin/).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One row per (owner, member) pair: invited → approved or declined; deleting the row ends the access.
  await db.schema
    .createTable('access_grants')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', 'text', (c) => c.notNull())
    .addColumn('member_user_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('responded_at', 'bigint')
    .addPrimaryKeyConstraint('access_grants_pkey', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('access_grants_pair').on('access_grants').columns(['tenant_id', 'owner_user_id', 'member_user_id']).unique().execute();
  await db.schema.createIndex('access_grants_member').on('access_grants').columns(['tenant_id', 'member_user_id']).execute();

  // `secrets` holds the AES-256-GCM sealed secret values (src/sources/secrets.ts); `config` never does.
  await db.schema
    .createTable('sources')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('secrets', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('last_synced_at', 'bigint')
    .addColumn('items_imported', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sources_pkey', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('sources_tenant_user_created').on('sources').columns(['tenant_id', 'user_id', 'created_at']).execute();

  // News is for the whole server (the marketing site's feed), so it has no tenant; the author's is kept.
  await db.schema
    .createTable('news')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('author_tenant_id', 'text', (c) => c.notNull())
    .addColumn('author_user_id', 'text', (c) => c.notNull())
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('news_published').on('news').columns(['published_at', 'id']).execute();

  // Staff are server operators, not tenant admins (every signup is the admin of its own tenant).
  await db.schema
    .createTable('staff_users')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('granted_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('staff_users').execute();
  await db.schema.dropTable('news').execute();
  await db.schema.dropTable('sources').execute();
  await db.schema.dropTable('access_grants').execute();
}
