// Who is calling, as every service sees it: always a tenant; a user when a person is behind the call;
// the credential that proved it; and what it may do. Services check permissions here, not in routes.
import type { CredentialKind } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import { type Permission, allPermissions, isPermission } from '../users/permissions.js';

export interface Principal {
  tenantId: string;
  userId: string | null;
  /** The identity a platform key acts as (004 X-Identity-Id); null for sessions and other keys. */
  identityId: string | null;
  credentialId: string | null;
  /** null when the caller presented a session (access JWT) rather than a key. */
  credentialKind: CredentialKind | null;
  scopes: string[];
  permissions: ReadonlySet<Permission>;
}

/** What a credential's scopes grant when no user stands behind it: `admin` is everything. */
export function permissionsFromScopes(scopes: readonly string[]): Set<Permission> {
  if (scopes.includes('admin')) return new Set(allPermissions);
  return new Set(scopes.filter(isPermission));
}

export function can(principal: Principal, permission: Permission): boolean {
  return principal.permissions.has(permission);
}

export function requirePermission(principal: Principal, permission: Permission): void {
  if (!can(principal, permission)) throw new AppError('forbidden', { reason: `This credential lacks the ${permission} permission` });
}

/**
 * Developer tokens carry a fixed set of scopes (001), e.g. `documents:read`. Matched exactly: no
 * scope implies another, and `admin` is not a wildcard here.
 */
export function requireScope(principal: Principal, scope: string): void {
  if (!principal.scopes.includes(scope)) throw new AppError('forbidden', { reason: `This token lacks the ${scope} scope`, scope });
}

/** Routes that act on "me" need a person behind the call, not a tenant-level key. */
export function requireUser(principal: Principal): string {
  if (!principal.userId) throw new AppError('forbidden', { reason: 'This route needs a signed-in user, not a tenant key' });
  return principal.userId;
}
