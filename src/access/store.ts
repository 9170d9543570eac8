// Access grants between account users of one tenant, and the log of members' reads: queries and row mapping only.
import type { Kysely, Selectable } from 'kysely';
import type { AccessGrantStatus, AccessGrantsTable, AccessReadsTable, DB } from '../platform/db/schema.js';

export interface AccessGrant {
  tenantId: string;
  id: string;
  ownerUserId: string;
  memberUserId: string;
  status: AccessGrantStatus;
  createdAt: number;
  updatedAt: number;
  respondedAt: number | null;
}

const toGrant = (r: Selectable<AccessGrantsTable>): AccessGrant => ({
  tenantId: r.tenant_id,
  id: r.id,
  ownerUserId: r.owner_user_id,
  memberUserId: r.member_user_id,
  status: r.status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  respondedAt: r.responded_at,
});

export async function insertGrant(db: Kysely<DB>, tenantId: string, g: Omit<AccessGrant, 'tenantId'>): Promise<void> {
  await db
    .insertInto('access_grants')
    .values({
      tenant_id: tenantId,
      id: g.id,
      owner_user_id: g.ownerUserId,
      member_user_id: g.memberUserId,
      status: g.status,
      created_at: g.createdAt,
      updated_at: g.updatedAt,
      responded_at: g.respondedAt,
    })
    .execute();
}

export async function findGrant(db: Kysely<DB>, tenantId: string, id: string): Promise<AccessGrant | undefined> {
  const row = await db.selectFrom('access_grants').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return row && toGrant(row);
}

export async function findGrantByPair(db: Kysely<DB>, tenantId: string, ownerUserId: string, memberUserId: string): Promise<AccessGrant | undefined> {
  const row = await db
    .selectFrom('access_grants')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('owner_user_id', '=', ownerUserId)
    .where('member_user_id', '=', memberUserId)
    .executeTakeFirst();
  return row && toGrant(row);
}

/** Grants the user is a party to, as owner or member, oldest first. */
export async function listGrantsOf(db: Kysely<DB>, tenantId: string, userId: string): Promise<AccessGrant[]> {
  const rows = await db
    .selectFrom('access_grants')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('owner_user_id', '=', userId), eb('member_user_id', '=', userId)]))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toGrant);
}

export async function setGrantStatus(
  db: Kysely<DB>,
  tenantId: string,
  id: string,
  change: { status: AccessGrantStatus; now: number; respondedAt: number | null },
  onlyFrom: AccessGrantStatus[],
): Promise<boolean> {
  const r = await db
    .updateTable('access_grants')
    .set({ status: change.status, updated_at: change.now, responded_at: change.respondedAt })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', 'in', onlyFrom)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteGrant(db: Kysely<DB>, tenantId: string, id: string): Promise<void> {
  await db.deleteFrom('access_grants').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

/** An active user of the tenant by username or email (case-insensitive email). */
export async function findActiveUserId(db: Kysely<DB>, tenantId: string, by: { username?: string; email?: string }): Promise<string | undefined> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('deleted_at', 'is', null)
    .where('status', '=', 'active')
    .$if(by.username !== undefined, (q) => q.where('username', '=', by.username!))
    .$if(by.username === undefined && by.email !== undefined, (q) => q.where((eb) => eb(eb.fn('lower', ['email']), '=', by.email!.toLowerCase())))
    .executeTakeFirst();
  return row?.id;
}

export interface AccessRead {
  id: string;
  grantId: string;
  ownerUserId: string;
  memberUserId: string;
  path: string;
  readAt: number;
}

const toRead = (r: Selectable<AccessReadsTable>): AccessRead => ({
  id: r.id,
  grantId: r.grant_id,
  ownerUserId: r.owner_user_id,
  memberUserId: r.member_user_id,
  path: r.path,
  readAt: r.read_at,
});

export async function insertRead(db: Kysely<DB>, tenantId: string, read: AccessRead): Promise<void> {
  await db
    .insertInto('access_reads')
    .values({
      tenant_id: tenantId,
      id: read.id,
      grant_id: read.grantId,
      owner_user_id: read.ownerUserId,
      member_user_id: read.memberUserId,
      path: read.path,
      read_at: read.readAt,
    })
    .execute();
}

/** Reads members made of the owner's memory, newest first, with the total across pages. */
export async function listReadsOf(
  db: Kysely<DB>,
  tenantId: string,
  ownerUserId: string,
  page: { memberUserId?: string; limit: number; offset: number },
): Promise<{ count: number; reads: AccessRead[] }> {
  const base = db
    .selectFrom('access_reads')
    .where('tenant_id', '=', tenantId)
    .where('owner_user_id', '=', ownerUserId)
    .$if(page.memberUserId !== undefined, (q) => q.where('member_user_id', '=', page.memberUserId!));
  const [rows, total] = await Promise.all([
    base.selectAll().orderBy('read_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { count: Number(total.n), reads: rows.map(toRead) };
}
