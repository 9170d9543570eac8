// An extraction that keeps failing marks its envelope failed with the reason, after its retries, and
// never holds up the other envelopes. The clock is manual, so retries come due without waiting.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type App, createApp, createWorker } from '../app.js';
import { createRuleExtractor } from '../extraction/rules.js';
import type { Extractor } from '../extraction/types.js';
import { ManualClock } from '../platform/clock.js';
import { createLogger } from '../platform/log.js';
import type { Worker } from '../platform/worker.js';
import { testConfig } from '../testing/app.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../testing/db.js';

/** The real rules, except that one kind of text breaks extraction (as a crashing model call would). */
function breakingOn(marker: string): Extractor {
  const rules = createRuleExtractor();
  return {
    name: 'rules',
    async extract(input) {
      if (input.text.includes(marker)) throw new Error(`extractor crashed on ${marker}`);
      return rules.extract(input);
    },
  };
}

for (const { engine, skip } of await testEngines()) {
  describe(`failing extraction (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    let worker: Worker;
    let key: string;
    const clock = new ManualClock(Date.UTC(2026, 5, 1));

    before(async () => {
      db = await createTestDatabase(engine);
      const config = testConfig(db);
      app = await createApp({ config, database: db.database, logger: createLogger('silent'), clock, extractor: breakingOn('EXPLODE') });
      worker = createWorker(app.core, { pollMs: 10 });
      worker.start();
      key = (await app.core.auth.createCredential((await app.core.tenants.create('t')).id, { kind: 'selfmodel' })).secret;
    });
    after(async () => {
      await worker?.stop(5000);
      await app?.http.close();
      await db?.cleanup();
    });

    const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
      app.http.inject({ method, url, headers: { 'x-api-key': key }, ...(payload ? { payload } : {}) });
    const status = async (id: string) => (await call('GET', `/external/input/${id}/status`)).json();
    /**
     * Moves the clock to the next retry, only while no job runs and none is due: jumping past a running
     * job's lease would have the reaper fail it as a crashed worker's, not with the extractor's error.
     */
    const skipToNextRetry = async () => {
      const open = await db.database.db.selectFrom('jobs').select(['status', 'run_at']).where('status', 'in', ['queued', 'running']).execute();
      if (open.length === 0 || open.some((j) => j.status === 'running' || Number(j.run_at) <= clock.now())) return;
      clock.advance(Math.min(...open.map((j) => Number(j.run_at))) - clock.now());
    };

    test('the bad envelope ends failed with its reason; the good ones are processed', async () => {
      const user = (await call('POST', '/external/onboarding', { external_id: 'f' })).json().user_id;
      for (const [id, text] of [['bad', 'EXPLODE please'], ['good-1', 'I live in Lisbon.'], ['good-2', 'I work as a nurse.']]) {
        assert.equal((await call('POST', '/external/input', { envelope_id: id, user_id: user, input_type: 'note', data: { text } })).statusCode, 200);
      }
      const deadline = Date.now() + 30_000;
      while ((await status('bad')).status !== 'failed') {
        assert.ok(Date.now() < deadline, `bad envelope still ${(await status('bad')).status}`);
        await skipToNextRetry();
        worker.wake();
        await new Promise((r) => setTimeout(r, 20));
      }
      const bad = await status('bad');
      assert.match(bad.error_message, /extractor crashed on EXPLODE/);
      assert.equal(bad.episode_id, null);
      assert.equal((await status('good-1')).status, 'processed');
      assert.equal((await status('good-2')).status, 'processed');
      const job = await db.database.db.selectFrom('jobs').selectAll().where('status', '=', 'dead').executeTakeFirstOrThrow();
      assert.equal(job.attempts, job.max_attempts, 'it was retried to the end');
      assert.match(job.last_error ?? '', /EXPLODE/);
    });
  });
}
