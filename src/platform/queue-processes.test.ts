// The queue across real processes: a worker killed mid-job, two workers racing for jobs, and the
// `engram worker` command's clean shutdown. Children are the compiled fixture worker and CLI.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { type TestDatabase, createTestDatabase, testEngines } from '../testing/db.js';
import { type FixturePayload, createFixtureTables, fixtureJobKind } from '../testing/queue-fixture-worker.js';
import { Queue } from './queue.js';
import { waitFor as pollUntil } from '../testing/wait.js';

const fixtureScript = fileURLToPath(new URL('../testing/queue-fixture-worker.js', import.meta.url));
const cliScript = fileURLToPath(new URL('../main.js', import.meta.url));

interface Child {
  name: string;
  proc: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Polls until `check` returns a value (not undefined), or fails at the deadline. */
/** This file's deadline and polling pace. */
const waitFor = <T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000) =>
  pollUntil(what, check, { timeoutMs, everyMs: 25 });

/** Spawns node children against one test database and kills whatever is left of them at the end. */
function childProcesses(tdb: () => TestDatabase) {
  const children: Child[] = [];

  function start(name: string, script: string, args: string[], env: Record<string, string> = {}): Child {
    const inherited = { ...process.env };
    delete inherited.NODE_TEST_CONTEXT;
    const proc = spawn(process.execPath, [script, ...args], {
      // Unset variables of the other engine are blanked, so a developer's DATABASE_URL cannot leak in.
      env: { ...inherited, DATABASE_URL: '', ENGRAM_DATA_DIR: '', LOG_LEVEL: 'info', ...tdb().env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      proc.on('exit', (code, signal) => resolve({ code, signal }));
    });
    const child = { name, proc, output: () => output, exited };
    children.push(child);
    return child;
  }

  const isRunning = (c: Child) => c.proc.exitCode === null && c.proc.signalCode === null;

  /** Resolves once the child printed a log line with this message; fails if it exits first. */
  function logged(child: Child, msg: string, timeoutMs = 20_000): Promise<true> {
    return waitFor(`${child.name} to log "${msg}"`, () => {
      if (logLines(child).some((l) => l.msg === msg)) return true;
      if (!isRunning(child)) throw new Error(`${child.name} exited before logging "${msg}":\n${child.output()}`);
      return undefined;
    }, timeoutMs);
  }

  async function killAll(): Promise<void> {
    const live = children.filter(isRunning);
    for (const c of live) c.proc.kill('SIGKILL');
    await Promise.all(live.map((c) => c.exited));
  }

  return { start, logged, isRunning, killAll };
}

function logLines(child: Child): { msg?: string; level?: number }[] {
  return child
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg?: string; level?: number });
}

async function exitWithin(child: Child, timeoutMs: number) {
  const timeout = sleep(timeoutMs, 'timeout' as const, { ref: false });
  const result = await Promise.race([child.exited, timeout]);
  if (result === 'timeout') throw new Error(`${child.name} did not exit within ${timeoutMs}ms:\n${child.output()}`);
  return result;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

interface Execution {
  job_id: string;
  worker_id: string;
  attempt: number;
  started: number;
  finished: number | null;
}

for (const { engine, skip } of await testEngines()) {
  describe(`queue across processes (${engine})`, { skip }, () => {
    let tdb: TestDatabase;
    let queue: Queue;
    const children = childProcesses(() => tdb);

    before(async () => {
      tdb = await createTestDatabase(engine);
      await createFixtureTables(tdb.database.db);
      queue = new Queue(tdb.database);
    });
    after(async () => {
      await children.killAll();
      await tdb?.cleanup();
    });
    beforeEach(async () => {
      await tdb.database.db.deleteFrom('jobs').execute();
      await sql`delete from fixture_executions`.execute(tdb.database.db);
      await sql`delete from fixture_effects`.execute(tdb.database.db);
    });

    const executions = async (jobId?: string) => {
      const rows = await sql<Execution>`select job_id, worker_id, attempt, started, finished from fixture_executions
        where ${jobId === undefined ? sql`true` : sql`job_id = ${jobId}`} order by started`.execute(tdb.database.db);
      return rows.rows.map((r) => ({ ...r, attempt: Number(r.attempt) }));
    };
    const effects = async (jobId?: string) => {
      const rows = await sql<{ job_id: string; worker_id: string }>`select job_id, worker_id from fixture_effects
        where ${jobId === undefined ? sql`true` : sql`job_id = ${jobId}`}`.execute(tdb.database.db);
      return rows.rows;
    };

    it('a job whose worker is SIGKILLed mid-run is finished exactly once by another worker', async () => {
      const payload: FixturePayload = { firstAttemptSleepMs: 120_000, sleepMs: 0 };
      const { job } = await queue.enqueue({ tenantId: 't1', kind: fixtureJobKind, payload });
      const shortLease = { ENGRAM_JOB_LEASE_SECONDS: '1' };

      const doomed = children.start('worker-a', fixtureScript, ['--worker-id', 'worker-a'], shortLease);
      await waitFor('worker-a to start the job', async () => ((await executions(job.id)).length > 0 ? true : undefined));
      const running = await queue.get('t1', job.id);
      assert.equal(running?.status, 'running');
      assert.equal(running?.lockedBy, 'worker-a');
      doomed.proc.kill('SIGKILL');
      assert.deepEqual(await exitWithin(doomed, 10_000), { code: null, signal: 'SIGKILL' });
      const orphaned = await queue.get('t1', job.id);
      assert.equal(orphaned?.status, 'running', 'the dead worker still holds the lease');

      const rescuer = children.start('worker-b', fixtureScript, ['--worker-id', 'worker-b'], shortLease);
      const done = await waitFor('the job to complete', async () => {
        const j = await queue.get('t1', job.id);
        if (!children.isRunning(rescuer)) throw new Error(`worker-b exited:\n${rescuer.output()}`);
        return j?.status === 'completed' ? j : undefined;
      });
      assert.equal(done.attempts, 2);
      assert.equal(done.lockedBy, 'worker-b');
      assert.deepEqual(done.result, { workerId: 'worker-b' });
      assert.match(done.lastError ?? '', /lease expired/);
      assert.deepEqual(await effects(job.id), [{ job_id: job.id, worker_id: 'worker-b' }], 'the effect happened exactly once');
      const runs = await executions(job.id);
      assert.deepEqual(
        runs.map((r) => [r.worker_id, r.attempt, r.finished !== null]),
        [['worker-a', 1, false], ['worker-b', 2, true]],
      );
      await children.killAll();
    });

    it('two workers share 300 jobs: each runs exactly once, never concurrently with itself', async () => {
      const env = { ENGRAM_WORKER_CONCURRENCY: '4' };
      const workers = ['worker-1', 'worker-2'].map((id) => children.start(id, fixtureScript, ['--worker-id', id, '--poll-ms', '10'], env));
      await Promise.all(workers.map((w) => children.logged(w, 'fixture worker ready')));

      const payload: FixturePayload = { sleepMs: 2 };
      const jobs = await Promise.all(
        Array.from({ length: 300 }, (_, i) => queue.enqueue({ tenantId: 't1', kind: fixtureJobKind, payload, idempotencyKey: `j${i}` })),
      );
      const ids = new Set(jobs.map((j) => j.job.id));
      assert.equal(ids.size, 300);

      await waitFor(
        'all 300 jobs to complete',
        async () => {
          for (const w of workers) if (!children.isRunning(w)) throw new Error(`${w.name} exited:\n${w.output()}`);
          const counts = await queue.countByStatus();
          return counts.completed + counts.dead === 300 ? counts : undefined;
        },
        90_000,
      );
      assert.deepEqual(await queue.countByStatus(), { queued: 0, running: 0, completed: 300, dead: 0 });

      const runs = (await executions()).filter((r) => ids.has(r.job_id));
      const runsByJob = groupBy(runs, (r) => r.job_id);
      assert.equal(runsByJob.size, 300, 'every job ran');
      const repeated = [...runsByJob.entries()].filter(([, rs]) => rs.length !== 1).map(([id]) => id);
      assert.deepEqual(repeated, [], 'jobs that ran more than once');
      for (const [id, rs] of runsByJob) {
        const sorted = [...rs].sort((a, b) => a.started - b.started);
        for (let i = 1; i < sorted.length; i++) {
          assert.ok(sorted[i]!.started >= (sorted[i - 1]!.finished ?? Infinity), `executions of job ${id} overlapped`);
        }
      }
      assert.equal(runs.filter((r) => r.finished === null).length, 0, 'every run finished');
      assert.equal((await effects()).filter((e) => ids.has(e.job_id)).length, 300, 'one effect per job');

      const listed = await queue.list('t1', { status: 'completed', kind: fixtureJobKind, limit: 1000, offset: 0 });
      const inSet = listed.filter((j) => ids.has(j.id));
      assert.ok(inSet.every((j) => j.attempts === 1), 'no job needed a second attempt');
      const byRunner = new Map(runs.map((r) => [r.job_id, r.worker_id]));
      assert.ok(inSet.every((j) => j.lockedBy === byRunner.get(j.id)), 'the worker holding the lease is the one that ran the job');
      const perWorker = groupBy(runs, (r) => r.worker_id);
      assert.deepEqual([...perWorker.keys()].sort(), ['worker-1', 'worker-2'], 'both workers took part');
      await children.killAll();
    });

    it('`engram worker` keeps running until SIGTERM, then stops cleanly with exit code 0', async () => {
      const cli = children.start('engram worker', cliScript, ['worker'], { ENGRAM_SHUTDOWN_TIMEOUT_SECONDS: '5' });
      await children.logged(cli, 'worker started');
      await sleep(1500);
      assert.ok(children.isRunning(cli), `engram worker exited on its own:\n${cli.output()}`);
      cli.proc.kill('SIGTERM');
      assert.deepEqual(await exitWithin(cli, 15_000), { code: 0, signal: null }, cli.output());
      const messages = logLines(cli).map((l) => l.msg);
      assert.ok(messages.includes('stopped cleanly'), `no "stopped cleanly" in:\n${cli.output()}`);
      assert.deepEqual(logLines(cli).filter((l) => (l.level ?? 0) >= 50), [], 'errors were logged');
    });
  });
}
