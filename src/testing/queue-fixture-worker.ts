// A worker process for the queue's multi-process tests: opens the database from the environment like
// `engram worker` does, and runs one job kind that records every execution in tables the test created.
// Usage: node queue-fixture-worker.js --worker-id <id> [--poll-ms <ms>]
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Kysely, sql } from 'kysely';
import { loadConfig } from '../platform/config.js';
import { openDatabase } from '../platform/db/index.js';
import { createLogger } from '../platform/log.js';
import { Queue } from '../platform/queue.js';
import { type JobHandler, Worker } from '../platform/worker.js';

export const fixtureJobKind = 'fixture.record';

/** What a fixture job does: sleep (longer on its first attempt, so a test can kill it mid-run), then record. */
export interface FixturePayload {
  sleepMs?: number;
  firstAttemptSleepMs?: number;
}

/**
 * fixture_executions: one row per run, written when it starts and finished when it ends (instants as
 * fractional epoch ms). fixture_effects: the job's side effect, written once per run that got to the end.
 */
export async function createFixtureTables(db: Kysely<any>): Promise<void> {
  await sql`create table fixture_executions (
    job_id text not null, worker_id text not null, attempt integer not null,
    started double precision not null, finished double precision)`.execute(db);
  await sql`create table fixture_effects (job_id text not null, worker_id text not null)`.execute(db);
}

const preciseNow = () => performance.timeOrigin + performance.now();

function recordingHandler(db: Kysely<any>, workerId: string): JobHandler {
  return async (job, { signal }) => {
    const payload = (job.payload ?? {}) as FixturePayload;
    const sleepMs = job.attempts === 1 ? (payload.firstAttemptSleepMs ?? payload.sleepMs ?? 0) : (payload.sleepMs ?? 0);
    await sql`insert into fixture_executions (job_id, worker_id, attempt, started)
      values (${job.id}, ${workerId}, ${job.attempts}, ${preciseNow()})`.execute(db);
    if (sleepMs > 0) await sleep(sleepMs, undefined, { signal });
    await sql`update fixture_executions set finished = ${preciseNow()}
      where job_id = ${job.id} and attempt = ${job.attempts} and worker_id = ${workerId}`.execute(db);
    await sql`insert into fixture_effects (job_id, worker_id) values (${job.id}, ${workerId})`.execute(db);
    return { workerId };
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'worker-id': { type: 'string' }, 'poll-ms': { type: 'string', default: '25' } } });
  const workerId = values['worker-id'];
  if (!workerId) throw new Error('--worker-id is required');
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config.database);
  const worker = new Worker({
    queue: new Queue(database),
    handlers: { [fixtureJobKind]: recordingHandler(database.db, workerId) },
    logger,
    concurrency: config.worker.concurrency,
    leaseMs: config.worker.leaseMs,
    pollMs: Number(values['poll-ms']),
    workerId,
  });
  process.once('SIGTERM', () => {
    void worker
      .stop(config.shutdownTimeoutMs)
      .then(() => database.close())
      .then(() => process.exit(0));
  });
  worker.start();
  logger.info({ workerId, engine: database.engine, leaseMs: config.worker.leaseMs }, 'fixture worker ready');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error('fixture worker failed:', err);
    process.exit(1);
  });
}
