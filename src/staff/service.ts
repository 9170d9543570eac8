// Staff: server operators who may post news and open /admin/. A list of users, separate from tenant roles,
// because every signup is the admin of its own tenant. Granted with `grant` (tests, operators' scripts).
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.js';
import type { Clock } from '../platform/clock.js';
import type { DB } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';

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

  async revoke(userId: string): Promise<void> {
    await this.deps.db.deleteFrom('staff_users').where('user_id', '=', userId).execute();
  }
}
