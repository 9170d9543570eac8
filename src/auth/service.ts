// Credentials: issue (secret shown once), authenticate by kind, and the bootstrap key for first start.
import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.js';
import type { CredentialKind, DB } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { Ids } from '../platform/ids.js';
import { isUniqueViolation } from '../platform/db/index.js';
import type { TenantService } from '../tenants/service.js';
import { insertTenant } from '../tenants/store.js';
import { hashSecret, newSecret, visiblePrefix } from './secrets.js';
import { type Credential, findCredentialByHash, insertCredential, revokeCredential, touchCredential } from './store.js';

/** Who is calling, as every service sees it: always a tenant, and the credential that proved it. */
export interface AuthContext {
  tenantId: string;
  credentialId: string;
  kind: CredentialKind;
  scopes: string[];
}

export interface NewCredential {
  kind: CredentialKind;
  name?: string;
  scopes?: string[];
  expiresAt?: number | null;
}

const touchEveryMs = 60_000;

export class AuthService {
  private readonly lastTouched = new Map<string, number>();

  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock; ids: Ids; tenants: TenantService }) {}

  /** Issues a credential; the returned secret is never stored and cannot be shown again. */
  async createCredential(tenantId: string, input: NewCredential) {
    const secret = newSecret(input.kind);
    const credential: Omit<Credential, 'tenantId'> = {
      id: this.deps.ids.next(),
      kind: input.kind,
      name: input.name ?? `${input.kind} key`,
      prefix: visiblePrefix(secret),
      scopes: input.scopes ?? [],
      createdAt: this.deps.clock.now(),
      expiresAt: input.expiresAt ?? null,
      revokedAt: null,
      lastUsedAt: null,
    };
    await insertCredential(this.deps.db, tenantId, credential, hashSecret(secret));
    return { credential: { ...credential, tenantId }, secret };
  }

  /**
   * Resolves a presented secret to its tenant. Unknown, revoked, expired and wrong-kind secrets all
   * answer the same 401, so a caller learns nothing about which keys exist.
   */
  async authenticate(acceptedKinds: readonly CredentialKind[], secret: string | undefined): Promise<AuthContext> {
    if (!secret) throw new AppError('unauthorized', { reason: 'Missing credentials' });
    const credential = await findCredentialByHash(this.deps.db, hashSecret(secret));
    const now = this.deps.clock.now();
    const usable =
      credential &&
      acceptedKinds.includes(credential.kind) &&
      credential.revokedAt === null &&
      (credential.expiresAt === null || credential.expiresAt > now);
    if (!usable) throw new AppError('unauthorized', { reason: 'Invalid credentials' });
    await this.touch(credential, now);
    return { tenantId: credential.tenantId, credentialId: credential.id, kind: credential.kind, scopes: credential.scopes };
  }

  /** Revokes a credential of this tenant; it stops working at once in every process (no cache). */
  async revokeCredential(tenantId: string, id: string): Promise<void> {
    const revoked = await revokeCredential(this.deps.db, tenantId, id, this.deps.clock.now());
    if (!revoked) throw new AppError('not_found', { resource: 'Credential', id });
  }

  /**
   * First start with ENGRAM_BOOTSTRAP_KEY: when no tenant exists yet, create the default tenant and
   * a self-model admin key with exactly that value. Does nothing once any tenant exists.
   */
  async bootstrap(secret: string): Promise<{ created: boolean; tenantId?: string }> {
    if (await this.deps.tenants.first()) return { created: false };
    const { clock, ids } = this.deps;
    const tenant = { id: ids.next(), name: 'default', createdAt: clock.now() };
    try {
      // One transaction: two processes starting at once leave one tenant and one key, not two tenants.
      await this.deps.db.transaction().execute(async (trx) => {
        await insertTenant(trx, tenant);
        await insertCredential(
          trx,
          tenant.id,
          {
            id: ids.next(),
            kind: 'selfmodel',
            name: 'bootstrap key',
            prefix: visiblePrefix(secret),
            scopes: ['admin'],
            createdAt: tenant.createdAt,
            expiresAt: null,
            revokedAt: null,
            lastUsedAt: null,
          },
          hashSecret(secret),
        );
      });
    } catch (err) {
      if (isUniqueViolation(err)) return { created: false };
      throw err;
    }
    return { created: true, tenantId: tenant.id };
  }

  private async touch(credential: Credential, now: number): Promise<void> {
    const last = this.lastTouched.get(credential.id) ?? credential.lastUsedAt ?? 0;
    if (now - last < touchEveryMs) return;
    this.lastTouched.set(credential.id, now);
    await touchCredential(this.deps.db, credential.tenantId, credential.id, now);
  }
}
