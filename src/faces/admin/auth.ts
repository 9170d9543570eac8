// /admin/ credentials: `Authorization: Bearer <access JWT>` or the `engram_admin` cookie holding one; staff only.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../app.js';
import { isAppError } from '../../platform/errors.js';
import { authorizationValue } from '../auth.js';
import '../principal.js';

export const adminCookie = 'engram_admin';
export const adminLoginPath = '/admin/login/';

function cookieValue(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim()) || undefined;
  }
  return undefined;
}

/** A browser navigating (its Accept names text/html), as opposed to a script calling the API. */
const wantsPage = (request: FastifyRequest) => /\btext\/html\b/i.test(request.headers.accept ?? '');

/**
 * Missing, bad or expired token → 401, or for a browser a 303 to the sign-in form; a valid user who is
 * not staff → 403.
 */
export function adminAuth(core: Core) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const token = authorizationValue(request, 'Bearer') ?? cookieValue(request, adminCookie);
    const principal = await core.auth.authenticateAccessToken(token).catch((err: unknown) => {
      if (isAppError(err) && err.code === 'unauthorized' && wantsPage(request)) return undefined;
      throw err;
    });
    // Returning the reply ends the request here: the route does not run.
    if (!principal) return reply.code(303).header('location', adminLoginPath).send();
    await core.staff.requireStaff(principal);
    request.principal = principal;
    return undefined;
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
