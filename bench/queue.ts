// Queue throughput: single-row enqueues from this process, then a drain by 1 or 2 real worker
// processes (bench/queue-worker.ts) running the real Worker with a no-op handler.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Database } from '../src/platform/db/index.js';
import { Queue } from '../src/platform/queue.js';
import { createTestDatabase } from '../src/testing/db.js';
import { hasExited, machineBusyPercent, machineCpuTicks, onCleanup, sleep, spawnNode, stopChild } from './processes.js';
import {
  type BenchCase,
  type Suite,
  type SuiteContext,
  formatNumber,
  numberOption,
  projectRoot,
  rate,
  round,
  summarizeLatencies,
} from './report.js';

export const benchJobKind = 'bench.noop';
const warmupJobKind = 'bench.warmup';
const warmupJobs = 500;
const benchTenant = 'bench';

/** Parent → worker. */
export type ParentMessage = { type: 'start' } | { type: 'stop' };
/** Worker → parent. */
export type WorkerMessage =
  | { type: 'ready'; workerId: string; concurrency: number }
  | { type: 'stopped'; reason: string; cpuSeconds: number };

const workerScript = join(projectRoot, 'dist', 'bench', 'queue-worker.js');
const readyTimeoutMs = 20_000;
const completionPollMs = 100;

interface RunParams {
  jobs: number;
  enqueueConcurrency: number;
  workers: number;
  workerConcurrency: number;
  drainTimeoutMs: number;
  analyze: boolean;
}

export const queueSuite: Suite = {
  name: 'queue',
  description: 'durable job queue: enqueue rate and latency, drain rate with 1 and 2 worker processes',
  flags: {
    jobs: 'jobs per run (default 10000)',
    'enqueue-concurrency': 'concurrent enqueue calls (default 4)',
    workers: 'comma-separated worker-process counts (default 1,2)',
    'worker-concurrency': 'ENGRAM_WORKER_CONCURRENCY of each worker process (default 2, the server default)',
    'drain-timeout': 'seconds to wait for a drain before giving up (default 90)',
    analyze: 'PostgreSQL: ANALYZE the jobs table before the drain, yes|no (default yes)',
  },
  async run(ctx) {
    const base = {
      jobs: Math.floor(numberOption(ctx.options, 'jobs', 10_000)),
      enqueueConcurrency: Math.floor(numberOption(ctx.options, 'enqueue-concurrency', 4)),
      workerConcurrency: Math.floor(numberOption(ctx.options, 'worker-concurrency', 2)),
      drainTimeoutMs: numberOption(ctx.options, 'drain-timeout', 90) * 1000,
      analyze: (ctx.options.get('analyze') ?? 'yes') !== 'no',
    };
    const workerCounts = (ctx.options.get('workers') ?? '1,2').split(',').map((s) => Math.floor(Number(s)));
    if (workerCounts.some((n) => !(n >= 1 && n <= 16))) throw new Error('--workers takes counts between 1 and 16, e.g. 1,2');
    const cases: BenchCase[] = [];
    for (const workers of workerCounts) cases.push(await runCase(ctx, { ...base, workers }));
    const notes = [
      'Each case uses a fresh database: the jobs are enqueued first (one enqueue call per job), then the workers start.',
      'drain_ms runs from the start signal to the largest finished_at; worker start-up is excluded (workers report ready first).',
      'Enqueue latency is per call as the caller sees it, including waiting for a free connection (SQLite has one).',
      `Enqueue timing starts after ${warmupJobs} warm-up jobs (enqueued, then deleted).`,
    ];
    if (ctx.engine === 'postgres') {
      notes.push(
        base.analyze
          ? 'The jobs table is ANALYZEd after the enqueues: the drain runs with statistics that show the queued rows.'
          : 'No ANALYZE before the drain: the planner has no statistics for the fresh table (sort-every-queued-row claim plan).',
      );
    }
    return { cases, notes };
  },
};

async function runCase(ctx: SuiteContext, params: RunParams): Promise<BenchCase> {
  const label = `${params.workers} worker process${params.workers > 1 ? 'es' : ''}`;
  const testDb = await createTestDatabase(ctx.engine);
  const cleanup = onCleanup(() => testDb.cleanup());
  try {
    const queue = new Queue(testDb.database);
    await warmUp(queue, testDb.database, params);
    const enqueue = await enqueueAll(queue, params, benchJobKind, params.jobs);
    const lat = enqueue.latency;
    ctx.log(
      `${label}: enqueued ${formatNumber(params.jobs)} jobs in ${round(enqueue.ms / 1000, 2)} s → ` +
        `${formatNumber(rate(params.jobs, enqueue.ms))} jobs/s (p50 ${lat.p50} ms, p95 ${lat.p95} ms, p99 ${lat.p99} ms, ` +
        `max ${lat.max} ms; calls per caller ${enqueue.callsPerCaller.join('/')})`,
    );

    // Without statistics that show the queued rows, PostgreSQL plans the claim as "read every queued
    // row, then sort" (~15 ms at 10k queued); ANALYZE measures the queue with current statistics.
    if (ctx.engine === 'postgres' && params.analyze) await sql`analyze jobs`.execute(testDb.database.db);
    const autovacuum = ctx.engine === 'postgres' ? await postgresSetting(testDb.database, 'autovacuum') : null;

    const drain = await drainWithWorkers(testDb.database, testDb.env, params);
    ctx.log(
      `${label}: ${drain.complete ? 'drained' : `INCOMPLETE: ${formatNumber(drain.completed)} of`} ${formatNumber(params.jobs)} jobs in ` +
        `${round(drain.ms / 1000, 2)} s → ${formatNumber(rate(drain.completed, drain.ms))} jobs/s completed` +
        ` (split ${Object.values(drain.perWorker).join('/')}, machine CPU ${drain.machineCpuPercent ?? '?'}% busy)`,
    );
    return {
      name: label,
      params: {
        jobs: params.jobs,
        enqueue_concurrency: params.enqueueConcurrency,
        worker_processes: params.workers,
        worker_concurrency: params.workerConcurrency,
        analyzed_before_drain: ctx.engine === 'postgres' ? params.analyze : null,
        postgres_autovacuum: autovacuum,
      },
      metrics: {
        enqueue_ms: round(enqueue.ms),
        enqueue_jobs_per_s: rate(params.jobs, enqueue.ms),
        enqueue_latency_ms_p50: lat.p50,
        enqueue_latency_ms_p95: lat.p95,
        enqueue_latency_ms_p99: lat.p99,
        enqueue_latency_ms_max: lat.max,
        enqueue_calls_per_caller: Object.fromEntries(enqueue.callsPerCaller.map((n, c) => [`caller_${c}`, n])),
        drain_complete: drain.complete,
        completed_jobs: drain.completed,
        drain_ms: drain.ms,
        completed_jobs_per_s: rate(drain.completed, drain.ms),
        completed_per_worker: drain.perWorker,
        final_status_counts: await queue.countByStatus(),
        machine_cpu_busy_percent: drain.machineCpuPercent,
        worker_cpu_seconds: drain.workerCpuSeconds,
      },
      notes: drain.complete ? [] : [`drain gave up after ${params.drainTimeoutMs} ms`],
    };
  } finally {
    await cleanup();
  }
}

interface Drain {
  complete: boolean;
  completed: number;
  ms: number;
  perWorker: Record<string, number>;
  machineCpuPercent: number | null;
  workerCpuSeconds: number;
}

/** Starts the worker processes, waits until they are all ready, then times them draining the queue. */
async function drainWithWorkers(database: Database, dbEnv: Record<string, string>, params: RunParams): Promise<Drain> {
  const env = {
    ...dbEnv,
    LOG_LEVEL: 'warn',
    ENGRAM_WORKER_CONCURRENCY: String(params.workerConcurrency),
    ENGRAM_SHUTDOWN_TIMEOUT_SECONDS: '5',
    BENCH_WORKER_MAX_MS: String(params.drainTimeoutMs + readyTimeoutMs + 30_000),
  };
  const workers: ChildProcess[] = [];
  const cpuSeconds: number[] = [];
  try {
    for (let i = 0; i < params.workers; i++) {
      // The worker's stdout goes to our stderr, so stdout stays the bench report.
      const child = spawnNode(workerScript, [], env, { stdio: ['ignore', 2, 2, 'ipc'] });
      child.on('message', (m: WorkerMessage) => {
        if (m.type === 'stopped') cpuSeconds.push(m.cpuSeconds);
      });
      workers.push(child);
    }
    await Promise.all(workers.map(waitForReady));

    const cpuBefore = machineCpuTicks();
    const startedAt = Date.now();
    for (const child of workers) child.send({ type: 'start' } satisfies ParentMessage);
    const completed = await waitForCompletion(database, params, workers);
    const cpuAfter = machineCpuTicks();
    const complete = completed === params.jobs;
    const finishedAt = await lastFinishedAt(database);
    await Promise.all(workers.map((w) => stopChild(w)));
    return {
      complete,
      completed,
      ms: complete && finishedAt !== null ? finishedAt - startedAt : Date.now() - startedAt,
      perWorker: await completedPerWorker(database),
      machineCpuPercent: machineBusyPercent(cpuBefore, cpuAfter),
      workerCpuSeconds: round(cpuSeconds.reduce((a, b) => a + b, 0), 2),
    };
  } finally {
    await Promise.all(workers.map((w) => stopChild(w, 'SIGKILL', 1000)));
  }
}

/** Enqueues and deletes a few hundred jobs so the measured enqueues run on warm code and connections. */
async function warmUp(queue: Queue, database: Database, params: RunParams): Promise<void> {
  await enqueueAll(queue, params, warmupJobKind, Math.min(warmupJobs, params.jobs));
  await database.db.deleteFrom('jobs').where('kind', '=', warmupJobKind).execute();
}

async function enqueueAll(
  queue: Queue,
  params: RunParams,
  kind: string,
  jobs: number,
): Promise<{ ms: number; latency: ReturnType<typeof summarizeLatencies>; callsPerCaller: number[] }> {
  const latencies = new Float64Array(jobs);
  // Calls each concurrent caller got through: unequal counts mean callers were starved of connections.
  const callsPerCaller = new Array<number>(params.enqueueConcurrency).fill(0);
  let next = 0;
  const caller = async (_: unknown, c: number) => {
    for (let i = next++; i < jobs; i = next++) {
      const t = performance.now();
      await queue.enqueue({ tenantId: benchTenant, kind, payload: { i } });
      latencies[i] = performance.now() - t;
      callsPerCaller[c]!++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: params.enqueueConcurrency }, caller));
  return { ms: performance.now() - started, latency: summarizeLatencies(latencies), callsPerCaller };
}

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench worker not ready after ${readyTimeoutMs} ms`)), readyTimeoutMs);
    child.on('message', (m: WorkerMessage) => {
      if (m.type !== 'ready') return;
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`bench worker exited before it was ready (code ${code}, signal ${signal})`));
    });
  });
}

/** Polls until every job is completed, the deadline passes, or every worker is gone; returns the completed count. */
async function waitForCompletion(database: Database, params: RunParams, workers: ChildProcess[]): Promise<number> {
  const deadline = Date.now() + params.drainTimeoutMs;
  let completed = 0;
  while (Date.now() < deadline) {
    completed = await countCompleted(database);
    if (completed >= params.jobs) return completed;
    if (workers.every(hasExited)) return countCompleted(database);
    await sleep(completionPollMs);
  }
  return countCompleted(database);
}

async function countCompleted(database: Database): Promise<number> {
  const row = await database.db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'completed')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function lastFinishedAt(database: Database): Promise<number | null> {
  const row = await database.db
    .selectFrom('jobs')
    .select((eb) => eb.fn.max('finished_at').as('last'))
    .executeTakeFirstOrThrow();
  return row.last === null ? null : Number(row.last);
}

/** How the completed jobs split between the worker processes (locked_by survives completion). */
async function completedPerWorker(database: Database): Promise<Record<string, number>> {
  const rows = await database.db
    .selectFrom('jobs')
    .select(['locked_by', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'completed')
    .groupBy('locked_by')
    .orderBy('locked_by')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.locked_by ?? 'none', Number(r.n)]));
}

async function postgresSetting(database: Database, name: 'autovacuum'): Promise<string | null> {
  const { rows } = await sql<Record<string, string>>`show ${sql.raw(name)}`.execute(database.db);
  return rows[0]?.[name] ?? null;
}
