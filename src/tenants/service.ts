// Tenants: creating them and finding the default one for single-tenant setups.
import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.js';
import type { DB } from '../platform/db/schema.js';
import type { Ids } from '../platform/ids.js';
import { type Tenant, findTenant, firstTenant, insertTenant, setTenantRateLimit } from './store.js';

export class TenantService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock; ids: Ids }) {}

  async create(name: string): Promise<Tenant> {
    const tenant = { id: this.deps.ids.next(), name, createdAt: this.deps.clock.now(), rateLimitPerMinute: null };
    await insertTenant(this.deps.db, tenant);
    return tenant;
  }

  get(id: string): Promise<Tenant | undefined> {
    return findTenant(this.deps.db, id);
  }

  /** The plan limit: requests per minute for each of the tenant's keys (null: each kind's default). */
  setRateLimit(id: string, perMinute: number | null): Promise<void> {
    return setTenantRateLimit(this.deps.db, id, perMinute);
  }

  /** The oldest tenant, if any: what single-tenant tools (`engram keys create`) act on by default. */
  first(): Promise<Tenant | undefined> {
    return firstTenant(this.deps.db);
  }
}
