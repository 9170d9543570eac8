// Identity rows: queries and mapping only; every function takes the tenant first. Deleted rows are never read.
import type { Kysely, Selectable } from 'kysely';
import type { DB, IdentitiesTable, IdentityType } from '../platform/db/schema.js';

export interface Identity {
  id: string;
  tenantId: string;
  /** The subject of kind 'identity' whose memory this identity has. */
  subjectId: string;
  name: string;
  displayName: string | null;
  bio: string | null;
  origin: string | null;
  type: IdentityType;
  linkedUserId: string | null;
  presence: string;
  createdAt: number;
  updatedAt: number;
}

export type IdentityChanges = Partial<Pick<Identity, 'name' | 'displayName' | 'bio' | 'origin' | 'type' | 'linkedUserId' | 'presence'>>;

const toIdentity = (r: Selectable<IdentitiesTable>): Identity => ({
  id: r.id,
  tenantId: r.tenant_id,
  subjectId: r.subject_id,
  name: r.name,
  displayName: r.display_name,
  bio: r.bio,
  origin: r.origin,
  type: r.type,
  linkedUserId: r.linked_user_id,
  presence: r.presence,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function insertIdentity(db: Kysely<DB>, tenantId: string, i: Omit<Identity, 'tenantId'>): Promise<void> {
  await db
    .insertInto('identities')
    .values({
      tenant_id: tenantId,
      id: i.id,
      subject_id: i.subjectId,
      name: i.name,
      display_name: i.displayName,
      bio: i.bio,
      origin: i.origin,
      type: i.type,
      linked_user_id: i.linkedUserId,
      presence: i.presence,
      created_at: i.createdAt,
      updated_at: i.updatedAt,
      deleted_at: null,
    })
    .execute();
}

const live = (db: Kysely<DB>, tenantId: string) =>
  db.selectFrom('identities').selectAll().where('tenant_id', '=', tenantId).where('deleted_at', 'is', null);

export async function findIdentity(
  db: Kysely<DB>,
  tenantId: string,
  by: { id: string } | { name: string } | { linkedUserId: string },
): Promise<Identity | undefined> {
  let q = live(db, tenantId);
  if ('id' in by) q = q.where('id', '=', by.id);
  else if ('name' in by) q = q.where('name', '=', by.name);
  else q = q.where('linked_user_id', '=', by.linkedUserId);
  // Several identities may link to one user; by-user answers the oldest.
  const row = await q.orderBy('created_at').orderBy('id').executeTakeFirst();
  return row && toIdentity(row);
}

export async function listIdentities(db: Kysely<DB>, tenantId: string, page: { limit: number; offset: number }) {
  const rows = await live(db, tenantId).orderBy('created_at').orderBy('id').limit(page.limit).offset(page.offset).execute();
  const total = await db
    .selectFrom('identities')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { identities: rows.map(toIdentity), total: Number(total.n) };
}

/** Changes a live identity; false when there is none with this id. */
export async function updateIdentity(db: Kysely<DB>, tenantId: string, id: string, changes: IdentityChanges, now: number): Promise<boolean> {
  const r = await db
    .updateTable('identities')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
      ...(changes.bio !== undefined ? { bio: changes.bio } : {}),
      ...(changes.origin !== undefined ? { origin: changes.origin } : {}),
      ...(changes.type !== undefined ? { type: changes.type } : {}),
      ...(changes.linkedUserId !== undefined ? { linked_user_id: changes.linkedUserId } : {}),
      ...(changes.presence !== undefined ? { presence: changes.presence } : {}),
      updated_at: now,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Soft delete: the row (and its subject's memory) stays; the identity is no longer found. */
export async function markIdentityDeleted(db: Kysely<DB>, tenantId: string, id: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('identities')
    .set({ deleted_at: now, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
