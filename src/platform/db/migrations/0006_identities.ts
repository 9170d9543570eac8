// Migration 0006: identities (004 /api/identities), each the named face of one subject of kind 'identity';
// and credentials that act as an identity.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Its own table rather than more columns on subjects: these fields, the per-tenant unique name and the
  // soft delete belong to identities only; subjects stay the one shape every memory row hangs from.
  await db.schema
    .createTable('identities')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('bio', 'text')
    .addColumn('origin', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('linked_user_id', 'text')
    .addColumn('presence', 'text', (c) => c.notNull().defaultTo('offline'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .addPrimaryKeyConstraint('identities_pkey', ['tenant_id', 'id'])
    .execute();
  // A deleted identity gives its name back.
  await db.schema
    .createIndex('identities_name')
    .on('identities')
    .columns(['tenant_id', 'name'])
    .unique()
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();
  await db.schema.createIndex('identities_linked_user').on('identities').columns(['tenant_id', 'linked_user_id']).execute();
  await db.schema.createIndex('identities_tenant_created').on('identities').columns(['tenant_id', 'created_at']).execute();

  await db.schema.alterTable('credentials').addColumn('identity_id', 'text').execute();
  await db.schema.createIndex('credentials_tenant_identity').on('credentials').columns(['tenant_id', 'identity_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('credentials_tenant_identity').execute();
  await db.schema.alterTable('credentials').dropColumn('identity_id').execute();
  await db.schema.dropTable('identities').execute();
}
