// Database-counted rate limits: a window fills, refuses with Retry-After, and resets; on both engines.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestDatabase, createTestDatabase, testEngines } from '../testing/db.js';
import { ManualClock } from './clock.js';
import { AppError } from './errors.js';
import { RateLimiter } from './rate-limit.js';

for (const { engine, skip } of await testEngines()) {
  describe(`rate limiter (${engine})`, { skip }, () => {
    let db: TestDatabase;
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0));
    let limiter: RateLimiter;
    before(async () => {
      db = await createTestDatabase(engine);
      limiter = new RateLimiter({ database: db.database, clock });
    });
    after(() => db?.cleanup());

    test('allows max hits per window, then refuses until the window turns', async () => {
      const limit = { bucket: 'cred:a', max: 3, windowMs: 60_000 };
      for (let i = 0; i < 3; i++) assert.equal((await limiter.hit(limit)).remaining, 2 - i);
      clock.advance(15_000);
      await assert.rejects(limiter.hit(limit), (err: AppError) => {
        assert.equal(err.code, 'rate_limited');
        assert.equal(err.details.retryAfterSeconds, 45);
        assert.equal(err.details.resetsAt, '2026-01-01T12:01:00.000Z');
        return true;
      });
      assert.equal((await limiter.hit({ ...limit, bucket: 'cred:b' })).remaining, 2, 'buckets are independent');
      clock.advance(45_000);
      assert.equal((await limiter.hit(limit)).remaining, 2, 'a new window starts empty');
    });

    test('concurrent hits are all counted', async () => {
      const limit = { bucket: 'cred:concurrent', max: 25, windowMs: 60_000 };
      const results = await Promise.allSettled(Array.from({ length: 40 }, () => limiter.hit(limit)));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 25);
    });
  });
}
