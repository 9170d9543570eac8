// POST /v1/events (002): governance events sent with an ingestion key, answered 202 once stored.
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Core } from '../../app.js';
import { governanceEvent } from '../../governance/schemas.js';
import type { HttpServer } from '../../platform/http.js';
import { principalOf } from '../principal.js';
import { ingestionAuth, security } from './auth.js';
import { acceptedDto, ingestionHeaders, toAcceptedDto } from './schemas.js';

const tags = ['governance events'];

export function registerEventIngestionRoutes(app: HttpServer, core: Core): void {
  app.register(async (scope) => {
    const face = scope.withTypeProvider<ZodTypeProvider>();
    face.addHook('onRequest', ingestionAuth(core.auth));

    face.post(
      '/v1/events',
      {
        schema: {
          tags,
          security,
          summary: 'Send a governance event (ingestion key)',
          description:
            'One of model_call, prompt, incident, evidence, chosen by `type`. Stored append-only. With an ' +
            'Idempotency-Key a retry answers the first id (and Idempotent-Replayed: true).',
          headers: ingestionHeaders,
          body: governanceEvent,
          response: { 202: acceptedDto },
        },
      },
      async (request, reply) => {
        const key = request.headers['idempotency-key'];
        const { event, created } = await core.governance.record(principalOf(request), request.body, {
          ...(key !== undefined ? { idempotencyKey: key } : {}),
        });
        if (!created) reply.header('idempotent-replayed', 'true');
        return reply.code(202).send(toAcceptedDto(event));
      },
    );
  });
}
