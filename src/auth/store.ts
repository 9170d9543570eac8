// Credential rows: queries and mapping only.
import type { Kysely, Selectable } from 'kysely';
import type { CredentialKind, CredentialsTable, DB } from '../platform/db/schema.js';

export interface Credential {
  id: string;
  tenantId: string;
  kind: CredentialKind;
  name: string;
  prefix: string;
  scopes: string[];
  userId: string | null;
  /** A platform key that acts as this identity (its permissions come from its scopes). */
  identityId: string | null;
  /** Requests per minute for this key; null: the tenant's plan limit, else the kind's default. */
  rateLimitPerMinute: number | null;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

/** Narrows a list or a revocation to one kind, user or identity. */
export interface CredentialFilter {
  kind?: CredentialKind;
  userId?: string;
  identityId?: string;
}

function toCredential(row: Selectable<CredentialsTable>): Credential {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind,
    name: row.name,
    prefix: row.prefix,
    scopes: JSON.parse(row.scopes) as string[],
    userId: row.user_id,
    identityId: row.identity_id,
    rateLimitPerMinute: row.rate_limit_per_minute,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

export async function insertCredential(db: Kysely<DB>, tenantId: string, c: Omit<Credential, 'tenantId'>, secretHash: string) {
  await db
    .insertInto('credentials')
    .values({
      id: c.id,
      tenant_id: tenantId,
      kind: c.kind,
      name: c.name,
      prefix: c.prefix,
      secret_hash: secretHash,
      scopes: JSON.stringify(c.scopes),
      user_id: c.userId,
      identity_id: c.identityId,
      rate_limit_per_minute: c.rateLimitPerMinute,
      created_at: c.createdAt,
      expires_at: c.expiresAt,
      revoked_at: c.revokedAt,
      last_used_at: c.lastUsedAt,
    })
    .execute();
}

/** The one lookup that runs before the tenant is known: by the hash of a presented secret, with the
 * tenant's plan limit. */
export async function findCredentialByHash(
  db: Kysely<DB>,
  secretHash: string,
): Promise<{ credential: Credential; tenantRateLimit: number | null } | undefined> {
  const row = await db
    .selectFrom('credentials')
    .innerJoin('tenants', 'tenants.id', 'credentials.tenant_id')
    .selectAll('credentials')
    .select('tenants.rate_limit_per_minute as tenant_rate_limit')
    .where('credentials.secret_hash', '=', secretHash)
    .executeTakeFirst();
  return row && { credential: toCredential(row), tenantRateLimit: row.tenant_rate_limit };
}

/** Records use at most once a minute per credential, so authentication stays one read on the hot path. */
export async function touchCredential(db: Kysely<DB>, tenantId: string, id: string, now: number): Promise<void> {
  await db
    .updateTable('credentials')
    .set({ last_used_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', now - 60_000)]))
    .execute();
}

/** Marks a credential revoked; false when this tenant (and user, if given) has no such live credential. */
export async function revokeCredential(
  db: Kysely<DB>,
  tenantId: string,
  id: string,
  now: number,
  filter: CredentialFilter = {},
): Promise<boolean> {
  const r = await db
    .updateTable('credentials')
    .set({ revoked_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .$if(filter.userId !== undefined, (q) => q.where('user_id', '=', filter.userId!))
    .$if(filter.identityId !== undefined, (q) => q.where('identity_id', '=', filter.identityId!))
    .$if(filter.kind !== undefined, (q) => q.where('kind', '=', filter.kind!))
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function findCredential(db: Kysely<DB>, tenantId: string, id: string): Promise<Credential | undefined> {
  const row = await db.selectFrom('credentials').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return row && toCredential(row);
}

/** Replaces a live credential's scopes only if they are still `from`; false when they changed meanwhile. */
export async function replaceCredentialScopes(
  db: Kysely<DB>,
  tenantId: string,
  id: string,
  from: readonly string[],
  to: readonly string[],
): Promise<boolean> {
  const r = await db
    .updateTable('credentials')
    .set({ scopes: JSON.stringify(to) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .where('scopes', '=', JSON.stringify(from))
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Live (not revoked) credentials of a tenant, newest first; never their secrets. */
export async function listCredentials(
  db: Kysely<DB>,
  tenantId: string,
  filter: CredentialFilter,
): Promise<Credential[]> {
  const rows = await db
    .selectFrom('credentials')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('revoked_at', 'is', null)
    .$if(filter.kind !== undefined, (q) => q.where('kind', '=', filter.kind!))
    .$if(filter.userId !== undefined, (q) => q.where('user_id', '=', filter.userId!))
    .$if(filter.identityId !== undefined, (q) => q.where('identity_id', '=', filter.identityId!))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toCredential);
}
