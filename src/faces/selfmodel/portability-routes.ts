// Self-model face extensions for moving a user: export one user as a document, import one as a new user.
// Registered inside the face's plugin, so the face's X-API-Key check covers them.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Core } from '../../app.js';
import { subjectDocument } from '../../portability/schemas.js';
import { principalOf } from '../principal.js';
import { userParams } from './schemas.js';

const security = [{ selfModelKey: [] }];
const tags = ['self-model', 'extension'];

/** A user's whole memory can be far larger than an ordinary request. */
const importBodyLimitBytes = 50 * 1024 * 1024;

const importQuery = z.object({
  as_new_user: z
    .enum(['true', 'false'])
    .default('false')
    .describe('true: import a copy beside the original (no external_id or email; its envelopes stay its own)'),
});

const imported = z.object({
  user_id: z.string(),
  self_model_id: z.string(),
  counts: z.object({ sessions: z.number(), events: z.number(), episodes: z.number(), beliefs: z.number(), evidence: z.number() }),
});

export function registerPortabilityRoutes(face: FastifyInstance<any, any, any, any, ZodTypeProvider>, core: Core): void {
  face.get(
    '/external/users/:user_id/export',
    {
      schema: {
        tags,
        security,
        summary: 'Extension: export a user (sessions, events, episodes, beliefs, evidence) as one versioned JSON document',
        params: userParams,
        response: { 200: subjectDocument },
      },
    },
    async (request) => core.portability.exportSubject(principalOf(request).tenantId, request.params.user_id),
  );

  face.post(
    '/external/users/import',
    {
      bodyLimit: Math.max(importBodyLimitBytes, core.config.bodyLimitBytes),
      schema: {
        tags,
        security,
        summary: 'Extension: import an exported user as a new user with fresh ids (409 when the user or its envelopes are already here)',
        querystring: importQuery,
        body: subjectDocument,
        response: { 201: imported },
      },
    },
    async (request, reply) => {
      const result = await core.portability.importSubject(principalOf(request).tenantId, request.body, {
        asNewUser: request.query.as_new_user === 'true',
      });
      return reply.code(201).send({ user_id: result.subjectId, self_model_id: result.selfModelId, counts: result.counts });
    },
  );
}
