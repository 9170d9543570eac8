// Bringing people in: invites into a tenant (token shown once, single use) and the public waitlist.
import type { Kysely } from 'kysely';
import { type Principal, requirePermission } from '../auth/principal.js';
import { hashSecret } from '../auth/secrets.js';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../platform/clock.js';
import { isUniqueViolation } from '../platform/db/index.js';
import type { DB } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { Ids } from '../platform/ids.js';
import type { UserService } from './service.js';

const inviteTtlMs = 7 * 86_400_000;

export class InviteService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock; ids: Ids; users: UserService }) {}

  /** Invites an email address into the caller's tenant; the token is returned once. */
  async invite(principal: Principal, input: { email: string; role?: string }) {
    requirePermission(principal, 'UserManage');
    if (!input.email.includes('@')) throw new AppError('validation_failed', { summary: 'email: must contain @' });
    await this.deps.users.ensureSystemRoles(principal.tenantId);
    const role = await this.deps.users.roleOf(principal.tenantId, input.role ?? 'member');
    const token = `inv_${randomBytes(24).toString('base64url')}`;
    const now = this.deps.clock.now();
    const invite = { id: this.deps.ids.next(), email: input.email.trim().toLowerCase(), role: role.name, expiresAt: now + inviteTtlMs };
    await this.deps.db
      .insertInto('invites')
      .values({
        id: invite.id,
        tenant_id: principal.tenantId,
        email: invite.email,
        token_hash: hashSecret(token),
        role_id: role.id,
        invited_by: principal.userId ?? principal.credentialId ?? 'unknown',
        created_at: now,
        expires_at: invite.expiresAt,
        accepted_at: null,
      })
      .execute();
    return { ...invite, token };
  }

  /** Consumes an invite token (once) and says where its holder belongs. */
  async accept(token: string, email: string): Promise<{ inviteId: string; tenantId: string; role: string }> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const refused = new AppError('validation_failed', { summary: 'invite_token: invalid, expired, used, or for another email' });
    const row = await db
      .selectFrom('invites')
      .innerJoin('roles', (j) => j.onRef('roles.id', '=', 'invites.role_id').onRef('roles.tenant_id', '=', 'invites.tenant_id'))
      .select(['invites.id', 'invites.tenant_id', 'invites.email', 'roles.name as role'])
      .where('invites.token_hash', '=', hashSecret(token))
      .executeTakeFirst();
    if (!row || row.email !== email.trim().toLowerCase()) throw refused;
    const taken = await db
      .updateTable('invites')
      .set({ accepted_at: now })
      .where('tenant_id', '=', row.tenant_id)
      .where('id', '=', row.id)
      .where('accepted_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (taken.numUpdatedRows === 0n) throw refused;
    return { inviteId: row.id, tenantId: row.tenant_id, role: row.role };
  }

  /** Makes an accepted invite usable again, when the signup it was for failed. */
  async giveBack(placement: { inviteId: string; tenantId: string }): Promise<void> {
    await this.deps.db
      .updateTable('invites')
      .set({ accepted_at: null })
      .where('tenant_id', '=', placement.tenantId)
      .where('id', '=', placement.inviteId)
      .execute();
  }

  /** Public: joins the waitlist; joining twice is not an error and reveals nothing. */
  async joinWaitlist(input: { email: string; note?: string | null }): Promise<void> {
    if (!input.email.includes('@')) throw new AppError('validation_failed', { summary: 'email: must contain @' });
    try {
      await this.deps.db
        .insertInto('waitlist')
        .values({ id: this.deps.ids.next(), email: input.email.trim().toLowerCase(), note: input.note ?? null, created_at: this.deps.clock.now() })
        .execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
}
