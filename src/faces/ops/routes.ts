// Operations routes: liveness, readiness, Prometheus metrics and the OpenAPI document.
import { z } from 'zod';
import type { Database } from '../../platform/db/index.js';
import { checkDatabase } from '../../platform/db/health.js';
import type { HttpServer } from '../../platform/http.js';
import type { Metrics } from '../../platform/metrics.js';

const tags = ['operations'];
const config = { public: true };

const readiness = z.object({
  status: z.enum(['ready', 'unavailable']),
  checks: z.object({
    database: z.enum(['ok', 'unreachable']),
    migrations: z.enum(['current', 'pending', 'unknown']),
  }),
  pending_migrations: z.array(z.string()),
  error: z.string().optional(),
});

export function registerOpsRoutes(app: HttpServer, deps: { database: Database; metrics: Metrics; version: string }) {
  app.get(
    '/healthz',
    {
      config,
      schema: {
        tags,
        summary: 'Liveness: the process is up',
        response: { 200: z.object({ status: z.literal('ok'), version: z.string(), uptime_seconds: z.number() }) },
      },
    },
    async () => ({ status: 'ok' as const, version: deps.version, uptime_seconds: Math.round(process.uptime()) }),
  );

  app.get(
    '/readyz',
    {
      config,
      schema: {
        tags,
        summary: 'Readiness: the database is reachable and migrations are current',
        response: { 200: readiness, 503: readiness },
      },
    },
    async (_request, reply) => {
      const health = await checkDatabase(deps.database);
      const migrations = !health.reachable ? 'unknown' : health.pendingMigrations.length ? 'pending' : 'current';
      const ready = health.reachable && migrations === 'current';
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'unavailable',
        checks: { database: health.reachable ? 'ok' : 'unreachable', migrations },
        pending_migrations: health.pendingMigrations,
        ...(health.error ? { error: health.error } : {}),
      });
    },
  );

  app.get(
    '/metrics',
    { config, schema: { tags, summary: 'Prometheus metrics (text exposition format)', response: { 200: z.string() } } },
    async (_request, reply) => {
      const { contentType, body } = await deps.metrics.render();
      return reply.type(contentType).serializer((s: unknown) => s as string).send(body);
    },
  );

  app.get(
    '/openapi.json',
    { config, schema: { tags, summary: 'This OpenAPI 3.1 document', hide: true } },
    async () => app.swagger(),
  );
}
