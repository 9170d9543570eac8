// Platform face /api/system-logs: the call log of the caller's tenant (SystemLogView).
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Core } from '../../app.js';
import type { HttpServer } from '../../platform/http.js';
import { principalOf } from '../principal.js';
import { platformAuth, platformSecurity as security } from './auth.js';
import { envelopeOf, ok } from './envelope.js';
import { idParams, systemLogDto, systemLogQuery, toSystemLogDto } from './schemas.js';

const tags = ['platform: system logs'];

export function registerSystemLogRoutes(app: HttpServer, core: Core): void {
  app.register(async (scope) => {
    const face = scope.withTypeProvider<ZodTypeProvider>();
    face.addHook('onRequest', platformAuth(core.auth));

    face.get(
      '/api/system-logs',
      {
        schema: {
          tags,
          security,
          summary: 'Calls made to this tenant, newest first (SystemLogView); count is the total',
          description:
            'One entry per authenticated call, written within about a second. entityType and entityGuid are ' +
            'accepted and validated but do not filter yet: the call log records no entities.',
          querystring: systemLogQuery,
          response: { 200: envelopeOf(z.array(systemLogDto)) },
        },
      },
      async (request) => {
        const q = request.query;
        const { entries, total } = await core.callLog.list(principalOf(request), {
          limit: q.limit,
          offset: q.offset,
          ...(q.level !== undefined ? { level: q.level } : {}),
          ...(q.userId !== undefined ? { userId: q.userId } : {}),
          ...(q.identityId !== undefined ? { identityId: q.identityId } : {}),
          ...(q.apiKeyId !== undefined ? { apiKeyId: q.apiKeyId } : {}),
          ...(q.correlationId !== undefined ? { correlationId: q.correlationId } : {}),
          ...(q.from !== undefined ? { from: Date.parse(q.from) } : {}),
          ...(q.to !== undefined ? { to: Date.parse(q.to) } : {}),
        });
        return ok(request, entries.map(toSystemLogDto), total);
      },
    );

    face.get(
      '/api/system-logs/:id',
      { schema: { tags, security, summary: 'One call log entry (SystemLogView)', params: idParams, response: { 200: envelopeOf(systemLogDto) } } },
      async (request) => ok(request, toSystemLogDto(await core.callLog.get(principalOf(request), request.params.id))),
    );
  });
}
