// Search with an embedder configured, over HTTP: vectors join the lexical lists (mode hybrid, a `vector`
// signal on what they found); when the embeddings server fails, search still answers, lexically, and says so.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type App, createWorker } from '../app.js';
import type { Worker } from '../platform/worker.js';
import { createTestApp } from '../testing/app.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../testing/db.js';
import { embeddingsReply } from '../testing/embeddings.js';
import { StubServer } from '../testing/stub-http.js';
import { waitFor } from '../testing/wait.js';
import { vectorTrust } from './service.js';

test('a vector hit counts in proportion to its text, in full from 25 words', () => {
  assert.equal(vectorTrust('Thanks, see you soon!'), 4 / 25);
  assert.equal(vectorTrust('  spaced   out   words '), 3 / 25);
  assert.equal(vectorTrust(Array.from({ length: 25 }, (_, i) => `w${i}`).join(' ')), 1);
  assert.equal(vectorTrust(Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ')), 1);
  assert.equal(vectorTrust(''), 0);
});

for (const { engine, skip } of await testEngines()) {
  describe(`hybrid search and its lexical fallback (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    let worker: Worker;
    let stub: StubServer;
    let key: string;
    let user: string;
    let failing = false;
    const call = (url: string, payload: unknown) => app.http.inject({ method: 'POST', url, headers: { 'x-api-key': key }, payload: payload as object });

    before(async () => {
      stub = await StubServer.start();
      stub.respond((req) => (failing ? { status: 503, body: { error: { message: 'model loading' } } } : embeddingsReply(req)));
      db = await createTestDatabase(engine);
      app = await createTestApp(db, {
        env: { ENGRAM_EMBEDDINGS: 'openai', ENGRAM_EMBEDDINGS_BASE_URL: stub.url, ENGRAM_EMBEDDINGS_MODEL: 'stub-model', ENGRAM_EMBEDDINGS_MAX_RETRIES: '0' },
      });
      worker = createWorker(app.core, { pollMs: 20 });
      worker.start();
      const tenant = await app.core.tenants.create('hybrid');
      key = (await app.core.auth.createCredential(tenant.id, { kind: 'selfmodel' })).secret;
      user = (await call('/external/onboarding', { external_id: 'gina' })).json().user_id;
      const turns = ['I adopted a grey kitten last spring', 'The weather in Porto was rainy', 'My brother plays the cello'];
      for (const [i, text] of turns.entries()) {
        const res = await call('/external/input', { envelope_id: `g${i}`, user_id: user, input_type: 'conversation_turn', data: { speaker: 'Gina', text } });
        assert.equal(res.statusCode, 200, res.body);
      }
      await waitFor('every turn embedded', async () => {
        const n = await db.database.db.selectFrom('search_vectors').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        return Number(n.n) >= 3 ? true : undefined;
      });
    });
    after(async () => {
      await worker?.stop(5000);
      await app?.http.close();
      await stub?.close();
      await db?.cleanup();
    });

    test('with the embedder up, vectors take part and say what they found', async () => {
      failing = false;
      const res = await call('/external/search', { user_id: user, query: 'grey kitten', top_k: 3 });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.mode, 'hybrid');
      assert.equal(body.degraded, null);
      assert.deepEqual(body.items[0].evidence, ['g0']);
      assert.ok(body.items[0].signals.includes('vector') && body.items[0].signals.includes('lexical'));
    });

    test("the question's vector asks in the first person of the subject's speakers it names", async () => {
      failing = false;
      const res = await call('/external/search', { user_id: user, query: "What does Gina's brother play?", top_k: 3 });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().mode, 'hybrid');
      assert.deepEqual(res.json().interpreted.speakers, ['Gina']);
      assert.deepEqual((stub.requests.at(-1)!.body as { input: string[] }).input, ['What does my brother play?']);
    });

    test('with the embedder down, search answers lexically and says why (a question embedded before keeps its vector)', async () => {
      failing = true;
      const res = await call('/external/search', { user_id: user, query: 'a grey kitten', top_k: 3 });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.mode, 'lexical');
      assert.match(body.degraded, /embeddings unavailable.*503.*lexical only/);
      assert.deepEqual(body.items[0].evidence, ['g0']);
      assert.ok(!body.items.some((i: { signals: string[] }) => i.signals.includes('vector')));
      const again = (await call('/external/search', { user_id: user, query: 'grey kitten', top_k: 3 })).json();
      assert.equal(again.mode, 'hybrid');
      assert.equal(again.degraded, null);
    });
  });
}
