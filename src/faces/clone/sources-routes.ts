// The recording face's /api/sources/: the caller's source connectors (feed URL or JSONL upload) and
// {id}/sync/, which queues an import job. Secret values are write-only; others' sources answer 404.
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Core } from '../../app.js';
import { toIso } from '../../platform/clock.js';
import type { HttpServer } from '../../platform/http.js';
import type { Job } from '../../platform/queue.js';
import type { Source } from '../../sources/service.js';
import { principalOf } from '../principal.js';
import { cloneAuth, cloneSecurity } from './auth.js';
import { listPage, noContent, pageQuery, paginate } from './schemas.js';

const tags = ['recording: sources'];

const sourceOut = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(['feed', 'upload']),
  config: z.record(z.string(), z.unknown()),
  secret_names: z.array(z.string()).describe('Names of the stored secrets; their values are never returned'),
  status: z.enum(['idle', 'syncing', 'ok', 'error']),
  last_error: z.string().nullable(),
  last_synced_at: z.string().nullable(),
  items_imported: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});

const secrets = z
  .record(z.string().regex(/^[A-Za-z0-9-]{1,100}$/), z.string().max(4000))
  .describe('Sent as HTTP headers when fetching a feed (e.g. {"Authorization": "Bearer …"}); encrypted at rest');

const sourceBody = z.object({
  name: z.string().trim().min(1).max(200),
  type: z.enum(['feed', 'upload']),
  config: z.record(z.string(), z.unknown()).optional().describe('feed: {"url": "https://…"} (JSON Feed, JSON items, RSS or Atom)'),
  secrets: secrets.optional(),
});

const sourcePatch = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  secrets: secrets.nullable().optional().describe('Replaces all secrets; null removes them'),
});

const syncBody = z
  .object({ jsonl: z.string().optional().describe('upload sources: one event per line, {client_event_id, type, occurred_at?, payload?}') })
  .nullish()
  .describe('Optional: feed sources take no body');

const syncOut = z.object({ job_id: z.string(), kind: z.string(), status: z.string(), created_at: z.string() });

const idParams = z.object({ id: z.string() });

const sourceView = (s: Source): z.infer<typeof sourceOut> => ({
  id: s.id,
  name: s.name,
  type: s.type,
  config: s.config,
  secret_names: s.secretNames,
  status: s.status,
  last_error: s.lastError,
  last_synced_at: s.lastSyncedAt === null ? null : toIso(s.lastSyncedAt),
  items_imported: s.itemsImported,
  created_at: toIso(s.createdAt),
  updated_at: toIso(s.updatedAt),
});

const syncView = (job: Job): z.infer<typeof syncOut> => ({ job_id: job.id, kind: job.kind, status: job.status, created_at: toIso(job.createdAt) });

export function registerCloneSourceRoutes(app: HttpServer, core: Core) {
  const security = cloneSecurity;
  app.register(async (instance) => {
    const face = instance.withTypeProvider<ZodTypeProvider>();
    face.addHook('onRequest', cloneAuth(core.auth));

    face.get('/api/sources/', { schema: { tags, security, summary: 'Your source connectors', querystring: pageQuery, response: { 200: listPage(sourceOut) } } }, async (request) =>
      paginate((await core.sources.list(principalOf(request))).map(sourceView), request.query),
    );

    face.post('/api/sources/', { schema: { tags, security, summary: 'Add a source connector', body: sourceBody, response: { 201: sourceOut } } }, async (request, reply) => {
      const { name, type, config, secrets: values } = request.body;
      const source = await core.sources.create(principalOf(request), { name, type, ...(config ? { config } : {}), ...(values ? { secrets: values } : {}) });
      return reply.code(201).send(sourceView(source));
    });

    face.get('/api/sources/:id/', { schema: { tags, security, summary: 'One of your sources', params: idParams, response: { 200: sourceOut } } }, async (request) =>
      sourceView(await core.sources.get(principalOf(request), request.params.id)),
    );

    face.patch('/api/sources/:id/', { schema: { tags, security, summary: 'Change a source', params: idParams, body: sourcePatch, response: { 200: sourceOut } } }, async (request) => {
      const { name, config, secrets: values } = request.body;
      const changes = { ...(name !== undefined ? { name } : {}), ...(config !== undefined ? { config } : {}), ...(values !== undefined ? { secrets: values } : {}) };
      return sourceView(await core.sources.update(principalOf(request), request.params.id, changes));
    });

    face.delete('/api/sources/:id/', { schema: { tags, security, summary: 'Remove a source (imported events stay)', params: idParams, response: { 204: noContent } } }, async (request, reply) => {
      await core.sources.remove(principalOf(request), request.params.id);
      return reply.code(204).send(null);
    });

    face.post(
      '/api/sources/:id/sync/',
      { schema: { tags, security, summary: 'Queue an import (202); the source shows the outcome', params: idParams, body: syncBody, response: { 202: syncOut } } },
      async (request, reply) => {
        const jsonl = request.body?.jsonl;
        const job = await core.sources.sync(principalOf(request), request.params.id, jsonl !== undefined ? { jsonl } : {});
        return reply.code(202).send(syncView(job));
      },
    );
  });
}
