// Authentication: keys of every kind (secret shown once, stored hashed), sessions, and the bootstrap key.
// Every way in ends in a Principal: the tenant, the user if any, and what the caller may do.
import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.js';
import { isUniqueViolation } from '../platform/db/index.js';
import type { CredentialKind, DB } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { Ids } from '../platform/ids.js';
import type { RateLimiter } from '../platform/rate-limit.js';
import { insertTenant } from '../tenants/store.js';
import type { TenantService } from '../tenants/service.js';
import type { UserService } from '../users/service.js';
import { type Principal, permissionsFromScopes, requirePermission } from './principal.js';
import { hashSecret, newSecret, visiblePrefix } from './secrets.js';
import type { SessionService } from './sessions.js';
import * as store from './store.js';
import type { Credential, CredentialFilter } from './store.js';

export type { Credential, CredentialFilter, Principal };

export interface NewCredential {
  kind: CredentialKind;
  name?: string;
  scopes?: string[];
  expiresAt?: number | null;
  /** A key that acts as this user (recording-face keys, per-user platform keys). */
  userId?: string | null;
  /** A platform key that acts as this identity; its permissions are its scopes. */
  identityId?: string | null;
  rateLimitPerMinute?: number | null;
}

const touchEveryMs = 60_000;

/**
 * Requests per minute per key when neither the key nor its tenant's plan sets a limit: 120 for developer
 * tokens (001); none for the others. A limit costs one counted write per request, so keys without one skip it.
 */
export const defaultRateLimits: Record<CredentialKind, number | null> = {
  developer: 120,
  selfmodel: null,
  clone: null,
  platform: null,
  ingestion: null,
};
const invalid = () => new AppError('unauthorized', { reason: 'Invalid credentials' });

export class AuthService {
  private readonly lastTouched = new Map<string, number>();

  constructor(
    private readonly deps: {
      db: Kysely<DB>;
      clock: Clock;
      ids: Ids;
      tenants: TenantService;
      users: UserService;
      sessions: SessionService;
      limiter: RateLimiter;
    },
  ) {}

  /** Issues a credential; the returned secret is never stored and cannot be shown again. */
  async createCredential(tenantId: string, input: NewCredential): Promise<{ credential: Credential; secret: string }> {
    const secret = newSecret(input.kind);
    const credential = this.describe(input, secret);
    await store.insertCredential(this.deps.db, tenantId, credential, hashSecret(secret));
    return { credential: { ...credential, tenantId }, secret };
  }

  listCredentials(tenantId: string, filter: CredentialFilter = {}): Promise<Credential[]> {
    return store.listCredentials(this.deps.db, tenantId, filter);
  }

  /** Revokes a credential of this tenant; it stops working at once in every process (nothing is cached). */
  async revokeCredential(tenantId: string, id: string, filter: CredentialFilter = {}): Promise<void> {
    const revoked = await store.revokeCredential(this.deps.db, tenantId, id, this.deps.clock.now(), filter);
    if (!revoked) throw new AppError('not_found', { resource: 'API key', id });
  }

  /**
   * Scopes a credential down (001: "can be scoped down but not up"): the new set must be a subset of the
   * current one. Takes effect on the next request, as nothing is cached.
   */
  async narrowScopes(tenantId: string, credentialId: string, scopes: readonly string[]): Promise<Credential> {
    const current = await store.findCredential(this.deps.db, tenantId, credentialId);
    if (!current || current.revokedAt !== null) throw new AppError('not_found', { resource: 'API key', id: credentialId });
    const wanted = [...new Set(scopes)];
    const added = wanted.filter((s) => !current.scopes.includes(s));
    if (added.length) {
      throw new AppError('conflict', { reason: `Scopes can only be narrowed; this key does not hold ${added.join(', ')}`, scopes: added });
    }
    // Compare-and-set: of two concurrent narrowings, the one that read stale scopes fails instead of widening back.
    if (!(await store.replaceCredentialScopes(this.deps.db, tenantId, credentialId, current.scopes, wanted))) {
      throw new AppError('conflict', { reason: "This key's scopes changed meanwhile; read them again" });
    }
    return { ...current, scopes: wanted };
  }

  /** A platform key that acts as one of the tenant's users (UserManage); the secret is returned once. */
  async createUserKey(
    principal: Principal,
    userId: string,
    input: { name?: string; expiresAt?: number | null } = {},
  ): Promise<{ credential: Credential; secret: string }> {
    requirePermission(principal, 'UserManage');
    const user = await this.deps.users.get(principal, userId);
    return this.createCredential(principal.tenantId, {
      kind: 'platform',
      userId: user.id,
      name: input.name ?? `${user.username} platform key`,
      expiresAt: input.expiresAt ?? null,
    });
  }

  /** Revokes every live platform key of one of the tenant's users (UserManage); returns their ids. */
  async revokeUserKeys(principal: Principal, userId: string): Promise<string[]> {
    requirePermission(principal, 'UserManage');
    const user = await this.deps.users.get(principal, userId);
    const keys = await store.listCredentials(this.deps.db, principal.tenantId, { kind: 'platform', userId: user.id });
    const now = this.deps.clock.now();
    for (const key of keys) await store.revokeCredential(this.deps.db, principal.tenantId, key.id, now);
    return keys.map((k) => k.id);
  }

  /**
   * Resolves a presented key. Unknown, revoked, expired, wrong-kind keys and keys of a disabled user all
   * answer the same 401, so a caller learns nothing about which keys exist.
   */
  async authenticateKey(acceptedKinds: readonly CredentialKind[], secret: string | undefined): Promise<Principal> {
    if (!secret) throw new AppError('unauthorized', { reason: 'Missing credentials' });
    const found = await store.findCredentialByHash(this.deps.db, hashSecret(secret));
    const now = this.deps.clock.now();
    const credential = found?.credential;
    const usable =
      credential &&
      acceptedKinds.includes(credential.kind) &&
      credential.revokedAt === null &&
      (credential.expiresAt === null || credential.expiresAt > now);
    if (!usable) throw invalid();
    let permissions = permissionsFromScopes(credential.scopes);
    if (credential.userId) {
      const user = await this.deps.users.activeUser(credential.tenantId, credential.userId);
      if (!user) throw invalid();
      permissions = new Set(await this.deps.users.permissionsOf(user));
    }
    const max = credential.rateLimitPerMinute ?? found.tenantRateLimit ?? defaultRateLimits[credential.kind];
    if (max !== null) await this.deps.limiter.hit({ bucket: `cred:${credential.id}`, max, windowMs: 60_000 });
    await this.touch(credential, now);
    return {
      tenantId: credential.tenantId,
      userId: credential.userId,
      identityId: credential.identityId,
      credentialId: credential.id,
      credentialKind: credential.kind,
      scopes: credential.scopes,
      permissions,
    };
  }

  /** Resolves an access JWT; the user must still be active. */
  async authenticateAccessToken(token: string | undefined): Promise<Principal> {
    if (!token) throw new AppError('unauthorized', { reason: 'Missing credentials' });
    const subject = await this.deps.sessions.verifyAccess(token);
    const user = await this.deps.users.activeUser(subject.tenantId, subject.userId);
    if (!user) throw invalid();
    return {
      tenantId: user.tenantId,
      userId: user.id,
      identityId: null,
      credentialId: null,
      credentialKind: null,
      scopes: [],
      permissions: new Set(await this.deps.users.permissionsOf(user)),
    };
  }

  /**
   * First start with ENGRAM_BOOTSTRAP_KEY: when no tenant exists yet, create the default tenant and
   * a self-model admin key with exactly that value. Does nothing once any tenant exists.
   */
  async bootstrap(secret: string): Promise<{ created: boolean; tenantId?: string }> {
    if (await this.deps.tenants.first()) return { created: false };
    const tenant = { id: this.deps.ids.next(), name: 'default', createdAt: this.deps.clock.now(), rateLimitPerMinute: null };
    const credential = this.describe({ kind: 'selfmodel', name: 'bootstrap key', scopes: ['admin'] }, secret);
    try {
      // One transaction: two processes starting at once leave one tenant and one key, not two tenants.
      await this.deps.db.transaction().execute(async (trx) => {
        await insertTenant(trx, tenant);
        await store.insertCredential(trx, tenant.id, credential, hashSecret(secret));
      });
    } catch (err) {
      if (isUniqueViolation(err)) return { created: false };
      throw err;
    }
    return { created: true, tenantId: tenant.id };
  }

  private describe(input: NewCredential, secret: string): Omit<Credential, 'tenantId'> {
    return {
      id: this.deps.ids.next(),
      kind: input.kind,
      name: input.name ?? `${input.kind} key`,
      prefix: visiblePrefix(secret),
      scopes: input.scopes ?? [],
      userId: input.userId ?? null,
      identityId: input.identityId ?? null,
      rateLimitPerMinute: input.rateLimitPerMinute ?? null,
      createdAt: this.deps.clock.now(),
      expiresAt: input.expiresAt ?? null,
      revokedAt: null,
      lastUsedAt: null,
    };
  }

  private async touch(credential: Credential, now: number): Promise<void> {
    const last = this.lastTouched.get(credential.id) ?? credential.lastUsedAt ?? 0;
    if (now - last < touchEveryMs) return;
    this.lastTouched.set(credential.id, now);
    await store.touchCredential(this.deps.db, credential.tenantId, credential.id, now);
  }
}
