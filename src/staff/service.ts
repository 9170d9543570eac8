// Staff: server operators who may post news and open /admin/. A list of users, separate from tenant roles,
// because every signup is the admin of its own tenant. Granted with `grant` (tests, operators' scripts).
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.js';
import type { Clock } from '../platform/clock.js';
import type { DB } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import { findLoginByUsername } from '../users/store.js';

export interface TenantSummary {
  id: string;
  name: string;
  createdAt: number;
  users: number;
}

export interface UserSummary {
  id: string;
  tenantId: string;
  username: string;
  email: string;
  status: string;
  createdAt: number;
  staff: boolean;
}

export class StaffService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock }) {}

  async isStaff(userId: string | null): Promise<boolean> {
    if (!userId) return false;
    const row = await this.deps.db.selectFrom('staff_users').select('user_id').where('user_id', '=', userId).executeTakeFirst();
    return row !== undefined;
  }

  /** Only a signed-in staff user passes; keys count as their user. */
  async requireStaff(principal: Principal): Promise<void> {
    if (!(await this.isStaff(principal.userId))) throw new AppError('forbidden', { reason: 'Only staff may do this' });
  }

  async grant(tenantId: string, userId: string): Promise<void> {
    await this.deps.db
      .insertInto('staff_users')
      .values({ user_id: userId, tenant_id: tenantId, granted_at: this.deps.clock.now() })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .execute();
  }

  /** The operator's way in (`engram staff grant --user NAME`): the user, made staff, in their own tenant. */
  async grantByUsername(username: string): Promise<{ userId: string; tenantId: string }> {
    const found = await findLoginByUsername(this.deps.db, username);
    if (!found) throw new AppError('not_found', { resource: 'User', id: username });
    await this.grant(found.user.tenantId, found.user.id);
    return { userId: found.user.id, tenantId: found.user.tenantId };
  }

  /** Every tenant with its number of users, newest first (the /admin/ overview; deliberately cross-tenant). */
  async tenantsWithUserCounts(limit: number): Promise<TenantSummary[]> {
    const rows = await this.deps.db
      .selectFrom('tenants')
      .leftJoin('users', (join) => join.onRef('users.tenant_id', '=', 'tenants.id').on('users.deleted_at', 'is', null))
      .select(['tenants.id', 'tenants.name', 'tenants.created_at', (eb) => eb.fn.count<number>('users.id').as('users')])
      .groupBy(['tenants.id', 'tenants.name', 'tenants.created_at'])
      .orderBy('tenants.created_at', 'desc')
      .orderBy('tenants.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, users: Number(r.users) }));
  }

  /** The newest users of every tenant, with whether each is staff (the /admin/ overview). */
  async recentUsers(limit: number): Promise<UserSummary[]> {
    const rows = await this.deps.db
      .selectFrom('users')
      .leftJoin('staff_users', 'staff_users.user_id', 'users.id')
      .select(['users.id', 'users.tenant_id', 'users.username', 'users.email', 'users.status', 'users.created_at', 'staff_users.user_id as staff'])
      .where('users.deleted_at', 'is', null)
      .orderBy('users.created_at', 'desc')
      .orderBy('users.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      username: r.username,
      email: r.email,
      status: r.status,
      createdAt: r.created_at,
      staff: r.staff !== null,
    }));
  }

  async revoke(userId: string): Promise<void> {
    await this.deps.db.deleteFrom('staff_users').where('user_id', '=', userId).execute();
  }
}
