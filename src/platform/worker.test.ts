// The in-process Worker with real handlers over a real queue, on both engines; the queue's clock is manual.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { type TestDatabase, createTestDatabase, testEngines } from '../testing/db.js';
import { ManualClock } from './clock.js';
import { createLogger } from './log.js';
import { type Job, Queue } from './queue.js';
import { type JobHandler, type JobOutcome, Worker } from './worker.js';
import { waitFor as pollUntil } from '../testing/wait.js';

const kind = 'test.work';

/** Polls until `check` returns a value (not undefined), or fails at the deadline. */
/** This file's deadline and polling pace. */
const waitFor = <T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000) =>
  pollUntil(what, check, { timeoutMs, everyMs: 10 });

/** A promise the test settles by hand. */
function gate<T = void>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

for (const { engine, skip } of await testEngines()) {
  describe(`worker (${engine})`, { skip }, () => {
    let tdb: TestDatabase;
    let clock: ManualClock;
    let queue: Queue;
    let outcomes: { kind: string; outcome: JobOutcome }[];
    const workers: Worker[] = [];

    before(async () => {
      tdb = await createTestDatabase(engine);
    });
    after(async () => {
      await tdb?.cleanup();
    });
    beforeEach(async () => {
      await tdb.database.db.deleteFrom('jobs').execute();
      clock = new ManualClock();
      queue = new Queue(tdb.database, { clock });
      outcomes = [];
    });
    afterEach(async () => {
      await Promise.all(workers.splice(0).map((w) => w.stop(0)));
    });

    function startWorker(handler: JobHandler, opts: { concurrency?: number; leaseMs?: number; onFinished?: (outcome: JobOutcome) => void } = {}) {
      const worker = new Worker({
        queue,
        handlers: { [kind]: handler },
        logger: createLogger('silent'),
        concurrency: opts.concurrency ?? 2,
        leaseMs: opts.leaseMs ?? 30_000,
        pollMs: 20,
        onJobFinished: (k, outcome) => {
          outcomes.push({ kind: k, outcome });
          opts.onFinished?.(outcome);
        },
      });
      workers.push(worker);
      worker.start();
      return worker;
    }

    const enqueue = (payload: unknown, maxAttempts?: number) =>
      queue.enqueue({ tenantId: 't1', kind, payload, ...(maxAttempts ? { maxAttempts } : {}) }).then((r) => r.job);

    const jobWhen = (id: string, what: string, test: (job: Job) => boolean) =>
      waitFor(what, async () => {
        const job = await queue.get('t1', id);
        return job && test(job) ? job : undefined;
      });

    it('runs jobs to completion, stores their results and keeps to its concurrency', async () => {
      let inFlight = 0;
      let maxInFlight = 0;
      startWorker(
        async (job) => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await sleep(15);
          inFlight--;
          return { doubled: (job.payload as { n: number }).n * 2 };
        },
        { concurrency: 2 },
      );
      const jobs = await Promise.all(Array.from({ length: 8 }, (_, n) => enqueue({ n })));
      await waitFor('all jobs completed', async () => ((await queue.countByStatus()).completed === 8 ? true : undefined));
      for (const [n, job] of jobs.entries()) {
        const done = await queue.get('t1', job.id);
        assert.equal(done?.status, 'completed');
        assert.equal(done?.attempts, 1);
        assert.deepEqual(done?.result, { doubled: n * 2 });
      }
      assert.equal(maxInFlight, 2);
      assert.deepEqual(new Set(outcomes.map((o) => o.outcome)), new Set(['completed']));
    });

    it('picks up a job enqueued in-process without waiting for a poll', async () => {
      const ran = gate<string>();
      const worker = new Worker({
        queue,
        handlers: { [kind]: async (job) => ran.open(job.id) },
        logger: createLogger('silent'),
        concurrency: 1,
        leaseMs: 30_000,
        pollMs: 60_000,
      });
      workers.push(worker);
      worker.start();
      await sleep(50);
      const job = await enqueue({});
      const timeout = sleep(5000, 'not woken', { ref: false });
      assert.equal(await Promise.race([ran.promise, timeout]), job.id);
    });

    it('retries a failing handler after the backoff, then completes', async () => {
      let calls = 0;
      startWorker(async () => {
        calls++;
        if (calls === 1) throw new Error('transient failure');
        return 'ok';
      });
      const job = await enqueue({});
      const failed = await jobWhen(job.id, 'the first attempt to fail', (j) => j.status === 'queued' && j.attempts === 1);
      assert.equal(failed.lastError, 'transient failure');
      assert.equal(failed.runAt, clock.now() + 1000);
      await sleep(100);
      assert.equal(calls, 1, 'no retry before the backoff has passed');
      clock.advance(1000);
      const done = await jobWhen(job.id, 'the retry to complete', (j) => j.status === 'completed');
      assert.equal(done.attempts, 2);
      assert.equal(done.result, 'ok');
      assert.deepEqual(outcomes.map((o) => o.outcome), ['retry', 'completed']);
    });

    it('marks a job dead after max attempts, keeping the last error', async () => {
      let calls = 0;
      const worker = startWorker(
        async () => {
          calls++;
          throw new Error(`failure ${calls}`);
        },
        {
          onFinished: (outcome) => {
            if (outcome !== 'retry') return;
            clock.advance(3_600_000);
            worker.wake();
          },
        },
      );
      const job = await enqueue({}, 3);
      const dead = await jobWhen(job.id, 'the job to die', (j) => j.status === 'dead');
      assert.equal(dead.attempts, 3);
      assert.equal(dead.lastError, 'failure 3');
      assert.equal(calls, 3);
      assert.deepEqual(outcomes.map((o) => o.outcome), ['retry', 'retry', 'dead']);
    });

    it('stop() waits for a running job to finish, and claims nothing more', async () => {
      const started = gate();
      const finish = gate();
      const worker = startWorker(async () => {
        started.open();
        await finish.promise;
        return 'finished';
      });
      const job = await enqueue({});
      await started.promise;
      let stopped = false;
      const stopping = worker.stop(10_000).then(() => {
        stopped = true;
      });
      await sleep(100);
      assert.equal(stopped, false, 'stop() returned while a job was running');
      const later = await enqueue({});
      finish.open();
      await stopping;
      assert.equal((await queue.get('t1', job.id))?.status, 'completed');
      await sleep(100);
      assert.equal((await queue.get('t1', later.id))?.status, 'queued', 'a stopped worker claimed a job');
    });

    it('stop() with a short grace aborts and releases a job that does not finish', async () => {
      const started = gate();
      let aborted = false;
      const worker = startWorker(
        (_job, { signal }) =>
          new Promise((_resolve, reject) => {
            started.open();
            signal.addEventListener('abort', () => {
              aborted = true;
              reject(signal.reason as Error);
            });
          }),
      );
      const job = await enqueue({});
      await started.promise;
      await worker.stop(50);
      assert.equal(aborted, true, 'the handler was not told to stop');
      const released = await queue.get('t1', job.id);
      assert.equal(released?.status, 'queued');
      assert.equal(released?.attempts, 0, 'a released attempt does not count');
      assert.equal(released?.leaseToken, null);
      assert.equal(released?.lastError, null, 'a release is not a failure');
      await waitFor('the aborted run to report', () => (outcomes.length ? true : undefined));
      assert.deepEqual(outcomes.map((o) => o.outcome), ['lost']);
      const [next] = await queue.claim({ workerId: 'other', kinds: [kind], limit: 1, leaseMs: 1000 });
      assert.equal(next?.id, job.id, 'another worker can take the job at once');
    });

    it('aborts the handler when its lease is lost, and leaves the new holder alone', async () => {
      const started = gate();
      let aborted = false;
      startWorker(
        (_job, { signal }) =>
          new Promise((_resolve, reject) => {
            started.open();
            signal.addEventListener('abort', () => {
              aborted = true;
              reject(new Error('gave up'));
            });
          }),
        // The first heartbeat comes a second after the claim, long after the usurper took the job.
        { leaseMs: 3000, concurrency: 1 },
      );
      const job = await enqueue({});
      await started.promise;
      // Far past the lease, even one a late heartbeat renewed (its interval is real time, the clock is not).
      clock.advance(60_000);
      const [taken] = await queue.claim({ workerId: 'usurper', kinds: [kind], limit: 1, leaseMs: 60_000 });
      assert.equal(taken?.id, job.id);
      await waitFor('the handler to be aborted', () => (aborted ? true : undefined));
      await waitFor('the lost run to report', () => (outcomes.length ? true : undefined));
      assert.deepEqual(outcomes.map((o) => o.outcome), ['lost']);
      const now = await queue.get('t1', job.id);
      assert.equal(now?.status, 'running');
      assert.equal(now?.lockedBy, 'usurper');
      assert.equal(now?.leaseToken, taken?.leaseToken);
      assert.equal(now?.lastError, 'lease expired: the worker stopped heartbeating (crashed or stalled)');
    });

    it('tracks a job it re-claims after its own lease expired as a second run', async () => {
      const secondStarted = gate();
      const finishSecond = gate();
      let calls = 0;
      const worker = startWorker(
        (_job, { signal }) => {
          calls++;
          if (calls > 1) {
            secondStarted.open();
            return finishSecond.promise.then(() => 'second run');
          }
          // The first run notices its lost lease only after the second run began.
          return new Promise((_resolve, reject) => {
            signal.addEventListener('abort', () => {
              void secondStarted.promise.then(() => reject(new Error('lease lost')));
            });
          });
        },
        { leaseMs: 3000, concurrency: 2 },
      );
      const job = await enqueue({});
      await jobWhen(job.id, 'the first run', (j) => j.status === 'running');
      clock.advance(60_000);
      worker.wake();
      await secondStarted.promise;
      await waitFor('the first run to report', () => (outcomes.length ? true : undefined));
      assert.deepEqual(outcomes.map((o) => o.outcome), ['lost']);
      try {
        assert.equal(worker.inFlight, 1, 'the second run is still in flight');
        let stopped = false;
        const stopping = worker.stop(10_000).then(() => {
          stopped = true;
        });
        await sleep(100);
        assert.equal(stopped, false, 'stop() did not wait for the second run');
        finishSecond.open();
        await stopping;
      } finally {
        finishSecond.open();
      }
      const done = await queue.get('t1', job.id);
      assert.equal(done?.status, 'completed');
      assert.equal(done?.attempts, 2);
    });
  });
}
