// The platform face's request and answer shapes (004), and the mappings from core objects to them.
// Timestamps go out as ISO-8601; password hashes and stored key hashes never appear in any of these.
import { z } from 'zod';
import type { CallLogEntry } from '../../audit/service.js';
import type { Session } from '../../auth/accounts.js';
import type { Device } from '../../auth/devices.js';
import type { Credential } from '../../auth/service.js';
import { toIso } from '../../platform/clock.js';
import type { Identity } from '../../identities/service.js';
import type { Role, User } from '../../users/service.js';

const iso = z.string().describe('ISO-8601 instant');
const isoOrNull = iso.nullable();
const isoOrNullOf = (ms: number | null) => (ms === null ? null : toIso(ms));

export const idParams = z.object({ id: z.string().min(1).max(200) });

export const page = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

// Users

export const userDto = z.object({
  id: z.string(),
  tenantId: z.string(),
  username: z.string(),
  email: z.string(),
  displayName: z.string().nullable(),
  roleId: z.string(),
  status: z.enum(['active', 'disabled']),
  createdAt: iso,
  updatedAt: iso,
  lastLoginAt: isoOrNull,
});

export const toUserDto = (u: User): z.infer<typeof userDto> => ({
  id: u.id,
  tenantId: u.tenantId,
  username: u.username,
  email: u.email,
  displayName: u.displayName,
  roleId: u.roleId,
  status: u.status,
  createdAt: toIso(u.createdAt),
  updatedAt: toIso(u.updatedAt),
  lastLoginAt: isoOrNullOf(u.lastLoginAt),
});

// The rules on these fields live in the core (validateNewUser), which names the failing field.
export const newUserBody = z.object({
  username: z.string().describe('3-50 characters: letters, digits and hyphens'),
  email: z.string().describe('Must contain @'),
  password: z.string().describe('At least 8 characters'),
  displayName: z.string().max(200).nullable().optional(),
  role: z.string().optional().describe('Role id or name; defaults to member'),
});

export const updateUserBody = z.object({
  email: z.string().optional(),
  displayName: z.string().max(200).nullable().optional(),
  role: z.string().optional().describe('Role id or name'),
  status: z.enum(['active', 'disabled']).optional(),
});

export const profileBody = z.object({
  email: z.string().optional(),
  displayName: z.string().max(200).nullable().optional(),
});

export const changePasswordBody = z.object({ currentPassword: z.string(), newPassword: z.string() });
export const resetPasswordBody = z.object({ newPassword: z.string() });

export const usernameParams = z.object({ username: z.string().min(1).max(200) });

export const newUserKeyBody = z
  .object({
    name: z.string().min(1).max(200).optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional().describe('When the key stops working; never when absent'),
  })
  .nullish();

export const userKeyDto = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe('The start of the key, safe to show in lists'),
  userId: z.string(),
  createdAt: iso,
  expiresAt: isoOrNull,
  apiKey: z.string().describe('The key itself (atm_…); shown only in this answer. Send it as `Authorization: ApiKey <key>`.'),
});

export const toUserKeyDto = (c: Credential, secret: string): z.infer<typeof userKeyDto> => ({
  id: c.id,
  name: c.name,
  prefix: c.prefix,
  userId: c.userId ?? '',
  createdAt: toIso(c.createdAt),
  expiresAt: isoOrNullOf(c.expiresAt),
  apiKey: secret,
});

export const revokedKeysDto = z.object({ revoked: z.array(z.string()).describe('Ids of the keys revoked by this call') });

// Sessions

export const sessionDto = z.object({
  accessToken: z.string().describe('Send as `Authorization: Bearer <accessToken>`'),
  refreshToken: z.string().describe('Single use: POST /api/auth/refresh returns a new one'),
  expiresAt: iso.describe('When the access token expires'),
  refreshExpiresAt: iso,
  user: userDto,
});

export const toSessionDto = (s: Session): z.infer<typeof sessionDto> => ({
  accessToken: s.accessToken,
  refreshToken: s.refreshToken,
  expiresAt: s.expiresAt,
  refreshExpiresAt: s.refreshExpiresAt,
  user: toUserDto(s.user),
});

export const loginBody = z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1000) });
export const refreshBody = z.object({ refreshToken: z.string().min(1).max(500) });
export const apiKeyLoginBody = z.object({ apiKey: z.string().min(1).max(500) });
export const signupBody = z.object({
  username: z.string().describe('3-50 characters: letters, digits and hyphens'),
  email: z.string().describe('Must contain @'),
  password: z.string().describe('At least 8 characters'),
});

// Devices

const metadata = z.record(z.string(), z.unknown());

export const deviceDto = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  publicKey: z.string(),
  metadata,
  createdAt: iso,
  updatedAt: iso,
  lastLoginAt: isoOrNull,
});

export const toDeviceDto = (d: Device): z.infer<typeof deviceDto> => ({
  id: d.id,
  userId: d.userId,
  name: d.name,
  publicKey: d.publicKey,
  metadata: d.metadata,
  createdAt: toIso(d.createdAt),
  updatedAt: toIso(d.updatedAt),
  lastLoginAt: isoOrNullOf(d.lastLoginAt),
});

export const newDeviceBody = z.object({
  name: z.string().min(1).max(200),
  publicKey: z.string().min(1).max(2000).describe('Ed25519 public key: PEM (SPKI) or the raw 32 bytes in base64'),
  metadata: metadata.optional(),
});

export const updateDeviceBody = z.object({ name: z.string().min(1).max(200).optional(), metadata: metadata.optional() });

export const challengeBody = z.object({ deviceId: z.string().min(1).max(200) });

export const challengeDto = z.object({
  challengeId: z.string(),
  challenge: z.string().describe('Sign the UTF-8 bytes of this string with the device key'),
  expiresAt: iso,
});

export const deviceLoginBody = z.object({
  deviceId: z.string().min(1).max(200),
  challengeId: z.string().min(1).max(200),
  signature: z.string().min(1).max(500).describe('Ed25519 signature of the challenge, base64'),
});

// Roles and permissions

export const roleDto = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  permissions: z.array(z.string()),
  isSystem: z.boolean(),
  createdAt: iso,
  updatedAt: iso,
});

export const toRoleDto = (r: Role): z.infer<typeof roleDto> => ({
  id: r.id,
  name: r.name,
  description: r.description,
  permissions: r.permissions,
  isSystem: r.isSystem,
  createdAt: toIso(r.createdAt),
  updatedAt: toIso(r.updatedAt),
});

const roleName = z.string().trim().min(1).max(100);
const roleDescription = z.string().max(1000).nullable().optional();

export const newRoleBody = z.object({
  name: roleName,
  description: roleDescription,
  permissions: z.array(z.string()).max(100).optional().describe('Names from GET /api/permissions'),
});

export const updateRoleBody = z.object({ name: roleName.optional(), description: roleDescription });

export const rolePermissionsBody = z.object({
  permissions: z.array(z.string()).max(100).describe('The whole new set; names from GET /api/permissions'),
});

export const permissionDto = z.object({ name: z.string(), description: z.string() });

// System logs

export const systemLogQuery = page.extend({
  level: z.enum(['info', 'warn', 'error']).optional(),
  entityType: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('Accepted and validated; the call log records no entities yet, so it does not narrow the result'),
  entityGuid: z
    .guid()
    .optional()
    .describe('Accepted and validated; the call log records no entities yet, so it does not narrow the result'),
  userId: z.string().min(1).max(200).optional(),
  identityId: z.string().min(1).max(200).optional(),
  apiKeyId: z.string().min(1).max(200).optional(),
  correlationId: z.string().min(1).max(128).optional(),
  from: z.iso.datetime({ offset: true }).optional().describe('Entries at or after this instant'),
  to: z.iso.datetime({ offset: true }).optional().describe('Entries before this instant'),
});

export const systemLogDto = z.object({
  id: z.string(),
  timestamp: iso,
  level: z.enum(['info', 'warn', 'error']),
  method: z.string(),
  route: z.string(),
  status: z.number().int(),
  latencyMs: z.number(),
  apiKeyId: z.string().nullable().describe('The key that made the call; null for a session (JWT)'),
  userId: z.string().nullable(),
  identityId: z.string().nullable(),
  pluginId: z.string().nullable(),
  correlationId: z.string(),
  requestId: z.string(),
});

export const toSystemLogDto = (e: CallLogEntry): z.infer<typeof systemLogDto> => ({
  id: e.id,
  timestamp: toIso(e.at),
  level: e.level,
  method: e.method,
  route: e.route,
  status: e.status,
  latencyMs: e.latencyMs,
  apiKeyId: e.credentialId,
  userId: e.userId,
  identityId: e.identityId,
  pluginId: e.pluginId,
  correlationId: e.correlationId,
  requestId: e.requestId,
});

export const deletedDto = z.object({ id: z.string() });

// Identities

const identityType = z.enum(['AI', 'Human', 'System']);
const identityName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^/]+$/, 'must not contain /')
  .describe('Unique in the tenant among identities not deleted');
const optionalText = (max: number) => z.string().max(max).nullable().optional();

export const identityDto = z.object({
  id: z.string(),
  tenantId: z.string(),
  subjectId: z.string().describe('The memory subject of this identity'),
  name: z.string(),
  displayName: z.string().nullable(),
  bio: z.string().nullable(),
  origin: z.string().nullable(),
  type: identityType,
  linkedUserId: z.string().nullable(),
  presence: z.string(),
  createdAt: iso,
  updatedAt: iso,
});

export const toIdentityDto = (i: Identity): z.infer<typeof identityDto> => ({
  id: i.id,
  tenantId: i.tenantId,
  subjectId: i.subjectId,
  name: i.name,
  displayName: i.displayName,
  bio: i.bio,
  origin: i.origin,
  type: i.type,
  linkedUserId: i.linkedUserId,
  presence: i.presence,
  createdAt: toIso(i.createdAt),
  updatedAt: toIso(i.updatedAt),
});

export const newIdentityBody = z.object({
  name: identityName,
  displayName: optionalText(200),
  bio: optionalText(5000),
  origin: optionalText(200),
  type: identityType,
  linkedUserId: z.string().min(1).max(200).nullable().optional().describe('A user of this tenant'),
});

export const updateIdentityBody = newIdentityBody.partial();

export const presenceBody = z.object({ presence: z.string().trim().min(1).max(50).describe('e.g. online, away, busy, offline') });

export const identityNameParams = z.object({ name: z.string().min(1).max(200) });
export const identityUserParams = z.object({ userId: z.string().min(1).max(200) });
export const identityKeyParams = idParams.extend({ keyId: z.string().min(1).max(200) });

export const newIdentityKeyBody = z.object({
  name: z.string().trim().min(1).max(200),
  scopes: z.array(z.string().min(1).max(100)).max(100).describe('Permission names (GET /api/permissions), or admin for all'),
  expiresAt: z.iso.datetime({ offset: true }).optional().describe('When the key stops working; never when absent'),
});

export const identityKeyDto = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe('The start of the key, safe to show in lists'),
  identityId: z.string(),
  scopes: z.array(z.string()),
  createdAt: iso,
  expiresAt: isoOrNull,
  lastUsedAt: isoOrNull,
});

export const toIdentityKeyDto = (c: Credential): z.infer<typeof identityKeyDto> => ({
  id: c.id,
  name: c.name,
  prefix: c.prefix,
  identityId: c.identityId ?? '',
  scopes: c.scopes,
  createdAt: toIso(c.createdAt),
  expiresAt: isoOrNullOf(c.expiresAt),
  lastUsedAt: isoOrNullOf(c.lastUsedAt),
});

export const newIdentityKeyDto = identityKeyDto.extend({
  apiKey: z.string().describe('The key itself (atm_…); shown only in this answer. Send it as `Authorization: ApiKey <key>`.'),
});
