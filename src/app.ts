// The composition root: wires configuration, database, queue, services and faces. Nothing else does.
import type { Clock } from './platform/clock.js';
import { systemClock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import type { Database } from './platform/db/index.js';
import { type HttpServer, createHttpServer } from './platform/http.js';
import type { Ids } from './platform/ids.js';
import { createIds } from './platform/ids.js';
import type { Logger } from './platform/log.js';
import { Metrics } from './platform/metrics.js';
import { Queue } from './platform/queue.js';
import { version } from './platform/version.js';
import type { JobHandler } from './platform/worker.js';
import { Worker } from './platform/worker.js';
import { AuthService } from './auth/service.js';
import { registerOpsRoutes } from './faces/ops/routes.js';
import { registerSelfModelRoutes } from './faces/selfmodel/routes.js';
import { TenantService } from './tenants/service.js';

export interface CoreDeps {
  config: Config;
  database: Database;
  logger: Logger;
  clock?: Clock;
  ids?: Ids;
}

/** The core: services and the job handlers the worker runs. No HTTP here. */
export interface Core {
  config: Config;
  database: Database;
  logger: Logger;
  clock: Clock;
  ids: Ids;
  queue: Queue;
  metrics: Metrics;
  tenants: TenantService;
  auth: AuthService;
  jobHandlers: Record<string, JobHandler>;
}

export function createCore(deps: CoreDeps): Core {
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? createIds(clock);
  const queue = new Queue(deps.database, { clock, ids });
  const metrics = new Metrics(() => queue.countByStatus());
  const db = deps.database.db;
  const tenants = new TenantService({ db, clock, ids });
  const auth = new AuthService({ db, clock, ids, tenants });
  return { ...deps, clock, ids, queue, metrics, tenants, auth, jobHandlers: {} };
}

export function createWorker(core: Core, overrides: { concurrency?: number; pollMs?: number } = {}): Worker {
  return new Worker({
    queue: core.queue,
    handlers: core.jobHandlers,
    logger: core.logger.child({ component: 'worker' }),
    concurrency: overrides.concurrency ?? core.config.worker.concurrency,
    leaseMs: core.config.worker.leaseMs,
    ...(overrides.pollMs !== undefined ? { pollMs: overrides.pollMs } : {}),
    onJobFinished: core.metrics.observeJob,
  });
}

export interface App {
  core: Core;
  http: HttpServer;
}

export async function createApp(deps: CoreDeps): Promise<App> {
  const core = createCore(deps);
  const http = await createHttpServer({ config: core.config, logger: core.logger, metrics: core.metrics, version });
  registerOpsRoutes(http, { database: core.database, metrics: core.metrics, version });
  registerSelfModelRoutes(http, { auth: core.auth });
  await http.ready();
  return { core, http };
}
