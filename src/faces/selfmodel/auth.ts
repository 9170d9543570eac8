// Self-model face credentials: `X-API-Key: <self-model key>` on every /external/* route.
import type { FastifyRequest } from 'fastify';
import type { AuthContext, AuthService } from '../../auth/service.js';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | undefined;
  }
}

export function selfModelAuth(auth: AuthService) {
  return async (request: FastifyRequest): Promise<void> => {
    const key = request.headers['x-api-key'];
    request.auth = await auth.authenticate(['selfmodel'], typeof key === 'string' ? key : undefined);
  };
}

/** The caller's auth context; only valid in routes that ran the face's auth hook. */
export function callerOf(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new Error('route is missing its auth hook');
  return request.auth;
}
