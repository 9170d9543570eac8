// Tenant rows. Tenants are the root of isolation; this is the one store not scoped by a tenant.
import type { Kysely } from 'kysely';
import type { DB } from '../platform/db/schema.js';

export interface Tenant {
  id: string;
  name: string;
  createdAt: number;
}

export async function insertTenant(db: Kysely<DB>, tenant: Tenant): Promise<void> {
  await db.insertInto('tenants').values({ id: tenant.id, name: tenant.name, created_at: tenant.createdAt }).execute();
}

export async function findTenant(db: Kysely<DB>, id: string): Promise<Tenant | undefined> {
  const row = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
  return row && { id: row.id, name: row.name, createdAt: row.created_at };
}

export async function firstTenant(db: Kysely<DB>): Promise<Tenant | undefined> {
  const row = await db.selectFrom('tenants').selectAll().orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  return row && { id: row.id, name: row.name, createdAt: row.created_at };
}
