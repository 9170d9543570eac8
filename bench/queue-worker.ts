// A bench-only worker process: the real Worker over the real Queue, with a no-op handler for the bench
// job kind. The parent (bench/queue.ts) drives it over IPC; it exits when the queue is drained, when told
// to stop, on SIGTERM/SIGINT, when the parent goes away, or at its time limit, whichever comes first.
import { createCore, createWorker } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { openDatabase } from '../src/platform/db/index.js';
import { createLogger } from '../src/platform/log.js';
import { type ParentMessage, type WorkerMessage, benchJobKind } from './queue.js';

const drainCheckMs = 250;
const maxLifetimeMs = Number(process.env.BENCH_WORKER_MAX_MS ?? 300_000);

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

const config = loadConfig();
const logger = createLogger(config.logLevel);
const database = await openDatabase(config.database);
const core = createCore({ config, database, logger });
const worker = createWorker({ ...core, jobHandlers: { [benchJobKind]: async () => null } });

let drainTimer: NodeJS.Timeout | undefined;
let stopping: Promise<void> | undefined;

function shutdown(reason: string): Promise<void> {
  stopping ??= (async () => {
    clearInterval(drainTimer);
    await worker.stop(config.shutdownTimeoutMs);
    await database.close();
    const cpu = process.cpuUsage();
    await send({ type: 'stopped', reason, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
    process.exit(0);
  })();
  return stopping;
}

/** Nothing queued or running any more: every job this run enqueued is finished. */
async function drained(): Promise<boolean> {
  const row = await database.db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirstOrThrow();
  return Number(row.n) === 0;
}

function start(): void {
  worker.start();
  drainTimer = setInterval(() => {
    drained().then(
      (done) => {
        if (done) void shutdown('drained');
      },
      (err: unknown) => logger.warn({ err }, 'bench worker: drain check failed'),
    );
  }, drainCheckMs);
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'start') start();
  if (message.type === 'stop') void shutdown('told to stop');
});
process.on('disconnect', () => void shutdown('parent went away'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
setTimeout(() => void shutdown('time limit'), maxLifetimeMs).unref();

await send({ type: 'ready', workerId: worker.id, concurrency: config.worker.concurrency });
