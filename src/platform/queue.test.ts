// Contract suite for the durable job queue, run against SQLite and PostgreSQL with a manual clock.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type TestDatabase, createTestDatabase, testEngines } from '../testing/db.js';
import { ManualClock } from './clock.js';
import { type Job, Queue } from './queue.js';

const kind = 'test.kind';
const leaseMs = 10_000;

for (const { engine, skip } of await testEngines()) {
  describe(`queue contract (${engine})`, { skip }, () => {
    let tdb: TestDatabase;
    let clock: ManualClock;
    let queue: Queue;

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
    });

    const enqueue = (extra: { tenantId?: string; kind?: string; priority?: number; runAt?: number; maxAttempts?: number } = {}) =>
      queue.enqueue({ tenantId: 't1', kind, payload: { n: 1 }, ...extra }).then((r) => r.job);

    const claimOne = async (workerId = 'w1', lease = leaseMs): Promise<Job> => {
      const jobs = await queue.claim({ workerId, kinds: [kind], limit: 1, leaseMs: lease });
      assert.equal(jobs.length, 1, 'expected one job to be claimable');
      return jobs[0]!;
    };

    const row = async (id: string) => {
      const job = await queue.get('t1', id);
      assert.ok(job, `job ${id} should exist`);
      return job;
    };

    describe('enqueue', () => {
      it('creates a queued job, then returns the same job for the same tenant, kind and idempotency key', async () => {
        const first = await queue.enqueue({ tenantId: 't1', kind, payload: { a: 1 }, idempotencyKey: 'k1' });
        assert.equal(first.created, true);
        assert.equal(first.job.status, 'queued');
        assert.deepEqual(first.job.payload, { a: 1 });
        assert.equal(first.job.attempts, 0);
        assert.equal(first.job.runAt, clock.now());
        assert.equal(first.job.maxAttempts, 5);

        const again = await queue.enqueue({ tenantId: 't1', kind, payload: { a: 2 }, idempotencyKey: 'k1' });
        assert.equal(again.created, false);
        assert.equal(again.job.id, first.job.id);
        assert.deepEqual(again.job.payload, { a: 1 }, 'the first payload wins');
        assert.equal((await queue.list('t1', { limit: 10, offset: 0 })).length, 1);
      });

      it('scopes the idempotency key by tenant and kind, and never dedupes jobs without a key', async () => {
        const base = await queue.enqueue({ tenantId: 't1', kind, payload: null, idempotencyKey: 'k' });
        const otherTenant = await queue.enqueue({ tenantId: 't2', kind, payload: null, idempotencyKey: 'k' });
        const otherKind = await queue.enqueue({ tenantId: 't1', kind: 'other.kind', payload: null, idempotencyKey: 'k' });
        const noKey1 = await queue.enqueue({ tenantId: 't1', kind, payload: null });
        const noKey2 = await queue.enqueue({ tenantId: 't1', kind, payload: null });
        for (const r of [base, otherTenant, otherKind, noKey1, noKey2]) assert.equal(r.created, true);
        assert.equal(new Set([base, otherTenant, otherKind, noKey1, noKey2].map((r) => r.job.id)).size, 5);
      });

      it('creates exactly one job when 20 enqueues with one key race', async () => {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => queue.enqueue({ tenantId: 't1', kind, payload: { i }, idempotencyKey: 'race' })),
        );
        assert.equal(results.filter((r) => r.created).length, 1);
        assert.equal(new Set(results.map((r) => r.job.id)).size, 1);
        const count = await tdb.database.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        assert.equal(Number(count.n), 1);
      });
    });

    describe('claim', () => {
      it('leases the job to the worker and counts the attempt', async () => {
        const job = await enqueue();
        const claimed = await claimOne('worker-a');
        assert.equal(claimed.id, job.id);
        assert.equal(claimed.status, 'running');
        assert.equal(claimed.attempts, 1);
        assert.equal(claimed.lockedBy, 'worker-a');
        assert.equal(claimed.leaseUntil, clock.now() + leaseMs);
        assert.equal(claimed.startedAt, clock.now());
        assert.ok(claimed.leaseToken);
        assert.deepEqual(await row(job.id), claimed);
      });

      it('does not hand a claimed job out again', async () => {
        await enqueue();
        await claimOne();
        assert.deepEqual(await queue.claim({ workerId: 'w2', kinds: [kind], limit: 5, leaseMs }), []);
      });

      it('never hands the same job to two concurrent claimers', async () => {
        for (let i = 0; i < 30; i++) await enqueue();
        const claimers = Array.from({ length: 10 }, () => new Queue(tdb.database, { clock }));
        const batches = await Promise.all(claimers.map((q, i) => q.claim({ workerId: `w${i}`, kinds: [kind], limit: 5, leaseMs })));
        const ids = batches.flat().map((j) => j.id);
        assert.equal(ids.length, 30);
        assert.equal(new Set(ids).size, 30);
        const tokensPerClaim = batches.filter((b) => b.length > 0).map((b) => new Set(b.map((j) => j.leaseToken)));
        const allTokens = new Set(tokensPerClaim.flatMap((t) => [...t]));
        assert.equal(allTokens.size, tokensPerClaim.reduce((n, t) => n + t.size, 0), 'no two claims share a lease token');
      });

      it('only claims the kinds asked for, and nothing when no kinds or no room', async () => {
        await enqueue({ kind: 'other.kind' });
        assert.deepEqual(await queue.claim({ workerId: 'w', kinds: [kind], limit: 5, leaseMs }), []);
        assert.deepEqual(await queue.claim({ workerId: 'w', kinds: [], limit: 5, leaseMs }), []);
        assert.deepEqual(await queue.claim({ workerId: 'w', kinds: ['other.kind'], limit: 0, leaseMs }), []);
        assert.equal((await queue.claim({ workerId: 'w', kinds: ['other.kind'], limit: 5, leaseMs })).length, 1);
      });

      it('claims lower priority values first, then earlier run_at', async () => {
        const now = clock.now();
        const late = await enqueue({ priority: 0, runAt: now - 1000 });
        const early = await enqueue({ priority: 0, runAt: now - 2000 });
        const urgent = await enqueue({ priority: -5 });
        const background = await enqueue({ priority: 10, runAt: now - 9000 });
        const order: string[] = [];
        for (let i = 0; i < 4; i++) order.push((await claimOne()).id);
        assert.deepEqual(order, [urgent.id, early.id, late.id, background.id]);
      });

      it('returns a multi-job claim in priority order', async () => {
        const b = await enqueue({ priority: 2 });
        const a = await enqueue({ priority: 1 });
        const c = await enqueue({ priority: 3 });
        const jobs = await queue.claim({ workerId: 'w', kinds: [kind], limit: 10, leaseMs });
        assert.deepEqual(jobs.map((j) => j.id), [a.id, b.id, c.id]);
      });

      it('does not claim a job before its run_at', async () => {
        const job = await enqueue({ runAt: clock.now() + 5000 });
        clock.advance(4999);
        assert.deepEqual(await queue.claim({ workerId: 'w', kinds: [kind], limit: 1, leaseMs }), []);
        clock.advance(1);
        assert.equal((await claimOne()).id, job.id);
      });
    });

    describe('heartbeat', () => {
      it('extends the lease from now', async () => {
        await enqueue();
        const job = await claimOne('w1', 1000);
        clock.advance(800);
        assert.equal(await queue.heartbeat(job, 1000), true);
        const after = await row(job.id);
        assert.equal(after.leaseUntil, clock.now() + 1000);
        clock.advance(900);
        assert.equal(await queue.reapExpiredLeases(), 0, 'the extended lease has not expired');
        assert.equal((await row(job.id)).status, 'running');
      });

      it('fails once the lease was lost to the reaper and another worker', async () => {
        await enqueue();
        const job = await claimOne('w1', 1000);
        clock.advance(1001);
        const taken = await claimOne('w2', 1000);
        assert.equal(taken.id, job.id);
        assert.equal(await queue.heartbeat(job, 1000), false);
        const now = await row(job.id);
        assert.equal(now.lockedBy, 'w2');
        assert.equal(now.leaseToken, taken.leaseToken);
        assert.equal(now.leaseUntil, taken.leaseUntil, 'the stale heartbeat did not touch the new lease');
      });

      it('fails after the job completed', async () => {
        await enqueue();
        const job = await claimOne();
        assert.equal(await queue.complete(job, null), true);
        assert.equal(await queue.heartbeat(job, 1000), false);
      });
    });

    describe('complete', () => {
      it('stores the result and clears the lease', async () => {
        await enqueue();
        const job = await claimOne();
        clock.advance(250);
        assert.equal(await queue.complete(job, { ok: true, n: 3 }), true);
        const done = await row(job.id);
        assert.equal(done.status, 'completed');
        assert.deepEqual(done.result, { ok: true, n: 3 });
        assert.equal(done.finishedAt, clock.now());
        assert.equal(done.leaseToken, null);
        assert.equal(done.leaseUntil, null);
        assert.equal(await queue.complete(job, { again: true }), false, 'a job completes once');
        assert.deepEqual((await row(job.id)).result, { ok: true, n: 3 });
      });

      it('refuses a stale or forged lease token, on complete, fail and release', async () => {
        await enqueue();
        const first = await claimOne('w1', 1000);
        assert.equal(await queue.complete({ id: first.id, leaseToken: 'forged' }, null), false);
        assert.equal(await queue.fail({ id: first.id, leaseToken: 'forged' }, 'x'), 'lost');
        assert.equal(await queue.release({ id: first.id, leaseToken: 'forged' }), false);

        clock.advance(1001);
        const second = await claimOne('w2', 1000);
        assert.equal(await queue.complete(first, 'stale'), false);
        assert.equal(await queue.fail(first, 'stale failure'), 'lost');
        assert.equal(await queue.release(first), false);
        const now = await row(first.id);
        assert.equal(now.status, 'running');
        assert.equal(now.leaseToken, second.leaseToken);
        assert.equal(now.attempts, 2);
        assert.equal(await queue.complete(second, 'fresh'), true);
        assert.equal((await row(first.id)).result, 'fresh');
      });
    });

    describe('fail', () => {
      it('requeues with exponential backoff (1s, 2s, 4s) and keeps the last error', async () => {
        const job = await enqueue();
        for (const [attempt, backoff] of [[1, 1000], [2, 2000], [3, 4000]] as const) {
          const claimed = await claimOne();
          assert.equal(claimed.attempts, attempt);
          assert.equal(await queue.fail(claimed, `boom ${attempt}`), 'retry');
          const failed = await row(job.id);
          assert.equal(failed.status, 'queued');
          assert.equal(failed.runAt, clock.now() + backoff);
          assert.equal(failed.lastError, `boom ${attempt}`);
          assert.equal(failed.leaseToken, null);
          assert.equal(failed.leaseUntil, null);
          assert.equal(failed.lockedBy, null);
          clock.advance(backoff - 1);
          assert.deepEqual(await queue.claim({ workerId: 'w', kinds: [kind], limit: 1, leaseMs }), [], 'not before the backoff');
          clock.advance(1);
        }
      });

      it('caps the backoff', () => {
        const q = new Queue(tdb.database, { clock, backoffBaseMs: 1000, backoffMaxMs: 60_000 });
        assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 30].map((a) => q.backoffMs(a)), [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
      });

      it('marks the job dead with its last error once max_attempts are used', async () => {
        const job = await enqueue({ maxAttempts: 2 });
        assert.equal(await queue.fail(await claimOne(), 'first'), 'retry');
        clock.advance(1000);
        const last = await claimOne();
        assert.equal(last.attempts, 2);
        clock.advance(10);
        assert.equal(await queue.fail(last, 'second'), 'dead');
        const dead = await row(job.id);
        assert.equal(dead.status, 'dead');
        assert.equal(dead.lastError, 'second');
        assert.equal(dead.finishedAt, clock.now());
        assert.equal(dead.leaseToken, null);
        clock.advance(3_600_000);
        assert.deepEqual(await queue.claim({ workerId: 'w', kinds: [kind], limit: 1, leaseMs }), [], 'a dead job is never claimed');
      });

      it('truncates a huge error message', async () => {
        const job = await enqueue();
        await queue.fail(await claimOne(), 'e'.repeat(10_000));
        assert.equal((await row(job.id)).lastError?.length, 4000);
      });
    });

    describe('reapExpiredLeases', () => {
      it('requeues a job whose lease expired; the attempt counts', async () => {
        const job = await enqueue();
        await claimOne('w1', 1000);
        clock.advance(1000);
        assert.equal(await queue.reapExpiredLeases(), 0, 'a lease is held up to and including lease_until');
        clock.advance(1);
        assert.equal(await queue.reapExpiredLeases(), 1);
        const reaped = await row(job.id);
        assert.equal(reaped.status, 'queued');
        assert.equal(reaped.attempts, 1);
        assert.equal(reaped.runAt, clock.now());
        assert.equal(reaped.leaseToken, null);
        assert.equal(reaped.lockedBy, null);
        assert.match(reaped.lastError ?? '', /lease expired/);
        assert.equal((await claimOne('w2')).attempts, 2);
      });

      it('kills a job whose lease expired on its last attempt', async () => {
        const job = await enqueue({ maxAttempts: 1 });
        await claimOne('w1', 1000);
        clock.advance(1001);
        assert.equal(await queue.reapExpiredLeases(), 1);
        const dead = await row(job.id);
        assert.equal(dead.status, 'dead');
        assert.equal(dead.attempts, 1);
        assert.equal(dead.finishedAt, clock.now());
        assert.match(dead.lastError ?? '', /lease expired/);
      });

      it('leaves live leases, queued and finished jobs alone', async () => {
        const done = await enqueue({ priority: 0 });
        const live = await enqueue({ priority: 1 });
        const waiting = await enqueue({ priority: 2 });
        await queue.complete(await claimOne('w', 1000), null);
        assert.equal((await claimOne('w', 100_000)).id, live.id);
        clock.advance(50_000);
        assert.equal(await queue.reapExpiredLeases(), 0);
        assert.equal((await row(done.id)).status, 'completed');
        assert.equal((await row(live.id)).status, 'running');
        assert.equal((await row(waiting.id)).status, 'queued');
      });
    });

    describe('release', () => {
      it('puts the job back at once without counting the attempt', async () => {
        const job = await enqueue();
        const claimed = await claimOne();
        clock.advance(10);
        assert.equal(await queue.release(claimed), true);
        const released = await row(job.id);
        assert.equal(released.status, 'queued');
        assert.equal(released.attempts, 0);
        assert.equal(released.runAt, clock.now());
        assert.equal(released.leaseToken, null);
        assert.equal(released.lockedBy, null);
        assert.equal(await queue.release(claimed), false, 'the lease is gone after a release');
        assert.equal((await claimOne()).attempts, 1);
      });
    });

    describe('get, list and countByStatus', () => {
      it('only shows a tenant its own jobs', async () => {
        const mine = await enqueue({ tenantId: 't1' });
        const theirs = await enqueue({ tenantId: 't2' });
        assert.equal((await queue.get('t1', mine.id))?.id, mine.id);
        assert.equal(await queue.get('t1', theirs.id), undefined);
        assert.equal(await queue.get('t2', mine.id), undefined);
        assert.deepEqual((await queue.list('t1', { limit: 50, offset: 0 })).map((j) => j.id), [mine.id]);
        assert.deepEqual((await queue.list('t2', { limit: 50, offset: 0 })).map((j) => j.id), [theirs.id]);
        assert.deepEqual(await queue.list('t3', { limit: 50, offset: 0 }), []);
      });

      it('lists newest first, filters by status and kind, and pages', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          ids.push((await enqueue()).id);
          clock.advance(1);
        }
        const other = await enqueue({ kind: 'other.kind' });
        const newestFirst = [...ids].reverse();
        assert.deepEqual((await queue.list('t1', { kind, limit: 50, offset: 0 })).map((j) => j.id), newestFirst);
        assert.deepEqual((await queue.list('t1', { kind, limit: 2, offset: 1 })).map((j) => j.id), newestFirst.slice(1, 3));
        assert.deepEqual((await queue.list('t1', { kind: 'other.kind', limit: 50, offset: 0 })).map((j) => j.id), [other.id]);
        const claimed = await claimOne();
        assert.deepEqual((await queue.list('t1', { status: 'running', limit: 50, offset: 0 })).map((j) => j.id), [claimed.id]);
        assert.equal((await queue.list('t1', { status: 'queued', limit: 50, offset: 0 })).length, 5);
      });

      it('counts jobs by status across tenants, with zeros for empty states', async () => {
        assert.deepEqual(await queue.countByStatus(), { queued: 0, running: 0, completed: 0, dead: 0 });
        for (const tenantId of ['t1', 't1', 't2', 't2', 't3']) await enqueue({ tenantId, maxAttempts: 1 });
        await queue.complete(await claimOne(), null);
        await queue.fail(await claimOne(), 'no');
        await claimOne();
        assert.deepEqual(await queue.countByStatus(), { queued: 2, running: 1, completed: 1, dead: 1 });
      });
    });
  });
}
