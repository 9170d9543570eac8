// Users and roles: queries and row mapping only. Every function but the login lookups takes the tenant first.
import type { Kysely, Selectable } from 'kysely';
import type { DB, RolesTable, UserStatus, UsersTable } from '../platform/db/schema.js';

export interface User {
  id: string;
  tenantId: string;
  username: string;
  email: string;
  displayName: string | null;
  roleId: string;
  status: UserStatus;
  createdAt: number;
  updatedAt: number;
  lastLoginAt: number | null;
}

export interface Role {
  id: string;
  tenantId: string;
  name: string;
  description: string | null;
  permissions: string[];
  isSystem: boolean;
  createdAt: number;
  updatedAt: number;
}

const toUser = (r: Selectable<UsersTable>): User => ({
  id: r.id,
  tenantId: r.tenant_id,
  username: r.username,
  email: r.email,
  displayName: r.display_name,
  roleId: r.role_id,
  status: r.status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  lastLoginAt: r.last_login_at,
});

const toRole = (r: Selectable<RolesTable>): Role => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  description: r.description,
  permissions: JSON.parse(r.permissions) as string[],
  isSystem: r.is_system === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function insertUser(db: Kysely<DB>, tenantId: string, u: Omit<User, 'tenantId'>, passwordHash: string) {
  await db
    .insertInto('users')
    .values({
      id: u.id,
      tenant_id: tenantId,
      username: u.username,
      email: u.email,
      display_name: u.displayName,
      password_hash: passwordHash,
      role_id: u.roleId,
      status: u.status,
      created_at: u.createdAt,
      updated_at: u.updatedAt,
      last_login_at: u.lastLoginAt,
      deleted_at: null,
    })
    .execute();
}

/** Login lookup: by username across tenants (usernames are global), deleted users excluded. */
export async function findLoginByUsername(db: Kysely<DB>, username: string) {
  const row = await db.selectFrom('users').selectAll().where('username', '=', username).where('deleted_at', 'is', null).executeTakeFirst();
  return row && { user: toUser(row), passwordHash: row.password_hash };
}

export async function findUser(db: Kysely<DB>, tenantId: string, id: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row && toUser(row);
}

export async function findUserByUsername(db: Kysely<DB>, tenantId: string, username: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('username', '=', username)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row && toUser(row);
}

export async function passwordHashOf(db: Kysely<DB>, tenantId: string, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('password_hash').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return row?.password_hash;
}

export async function listUsers(db: Kysely<DB>, tenantId: string, page: { limit: number; offset: number }) {
  const rows = await db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const total = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { users: rows.map(toUser), total: Number(total.n) };
}

export async function countUsers(db: Kysely<DB>): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export type UserChanges = Partial<{
  email: string;
  display_name: string | null;
  role_id: string;
  status: UserStatus;
  password_hash: string;
  last_login_at: number;
  deleted_at: number;
}>;

export async function updateUser(db: Kysely<DB>, tenantId: string, id: string, changes: UserChanges, now: number): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({ ...changes, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function insertRole(db: Kysely<DB>, tenantId: string, role: Omit<Role, 'tenantId'>, ifAbsent = false) {
  await db
    .insertInto('roles')
    .values({
      id: role.id,
      tenant_id: tenantId,
      name: role.name,
      description: role.description,
      permissions: JSON.stringify(role.permissions),
      is_system: role.isSystem ? 1 : 0,
      created_at: role.createdAt,
      updated_at: role.updatedAt,
    })
    .$if(ifAbsent, (q) => q.onConflict((oc) => oc.columns(['tenant_id', 'name']).doNothing()))
    .execute();
}

export async function findRole(db: Kysely<DB>, tenantId: string, id: string): Promise<Role | undefined> {
  const row = await db.selectFrom('roles').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return row && toRole(row);
}

export async function findRoleByName(db: Kysely<DB>, tenantId: string, name: string): Promise<Role | undefined> {
  const row = await db.selectFrom('roles').selectAll().where('tenant_id', '=', tenantId).where('name', '=', name).executeTakeFirst();
  return row && toRole(row);
}

export async function listRoles(db: Kysely<DB>, tenantId: string): Promise<Role[]> {
  const rows = await db.selectFrom('roles').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('name').execute();
  return rows.map(toRole);
}

export async function updateRole(
  db: Kysely<DB>,
  tenantId: string,
  id: string,
  changes: Partial<{ name: string; description: string | null; permissions: string }>,
  now: number,
): Promise<boolean> {
  const r = await db.updateTable('roles').set({ ...changes, updated_at: now }).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function deleteRole(db: Kysely<DB>, tenantId: string, id: string): Promise<boolean> {
  const r = await db.deleteFrom('roles').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** Gives soft-deleted users of one role another role (they hold no rights; the reference must stay valid). */
export async function reassignDeletedUsers(db: Kysely<DB>, tenantId: string, fromRoleId: string, toRoleId: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ role_id: toRoleId })
    .where('tenant_id', '=', tenantId)
    .where('role_id', '=', fromRoleId)
    .where('deleted_at', 'is not', null)
    .execute();
}

export async function roleInUse(db: Kysely<DB>, tenantId: string, roleId: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('role_id', '=', roleId)
    .where('deleted_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
