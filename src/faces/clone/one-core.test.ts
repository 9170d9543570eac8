// One memory core behind every face: an event recorded on the recording face is processed by the same
// pipeline and shows up in the self-model face's context for the same subject.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type App, createWorker } from '../../app.js';
import type { Worker } from '../../platform/worker.js';
import { createTestApp } from '../../testing/app.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../../testing/db.js';

for (const { engine, skip } of await testEngines()) {
  describe(`recording face → self-model context (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    let worker: Worker;
    before(async () => {
      db = await createTestDatabase(engine);
      app = await createTestApp(db);
      worker = createWorker(app.core, { pollMs: 20 });
      worker.start();
    });
    after(async () => {
      await worker?.stop(5000);
      await app?.http.close();
      await db?.cleanup();
    });

    test('a recorded event appears in /external/context for the same subject', async () => {
      const signup = await app.http.inject({
        method: 'POST',
        url: '/api/auth/signup/',
        payload: { username: 'one-core', email: 'one-core@example.test', password: 'correct horse battery' },
      });
      assert.equal(signup.statusCode, 201, signup.body);
      const { access, user } = signup.json() as { access: string; user: { id: string; tenant_id: string } };
      const recorded = await app.http.inject({
        method: 'POST',
        url: '/api/recording/events/',
        headers: { authorization: `Bearer ${access}` },
        payload: { events: [{ client_event_id: 'c1', type: 'note', occurred_at: '2026-04-01T09:00:00Z', payload: { text: 'I live in Valencia.' } }] },
      });
      assert.equal(recorded.statusCode, 201, recorded.body);

      const subject = await app.core.subjects.forAccountUser(user.tenant_id, user.id, null);
      const key = (await app.core.auth.createCredential(user.tenant_id, { kind: 'selfmodel' })).secret;
      const deadline = Date.now() + 30_000;
      let text = '';
      while (!/lives in Valencia/.test(text)) {
        assert.ok(Date.now() < deadline, `context never mentioned the recorded fact: ${text}`);
        await new Promise((r) => setTimeout(r, 25));
        const ctx = await app.http.inject({
          method: 'POST',
          url: '/external/context',
          headers: { 'x-api-key': key },
          payload: { user_id: subject.id, format: 'ai_ready' },
        });
        assert.equal(ctx.statusCode, 200, ctx.body);
        text = ctx.json().ai_ready.text;
      }
    });
  });
}
