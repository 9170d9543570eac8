// The recording face's /api/monitoring/: health/ (database, migrations, queue) and stats/ (the caller's
// tenant: row counts, its queue, this process's request latency). Any signed-in caller may read them.
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Core } from '../../app.js';
import type { HttpServer } from '../../platform/http.js';
import { principalOf } from '../principal.js';
import { cloneAuth, cloneSecurity } from './auth.js';

const tags = ['recording: monitoring'];
const queueOut = z.object({ queued: z.number().int(), running: z.number().int(), completed: z.number().int(), dead: z.number().int() });

const healthOut = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({ reachable: z.boolean(), migrations_current: z.boolean(), pending_migrations: z.array(z.string()) }),
  queue: queueOut.nullable().describe('Jobs by state, all tenants'),
});

const statsOut = z.object({
  counts: z.object({ users: z.number().int(), subjects: z.number().int(), events: z.number().int(), beliefs: z.number().int() }),
  queue: queueOut.describe("The tenant's jobs by state"),
  latency: z
    .object({ requests: z.number(), p50_ms: z.number().nullable(), p95_ms: z.number().nullable(), p99_ms: z.number().nullable() })
    .describe('Requests answered by this process since start; each percentile is the upper bound of its histogram bucket'),
});

export function registerCloneMonitoringRoutes(app: HttpServer, core: Core) {
  const security = cloneSecurity;
  app.register(async (instance) => {
    const face = instance.withTypeProvider<ZodTypeProvider>();
    face.addHook('onRequest', cloneAuth(core.auth));

    face.get(
      '/api/monitoring/health/',
      { schema: { tags, security, summary: 'Database reachable, migrations current, queue depth (503 when degraded)', response: { 200: healthOut, 503: healthOut } } },
      async (_request, reply) => {
        const health = await core.monitoring.health();
        return reply.code(health.ok ? 200 : 503).send({
          status: health.ok ? ('ok' as const) : ('degraded' as const),
          database: {
            reachable: health.database.reachable,
            migrations_current: health.database.reachable && health.database.pendingMigrations.length === 0,
            pending_migrations: health.database.pendingMigrations,
          },
          queue: health.queue,
        });
      },
    );

    face.get('/api/monitoring/stats/', { schema: { tags, security, summary: "Counts, queue depth and latency for the caller's account", response: { 200: statsOut } } }, async (request) => {
      const stats = await core.monitoring.stats(principalOf(request).tenantId);
      const { count, p50Ms, p95Ms, p99Ms } = stats.latency;
      return { counts: stats.counts, queue: stats.queue, latency: { requests: count, p50_ms: p50Ms, p95_ms: p95Ms, p99_ms: p99Ms } };
    });
  });
}
