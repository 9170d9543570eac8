// Account flows that end in a session: signup, first-admin bootstrap, password and API-key login, refresh.
// Every face's auth routes call these; they differ only in paths and response shapes.
import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.js';
import type { DB } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { Ids } from '../platform/ids.js';
import type { RateLimiter } from '../platform/rate-limit.js';
import type { TenantService } from '../tenants/service.js';
import { type NewUser, type User, type UserService, validateNewUser } from '../users/service.js';
import type { InviteService } from '../users/invites.js';
import type { AuthService } from './service.js';
import type { SessionService, TokenPair } from './sessions.js';

export interface Session extends TokenPair {
  user: User;
}

/** 004: "Signup: 3 per 5 minutes per IP"; other auth routes: a looser per-IP limit against guessing. */
export const signupLimit = { max: 3, windowMs: 5 * 60_000 };
export const authRouteLimit = { max: 30, windowMs: 60_000 };

export class AccountService {
  constructor(
    private readonly deps: {
      db: Kysely<DB>;
      clock: Clock;
      ids: Ids;
      tenants: TenantService;
      users: UserService;
      sessions: SessionService;
      auth: AuthService;
      limiter: RateLimiter;
      invites: InviteService;
    },
  ) {}

  /** Per-IP limit on an auth route (`kind` separates signup's tight limit from the rest). */
  async limitByIp(kind: 'signup' | 'auth', ip: string): Promise<void> {
    const limit = kind === 'signup' ? signupLimit : authRouteLimit;
    await this.deps.limiter.hit({ bucket: `ip:${kind}:${ip}`, ...limit });
  }

  /**
   * A new person: a tenant of their own with them as its admin — unless they bring an invite, which
   * places them in the inviting tenant with the invited role. The invite is consumed first (so two
   * signups cannot share it) and given back if the user cannot be created (e.g. the name is taken).
   */
  async signup(input: Omit<NewUser, 'role'>, options: { inviteToken?: string } = {}): Promise<Session> {
    const { users, tenants, invites } = this.deps;
    // Before anything is written: an invalid form must not leave a tenant behind or use up an invite.
    validateNewUser(input);
    if (options.inviteToken === undefined) {
      const tenant = await tenants.create(input.username);
      return this.startSession(await users.createUnchecked(tenant.id, { ...input, role: 'admin' }));
    }
    const placement = await invites.accept(options.inviteToken, input.email);
    try {
      return await this.startSession(await users.createUnchecked(placement.tenantId, { ...input, role: placement.role }));
    } catch (err) {
      await invites.giveBack(placement);
      throw err;
    }
  }

  /**
   * Only while no user exists: the first admin, in the default tenant (the oldest, e.g. made by
   * ENGRAM_BOOTSTRAP_KEY, or a new one). A marker row makes concurrent attempts produce one admin.
   */
  async bootstrap(input: Omit<NewUser, 'role'>): Promise<Session> {
    const { db, clock, users, tenants } = this.deps;
    const closed = new AppError('forbidden', { reason: 'Bootstrap is only possible while no user exists' });
    if ((await users.countAll()) > 0) throw closed;
    const claimed = await db
      .insertInto('server_settings')
      .values({ name: 'bootstrapped_at', value: String(clock.now()), created_at: clock.now() })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('name')
      .executeTakeFirst();
    if (!claimed) throw closed;
    try {
      const tenant = (await tenants.first()) ?? (await tenants.create('default'));
      return await this.startSession(await users.createUnchecked(tenant.id, { ...input, role: 'admin' }));
    } catch (err) {
      // Invalid input must not use up the one chance to bootstrap.
      await db.deleteFrom('server_settings').where('name', '=', 'bootstrapped_at').execute();
      throw err;
    }
  }

  async login(username: string, password: string): Promise<Session> {
    return this.startSession(await this.deps.users.verifyLogin(username, password));
  }

  /** Exchanges a user-bound platform or recording key for a session as that user. */
  async loginWithApiKey(apiKey: string): Promise<Session> {
    const principal = await this.deps.auth.authenticateKey(['platform', 'clone'], apiKey);
    if (!principal.userId) throw new AppError('unauthorized', { reason: 'This key does not belong to a user' });
    const user = await this.deps.users.activeUser(principal.tenantId, principal.userId);
    if (!user) throw new AppError('unauthorized', { reason: 'Invalid credentials' });
    return this.startSession(user);
  }

  async refresh(refreshToken: string): Promise<Session> {
    const { sessions, users } = this.deps;
    const rotated = await sessions.rotate(refreshToken);
    const user = await users.activeUser(rotated.subject.tenantId, rotated.subject.userId);
    if (!user) {
      await sessions.revokeFamily(rotated.subject.tenantId, rotated.familyId);
      throw new AppError('unauthorized', { reason: 'Invalid or expired refresh token' });
    }
    const pair = await sessions.issue(rotated.subject, { familyId: rotated.familyId, deviceId: rotated.deviceId });
    return { ...pair, user };
  }

  async startSession(user: User, deviceId: string | null = null): Promise<Session> {
    const pair = await this.deps.sessions.issue({ tenantId: user.tenantId, userId: user.id }, { deviceId });
    return { ...pair, user };
  }
}
