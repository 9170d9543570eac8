// /admin/ credentials: `Authorization: Bearer <access JWT>` or the `engram_admin` cookie holding one; staff only.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../app.js';
import { authorizationValue } from '../auth.js';
import '../principal.js';

export const adminCookie = 'engram_admin';

function cookieValue(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim()) || undefined;
  }
  return undefined;
}

/** Missing, bad or expired token → 401; a valid user who is not staff → 403. */
export function adminAuth(core: Core) {
  return async (request: FastifyRequest): Promise<void> => {
    const token = authorizationValue(request, 'Bearer') ?? cookieValue(request, adminCookie);
    const principal = await core.auth.authenticateAccessToken(token);
    await core.staff.requireStaff(principal);
    request.principal = principal;
  };
}

/** HttpOnly and SameSite=Strict: no script reads it and no other site's form can ride on it. */
export function setAdminCookie(request: FastifyRequest, reply: FastifyReply, token: string, maxAgeSeconds: number): void {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  reply.header('set-cookie', `${adminCookie}=${encodeURIComponent(token)}; Path=/admin/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`);
}

export function clearAdminCookie(reply: FastifyReply): void {
  reply.header('set-cookie', `${adminCookie}=; Path=/admin/; HttpOnly; SameSite=Strict; Max-Age=0`);
}

export const adminSecurity: Record<string, string[]>[] = [{ bearer: [] }];
