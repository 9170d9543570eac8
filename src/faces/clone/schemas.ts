// Request and response shapes of the recording face (003): snake_case, plain JSON, ISO-8601 UTC times.
import { z } from 'zod';
import type { Session } from '../../auth/accounts.js';
import type { Credential } from '../../auth/service.js';
import { toIso } from '../../platform/clock.js';
import type { User } from '../../users/service.js';

const isoOrNull = (ms: number | null) => (ms === null ? null : toIso(ms));

/** `limit`/`offset` as every 003 list takes them. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Rows per page (1-200, default 50)'),
  offset: z.coerce.number().int().min(0).default(0).describe('Rows to skip'),
});

/** A list page: the total across pages and this page's rows. */
export const listPage = <T extends z.ZodType>(item: T) => z.object({ count: z.number().int(), results: z.array(item) });

export function paginate<T>(rows: T[], page: { limit: number; offset: number }): { count: number; results: T[] } {
  return { count: rows.length, results: rows.slice(page.offset, page.offset + page.limit) };
}

// Users and sessions

export const signupBody = z.object({
  username: z.string().describe('3-50 letters, digits and hyphens; unique on this server'),
  email: z.string().describe('Must contain @; with invite_token, the address the invite was sent to'),
  password: z.string().describe('At least 8 characters'),
  invite_token: z.string().min(1).optional().describe('Joins the inviting account with the invited role instead of a new one'),
});

export const loginBody = z.object({ username: z.string(), password: z.string() });

export const refreshBody = z.object({ refresh: z.string().describe('The refresh token; it is rotated and cannot be used again') });

export const waitlistBody = z.object({ email: z.string(), note: z.string().max(2000).optional() });

export const userOut = z.object({
  id: z.string(),
  username: z.string(),
  email: z.string(),
  display_name: z.string().nullable(),
  tenant_id: z.string(),
  status: z.string(),
  created_at: z.string(),
  last_login_at: z.string().nullable(),
});

export const sessionOut = z.object({
  user: userOut,
  access: z.string().describe('Access JWT for Authorization: Bearer'),
  refresh: z.string().describe('Refresh token for POST /api/auth/refresh/'),
  expires_at: z.string().describe('When the access token expires'),
});

export const noContent = z.null().describe('No content');

export const statusOut = z.object({ status: z.literal('ok') });

export function userView(user: User): z.infer<typeof userOut> {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    display_name: user.displayName,
    tenant_id: user.tenantId,
    status: user.status,
    created_at: toIso(user.createdAt),
    last_login_at: isoOrNull(user.lastLoginAt),
  };
}

export function sessionView(session: Session): z.infer<typeof sessionOut> {
  return { user: userView(session.user), access: session.accessToken, refresh: session.refreshToken, expires_at: session.expiresAt };
}

// API keys

export const apiKeyOut = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe('The first characters of the key, to recognise it; never the secret'),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  expires_at: z.string().nullable(),
});

export const newApiKeyBody = z.object({
  name: z.string().trim().min(1).max(100),
  expires_at: z.iso.datetime({ offset: true }).optional().describe('ISO-8601; the key stops working then'),
});

export const newApiKeyOut = apiKeyOut.extend({ key: z.string().describe('The secret (clone_…), shown only in this response') });

export const apiKeyParams = z.object({ id: z.string() });

export function apiKeyView(credential: Credential): z.infer<typeof apiKeyOut> {
  return {
    id: credential.id,
    name: credential.name,
    prefix: credential.prefix,
    created_at: toIso(credential.createdAt),
    last_used_at: isoOrNull(credential.lastUsedAt),
    expires_at: isoOrNull(credential.expiresAt),
  };
}

// Invites

export const inviteBody = z.object({
  email: z.string(),
  role: z.string().min(1).optional().describe('Role name or id in the caller\'s account; default member'),
});

export const inviteOut = z.object({
  id: z.string(),
  email: z.string(),
  role: z.string(),
  token: z.string().describe('Shown once; the invited person signs up with it as invite_token'),
  expires_at: z.string(),
});

export function inviteView(invite: { id: string; email: string; role: string; token: string; expiresAt: number }): z.infer<typeof inviteOut> {
  return { id: invite.id, email: invite.email, role: invite.role, token: invite.token, expires_at: toIso(invite.expiresAt) };
}
