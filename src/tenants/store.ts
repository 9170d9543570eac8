// Tenant rows. Tenants are the root of isolation; this is the one store not scoped by a tenant.
import type { Kysely } from 'kysely';
import type { DB } from '../platform/db/schema.js';

export interface Tenant {
  id: string;
  name: string;
  createdAt: number;
  /** The plan's request limit per minute for each of the tenant's keys; null: the kind's default. */
  rateLimitPerMinute: number | null;
}

const toTenant = (r: { id: string; name: string; created_at: number; rate_limit_per_minute: number | null }): Tenant => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
  rateLimitPerMinute: r.rate_limit_per_minute,
});

export async function insertTenant(db: Kysely<DB>, tenant: Tenant): Promise<void> {
  await db
    .insertInto('tenants')
    .values({ id: tenant.id, name: tenant.name, created_at: tenant.createdAt, rate_limit_per_minute: tenant.rateLimitPerMinute })
    .execute();
}

export async function findTenant(db: Kysely<DB>, id: string): Promise<Tenant | undefined> {
  const row = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toTenant(row);
}

export async function firstTenant(db: Kysely<DB>): Promise<Tenant | undefined> {
  const row = await db.selectFrom('tenants').selectAll().orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  return row && toTenant(row);
}

export async function setTenantRateLimit(db: Kysely<DB>, id: string, perMinute: number | null): Promise<void> {
  await db.updateTable('tenants').set({ rate_limit_per_minute: perMinute }).where('id', '=', id).execute();
}
