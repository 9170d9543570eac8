// Recording-face credentials: `Authorization: Bearer <access JWT>` or `X-Clone-API-Key: clone_…`.
import type { FastifyRequest } from 'fastify';
import type { AuthService } from '../../auth/service.js';
import { authenticateUserOrKey } from '../auth.js';

export function cloneAuth(auth: AuthService) {
  return async (request: FastifyRequest): Promise<void> => {
    const key = request.headers['x-clone-api-key'];
    request.principal = await authenticateUserOrKey(auth, request, {
      value: typeof key === 'string' ? key : undefined,
      kinds: ['clone'],
    });
  };
}

/** Either credential opens a route (OpenAPI `security`: alternatives). */
export const cloneSecurity: Record<string, string[]>[] = [{ bearer: [] }, { cloneKey: [] }];
