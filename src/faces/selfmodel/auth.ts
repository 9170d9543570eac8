// Self-model face credentials: `X-API-Key: <self-model key>` on every /external/* route.
import type { FastifyRequest } from 'fastify';
import type { AuthService } from '../../auth/service.js';
import { refuseDeveloperToken } from '../auth.js';

export function selfModelAuth(auth: AuthService) {
  return async (request: FastifyRequest): Promise<void> => {
    await refuseDeveloperToken(auth, request);
    const key = request.headers['x-api-key'];
    request.principal = await auth.authenticateKey(['selfmodel'], typeof key === 'string' ? key : undefined);
  };
}
