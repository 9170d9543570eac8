// Credential parsing shared by the faces, and the rule that developer tokens only open /v1/ routes.
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import type { AuthService } from '../auth/service.js';
import { AppError } from '../platform/errors.js';
import './principal.js';

/** The value after `<scheme> ` in the Authorization header, scheme compared case-insensitively. */
export function authorizationValue(request: FastifyRequest, scheme: 'Bearer' | 'ApiKey'): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space).toLowerCase() !== scheme.toLowerCase()) return undefined;
  return header.slice(space + 1).trim() || undefined;
}

export const developerTokenPrefix = 'clr_dev_';

/**
 * 001: "Requests to any route without this prefix are rejected with 403 when authenticated with a
 * developer token." A valid developer token outside /v1/ is a 403; an invalid one stays a 401.
 */
export async function refuseDeveloperToken(auth: AuthService, request: FastifyRequest): Promise<void> {
  const bearer = authorizationValue(request, 'Bearer');
  if (!bearer?.startsWith(developerTokenPrefix)) return;
  await auth.authenticateKey(['developer'], bearer);
  throw new AppError('forbidden', { reason: 'Developer tokens can only call /v1/ routes' });
}

/** Bearer access JWT, or a key of one of the given kinds in the given header form. */
export async function authenticateUserOrKey(
  auth: AuthService,
  request: FastifyRequest,
  key: { value: string | undefined; kinds: Parameters<AuthService['authenticateKey']>[0] },
): Promise<Principal> {
  await refuseDeveloperToken(auth, request);
  if (key.value !== undefined) return auth.authenticateKey(key.kinds, key.value);
  return auth.authenticateAccessToken(authorizationValue(request, 'Bearer'));
}
