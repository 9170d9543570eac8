// Identities (004): named actors (AI, human, system) of a tenant, each with its own memory (a subject of
// kind 'identity'), a presence, and platform API keys that act as it. IdentityView reads, IdentityManage writes.
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.js';
import { permissionsFromScopes, requirePermission } from '../auth/principal.js';
import type { AuthService, Credential } from '../auth/service.js';
import type { Clock } from '../platform/clock.js';
import { isUniqueViolation } from '../platform/db/index.js';
import type { DB, IdentityType } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { Ids } from '../platform/ids.js';
import { insertSubject, renameSubject } from '../subjects/store.js';
import type { UserService } from '../users/service.js';
import { isPermission } from '../users/permissions.js';
import * as store from './store.js';
import type { Identity, IdentityChanges } from './store.js';

export type { Identity };

export interface NewIdentity {
  name: string;
  displayName?: string | null;
  bio?: string | null;
  origin?: string | null;
  type: IdentityType;
  linkedUserId?: string | null;
}

export type IdentityUpdate = Omit<IdentityChanges, 'presence'>;

export interface NewIdentityKey {
  name: string;
  /** Permission names, or `admin` for all of them; the caller must hold every permission it grants. */
  scopes: string[];
  expiresAt?: number | null;
}

const nameTaken = (name: string) => new AppError('conflict', { reason: `An identity named ${name} exists` });

export class IdentityService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock; ids: Ids; users: UserService; auth: AuthService }) {}

  /** Creates the identity and its subject together, so an identity always has a memory. */
  async create(principal: Principal, input: NewIdentity): Promise<Identity> {
    requirePermission(principal, 'IdentityManage');
    await this.requireLinkedUser(principal.tenantId, input.linkedUserId);
    const now = this.deps.clock.now();
    const identity: Omit<Identity, 'tenantId'> = {
      id: this.deps.ids.next(),
      subjectId: this.deps.ids.next(),
      name: input.name,
      displayName: input.displayName ?? null,
      bio: input.bio ?? null,
      origin: input.origin ?? null,
      type: input.type,
      linkedUserId: input.linkedUserId ?? null,
      presence: 'offline',
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        await insertSubject(trx, principal.tenantId, {
          id: identity.subjectId,
          kind: 'identity',
          externalId: null,
          email: null,
          appId: null,
          userId: null,
          displayName: identity.displayName ?? identity.name,
          selfModelId: this.deps.ids.next(),
          metadata: {},
          createdAt: now,
          updatedAt: now,
        });
        await store.insertIdentity(trx, principal.tenantId, identity);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(input.name);
      throw err;
    }
    return { ...identity, tenantId: principal.tenantId };
  }

  list(principal: Principal, page: { limit: number; offset: number }) {
    requirePermission(principal, 'IdentityView');
    return store.listIdentities(this.deps.db, principal.tenantId, page);
  }

  get(principal: Principal, id: string): Promise<Identity> {
    requirePermission(principal, 'IdentityView');
    return this.find(principal.tenantId, { id }, id);
  }

  getByName(principal: Principal, name: string): Promise<Identity> {
    requirePermission(principal, 'IdentityView');
    return this.find(principal.tenantId, { name }, name);
  }

  /** The (oldest) live identity linked to this user of the tenant. */
  getByUser(principal: Principal, userId: string): Promise<Identity> {
    requirePermission(principal, 'IdentityView');
    return this.find(principal.tenantId, { linkedUserId: userId }, userId);
  }

  async update(principal: Principal, id: string, changes: IdentityUpdate): Promise<Identity> {
    requirePermission(principal, 'IdentityManage');
    const current = await this.find(principal.tenantId, { id }, id);
    await this.requireLinkedUser(principal.tenantId, changes.linkedUserId);
    const now = this.deps.clock.now();
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        if (!(await store.updateIdentity(trx, principal.tenantId, id, changes, now))) throw new AppError('not_found', { resource: 'Identity', id });
        const next = { ...current, ...changes };
        await renameSubject(trx, principal.tenantId, current.subjectId, next.displayName ?? next.name, now);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(changes.name ?? current.name);
      throw err;
    }
    return this.find(principal.tenantId, { id }, id);
  }

  async setPresence(principal: Principal, id: string, presence: string): Promise<Identity> {
    requirePermission(principal, 'IdentityManage');
    if (!(await store.updateIdentity(this.deps.db, principal.tenantId, id, { presence }, this.deps.clock.now()))) {
      throw new AppError('not_found', { resource: 'Identity', id });
    }
    return this.find(principal.tenantId, { id }, id);
  }

  /** Soft delete: the identity's memory stays, its name is free again, and its keys stop working. */
  async remove(principal: Principal, id: string): Promise<void> {
    requirePermission(principal, 'IdentityManage');
    if (!(await store.markIdentityDeleted(this.deps.db, principal.tenantId, id, this.deps.clock.now()))) {
      throw new AppError('not_found', { resource: 'Identity', id });
    }
    const keys = await this.deps.auth.listCredentials(principal.tenantId, { kind: 'platform', identityId: id });
    for (const key of keys) await this.deps.auth.revokeCredential(principal.tenantId, key.id, { identityId: id });
  }

  async listKeys(principal: Principal, id: string): Promise<Credential[]> {
    requirePermission(principal, 'IdentityManage');
    await this.find(principal.tenantId, { id }, id);
    return this.deps.auth.listCredentials(principal.tenantId, { kind: 'platform', identityId: id });
  }

  /** Issues a platform key that acts as the identity; the secret is returned once. */
  async createKey(principal: Principal, id: string, input: NewIdentityKey): Promise<{ credential: Credential; secret: string }> {
    requirePermission(principal, 'IdentityManage');
    const identity = await this.find(principal.tenantId, { id }, id);
    const scopes = [...new Set(input.scopes)];
    const unknown = scopes.filter((s) => s !== 'admin' && !isPermission(s));
    if (unknown.length) {
      throw new AppError('validation_failed', { summary: `scopes: not a permission name or admin: ${unknown.join(', ')}` });
    }
    // A key cannot grant more than its issuer holds.
    const beyond = [...permissionsFromScopes(scopes)].filter((p) => !principal.permissions.has(p));
    if (beyond.length) throw new AppError('forbidden', { reason: `You cannot grant permissions you lack: ${beyond.join(', ')}` });
    return this.deps.auth.createCredential(principal.tenantId, {
      kind: 'platform',
      identityId: identity.id,
      name: input.name,
      scopes,
      expiresAt: input.expiresAt ?? null,
    });
  }

  /** Revokes one of this identity's keys; another identity's key is not found. */
  async revokeKey(principal: Principal, id: string, keyId: string): Promise<void> {
    requirePermission(principal, 'IdentityManage');
    await this.find(principal.tenantId, { id }, id);
    await this.deps.auth.revokeCredential(principal.tenantId, keyId, { kind: 'platform', identityId: id });
  }

  private async find(tenantId: string, by: Parameters<typeof store.findIdentity>[2], shown: string): Promise<Identity> {
    const identity = await store.findIdentity(this.deps.db, tenantId, by);
    if (!identity) throw new AppError('not_found', { resource: 'Identity', id: shown });
    return identity;
  }

  private async requireLinkedUser(tenantId: string, userId: string | null | undefined): Promise<void> {
    if (!userId) return;
    if (!(await this.deps.users.activeUser(tenantId, userId))) {
      throw new AppError('validation_failed', { summary: `linkedUserId: no active user ${userId} in this tenant` });
    }
  }
}
