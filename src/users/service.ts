// Account users and roles: creation with validated names, login checks, administration under permissions.
import type { Kysely } from 'kysely';
import { type Principal, requirePermission } from '../auth/principal.js';
import { decoyHash, hashPassword, verifyPassword } from '../auth/passwords.js';
import type { SessionService } from '../auth/sessions.js';
import type { Clock } from '../platform/clock.js';
import { isUniqueViolation } from '../platform/db/index.js';
import type { DB, UserStatus } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { Ids } from '../platform/ids.js';
import { type Permission, allPermissions, isPermission, systemRoles } from './permissions.js';
import * as store from './store.js';
import type { Role, User } from './store.js';

export type { Role, User };

export interface NewUser {
  username: string;
  email: string;
  password: string;
  displayName?: string | null;
  /** Role by id or by name; defaults to `member`. */
  role?: string;
}

export const usernamePattern = /^[A-Za-z0-9-]{3,50}$/;

/** Field rules shared by every face that creates users (004 documents them for signup). */
export function validateNewUser(input: { username: string; email: string; password: string }): void {
  const fail = (field: string, summary: string) => {
    throw new AppError('validation_failed', { summary, issues: [{ location: 'body', path: field, message: summary }] });
  };
  if (!usernamePattern.test(input.username)) fail('username', 'username: 3-50 characters, letters, digits and hyphens');
  if (!input.email.includes('@')) fail('email', 'email: must contain @');
  if (input.password.length < 8) fail('password', 'password: at least 8 characters');
}

export class UserService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock; ids: Ids; sessions: SessionService }) {}

  private get db() {
    return this.deps.db;
  }

  /** The system roles of a tenant, created on first need. */
  async ensureSystemRoles(tenantId: string): Promise<void> {
    const now = this.deps.clock.now();
    for (const r of systemRoles) {
      await store.insertRole(
        this.db,
        tenantId,
        { id: this.deps.ids.next(), name: r.name, description: r.description, permissions: r.permissions, isSystem: true, createdAt: now, updatedAt: now },
        true,
      );
    }
  }

  /** Creates a user without a permission check: signup, bootstrap and invites decide who may. */
  async createUnchecked(tenantId: string, input: NewUser): Promise<User> {
    validateNewUser(input);
    await this.ensureSystemRoles(tenantId);
    const role = await this.resolveRole(tenantId, input.role ?? 'member');
    const now = this.deps.clock.now();
    const user: Omit<User, 'tenantId'> = {
      id: this.deps.ids.next(),
      username: input.username,
      email: input.email.trim().toLowerCase(),
      displayName: input.displayName ?? null,
      roleId: role.id,
      status: 'active',
      createdAt: now,
      updatedAt: now,
      lastLoginAt: null,
    };
    try {
      await store.insertUser(this.db, tenantId, user, await hashPassword(input.password));
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('conflict', { reason: 'That username or email is already registered' });
      throw err;
    }
    return { ...user, tenantId };
  }

  async create(principal: Principal, input: NewUser): Promise<User> {
    requirePermission(principal, 'UserManage');
    return this.createUnchecked(principal.tenantId, input);
  }

  /**
   * Password login. Unknown user, wrong password and disabled user fail identically and cost one scrypt
   * each, so neither the answer nor its timing tells which it was.
   */
  async verifyLogin(username: string, password: string): Promise<User> {
    const found = await store.findLoginByUsername(this.db, username);
    const ok = await verifyPassword(password, found?.passwordHash ?? decoyHash);
    if (!found || !ok || found.user.status !== 'active') throw new AppError('unauthorized', { reason: 'Invalid username or password' });
    const now = this.deps.clock.now();
    await store.updateUser(this.db, found.user.tenantId, found.user.id, { last_login_at: now }, now);
    return { ...found.user, lastLoginAt: now, updatedAt: now };
  }

  /** The user behind a session or user-bound key, if still active. */
  async activeUser(tenantId: string, id: string): Promise<User | undefined> {
    const user = await store.findUser(this.db, tenantId, id);
    return user?.status === 'active' ? user : undefined;
  }

  async permissionsOf(user: User): Promise<Permission[]> {
    const role = await store.findRole(this.db, user.tenantId, user.roleId);
    if (!role) return [];
    return role.name === 'admin' && role.isSystem ? allPermissions : role.permissions.filter(isPermission);
  }

  countAll(): Promise<number> {
    return store.countUsers(this.db);
  }

  async get(principal: Principal, id: string): Promise<User> {
    if (principal.userId !== id) requirePermission(principal, 'UserView');
    const user = await store.findUser(this.db, principal.tenantId, id);
    if (!user) throw new AppError('not_found', { resource: 'User', id });
    return user;
  }

  async getByUsername(principal: Principal, username: string): Promise<User> {
    requirePermission(principal, 'UserView');
    const user = await store.findUserByUsername(this.db, principal.tenantId, username);
    if (!user) throw new AppError('not_found', { resource: 'User', id: username });
    return user;
  }

  list(principal: Principal, page: { limit: number; offset: number }) {
    requirePermission(principal, 'UserView');
    return store.listUsers(this.db, principal.tenantId, page);
  }

  async update(
    principal: Principal,
    id: string,
    changes: { email?: string; displayName?: string | null; role?: string; status?: UserStatus },
  ): Promise<User> {
    requirePermission(principal, 'UserManage');
    const role = changes.role === undefined ? undefined : await this.resolveRole(principal.tenantId, changes.role);
    if (changes.email !== undefined && !changes.email.includes('@')) {
      throw new AppError('validation_failed', { summary: 'email: must contain @' });
    }
    if (principal.userId === id && (changes.status === 'disabled' || (role && role.name !== 'admin'))) {
      throw new AppError('conflict', { reason: 'You cannot disable yourself or give up your own admin role' });
    }
    await this.change(principal.tenantId, id, {
      ...(changes.email !== undefined ? { email: changes.email.trim().toLowerCase() } : {}),
      ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
      ...(role ? { role_id: role.id } : {}),
      ...(changes.status ? { status: changes.status } : {}),
    });
    if (changes.status === 'disabled') await this.deps.sessions.revokeUser(principal.tenantId, id);
    return this.get(principal, id);
  }

  async updateOwnProfile(principal: Principal, userId: string, changes: { email?: string; displayName?: string | null }): Promise<User> {
    if (changes.email !== undefined && !changes.email.includes('@')) {
      throw new AppError('validation_failed', { summary: 'email: must contain @' });
    }
    await this.change(principal.tenantId, userId, {
      ...(changes.email !== undefined ? { email: changes.email.trim().toLowerCase() } : {}),
      ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
    });
    const user = await store.findUser(this.db, principal.tenantId, userId);
    if (!user) throw new AppError('not_found', { resource: 'User', id: userId });
    return user;
  }

  async remove(principal: Principal, id: string): Promise<void> {
    requirePermission(principal, 'UserManage');
    if (principal.userId === id) throw new AppError('conflict', { reason: 'You cannot delete yourself' });
    await this.change(principal.tenantId, id, { deleted_at: this.deps.clock.now(), status: 'disabled' });
    await this.deps.sessions.revokeUser(principal.tenantId, id);
  }

  async changeOwnPassword(principal: Principal, userId: string, current: string, next: string): Promise<void> {
    const hash = await store.passwordHashOf(this.db, principal.tenantId, userId);
    if (!hash || !(await verifyPassword(current, hash))) throw new AppError('unauthorized', { reason: 'The current password is wrong' });
    if (next.length < 8) throw new AppError('validation_failed', { summary: 'newPassword: at least 8 characters' });
    await this.change(principal.tenantId, userId, { password_hash: await hashPassword(next) });
    await this.deps.sessions.revokeUser(principal.tenantId, userId);
  }

  async resetPassword(principal: Principal, id: string, next: string): Promise<void> {
    requirePermission(principal, 'UserManage');
    if (next.length < 8) throw new AppError('validation_failed', { summary: 'newPassword: at least 8 characters' });
    await this.change(principal.tenantId, id, { password_hash: await hashPassword(next) });
    await this.deps.sessions.revokeUser(principal.tenantId, id);
  }

  // Roles

  listRoles(principal: Principal): Promise<Role[]> {
    requirePermission(principal, 'RoleView');
    return store.listRoles(this.db, principal.tenantId);
  }

  async getRole(principal: Principal, id: string): Promise<Role> {
    requirePermission(principal, 'RoleView');
    const role = await store.findRole(this.db, principal.tenantId, id);
    if (!role) throw new AppError('not_found', { resource: 'Role', id });
    return role;
  }

  async createRole(principal: Principal, input: { name: string; description?: string | null; permissions?: string[] }): Promise<Role> {
    requirePermission(principal, 'RoleManage');
    const perms = this.checkPermissions(input.permissions ?? []);
    const now = this.deps.clock.now();
    const role = { id: this.deps.ids.next(), name: input.name, description: input.description ?? null, permissions: perms, isSystem: false, createdAt: now, updatedAt: now };
    try {
      await store.insertRole(this.db, principal.tenantId, role);
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('conflict', { reason: `A role named ${input.name} exists` });
      throw err;
    }
    return { ...role, tenantId: principal.tenantId };
  }

  async updateRole(principal: Principal, id: string, changes: { name?: string; description?: string | null }): Promise<Role> {
    requirePermission(principal, 'RoleManage');
    const role = await this.getRole(principal, id);
    if (role.isSystem && changes.name !== undefined && changes.name !== role.name) {
      throw new AppError('conflict', { reason: 'System roles cannot be renamed' });
    }
    try {
      await store.updateRole(this.db, principal.tenantId, id, changes, this.deps.clock.now());
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('conflict', { reason: `A role named ${changes.name} exists` });
      throw err;
    }
    return this.getRole(principal, id);
  }

  async setRolePermissions(principal: Principal, id: string, perms: string[]): Promise<Role> {
    requirePermission(principal, 'RoleManage');
    const role = await this.getRole(principal, id);
    if (role.isSystem && role.name === 'admin') throw new AppError('conflict', { reason: 'The admin role always holds every permission' });
    await store.updateRole(this.db, principal.tenantId, id, { permissions: JSON.stringify(this.checkPermissions(perms)) }, this.deps.clock.now());
    return this.getRole(principal, id);
  }

  async deleteRole(principal: Principal, id: string): Promise<void> {
    requirePermission(principal, 'RoleManage');
    const role = await this.getRole(principal, id);
    if (role.isSystem) throw new AppError('conflict', { reason: 'System roles cannot be deleted' });
    if (await store.roleInUse(this.db, principal.tenantId, id)) throw new AppError('conflict', { reason: 'Users still hold this role' });
    // Deleted users keep their row (and its reference to a role): move them to member so the role can go.
    await this.ensureSystemRoles(principal.tenantId);
    const member = await this.resolveRole(principal.tenantId, 'member');
    await this.db.transaction().execute(async (trx) => {
      await store.reassignDeletedUsers(trx, principal.tenantId, id, member.id);
      await store.deleteRole(trx, principal.tenantId, id);
    });
  }

  private checkPermissions(perms: string[]): Permission[] {
    const unknown = perms.filter((p) => !isPermission(p));
    if (unknown.length) throw new AppError('validation_failed', { summary: `unknown permissions: ${unknown.join(', ')}` });
    return [...new Set(perms)] as Permission[];
  }

  /** A role of the tenant by id or name, for flows that assign roles (invites); no permission check. */
  roleOf(tenantId: string, idOrName: string): Promise<Role> {
    return this.resolveRole(tenantId, idOrName);
  }

  private async resolveRole(tenantId: string, idOrName: string): Promise<Role> {
    const role = (await store.findRole(this.db, tenantId, idOrName)) ?? (await store.findRoleByName(this.db, tenantId, idOrName));
    if (!role) throw new AppError('validation_failed', { summary: `role: no role ${idOrName}` });
    return role;
  }

  private async change(tenantId: string, id: string, changes: store.UserChanges): Promise<void> {
    let changed: boolean;
    try {
      changed = await store.updateUser(this.db, tenantId, id, changes, this.deps.clock.now());
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('conflict', { reason: 'That email is already registered' });
      throw err;
    }
    if (!changed) throw new AppError('not_found', { resource: 'User', id });
  }
}
