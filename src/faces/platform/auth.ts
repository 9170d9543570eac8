// Platform face credentials: `Authorization: Bearer <access JWT>` or `Authorization: ApiKey atm_…`.
import type { FastifyRequest } from 'fastify';
import type { AuthService } from '../../auth/service.js';
import { authenticateUserOrKey, authorizationValue } from '../auth.js';

export function platformAuth(auth: AuthService) {
  return async (request: FastifyRequest): Promise<void> => {
    request.principal = await authenticateUserOrKey(auth, request, {
      value: authorizationValue(request, 'ApiKey'),
      kinds: ['platform'],
    });
  };
}

export const platformSecurity: Record<string, string[]>[] = [{ bearer: [] }, { platformKey: [] }];
