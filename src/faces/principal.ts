// The authenticated caller on a request, set by the face's auth hook and read by its routes.
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

/** The caller; only valid in routes behind their face's auth hook. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error(`route ${request.routeOptions.url} is missing its auth hook`);
  return request.principal;
}
