// Platform face credentials: `Authorization: Bearer <access JWT>` or `Authorization: ApiKey atm_…`;
// answers to a key that acts as an identity carry X-Identity-Id.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService } from '../../auth/service.js';
import { authenticateUserOrKey, authorizationValue } from '../auth.js';

export function platformAuth(auth: AuthService) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    request.principal = await authenticateUserOrKey(auth, request, {
      value: authorizationValue(request, 'ApiKey'),
      kinds: ['platform'],
    });
    // 004 headers: the identity that processed the request, when the key acts as one.
    if (request.principal.identityId) reply.header('X-Identity-Id', request.principal.identityId);
  };
}

export const platformSecurity: Record<string, string[]>[] = [{ bearer: [] }, { platformKey: [] }];
