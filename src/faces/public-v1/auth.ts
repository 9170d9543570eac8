// Public v1 credentials: `Authorization: Bearer clr_dev_…` (developer token) on /v1/*, and
// `Authorization: Bearer <ingestion key>` on POST /v1/events. Each route takes one kind; the other is a 401.
import type { FastifyRequest } from 'fastify';
import type { AuthService } from '../../auth/service.js';
import type { CredentialKind } from '../../platform/db/schema.js';
import { authorizationValue } from '../auth.js';
import '../principal.js';

function bearerOf(auth: AuthService, kind: CredentialKind) {
  return async (request: FastifyRequest): Promise<void> => {
    request.principal = await auth.authenticateKey([kind], authorizationValue(request, 'Bearer'));
  };
}

export const developerAuth = (auth: AuthService) => bearerOf(auth, 'developer');
export const ingestionAuth = (auth: AuthService) => bearerOf(auth, 'ingestion');

export const security: Record<string, string[]>[] = [{ bearer: [] }];
