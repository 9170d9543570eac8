// The background embedding job on both engines, with a stub embeddings server: it embeds what lacks a
// vector and nothing twice, takes turns in follow-up jobs, skips a document the server refuses, and a
// model change re-embeds through the queue and then drops the old model's vectors.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { App } from '../app.js';
import { ManualClock } from '../platform/clock.js';
import { loadConfig } from '../platform/config.js';
import { createLogger } from '../platform/log.js';
import { type Job, Queue } from '../platform/queue.js';
import { type Embedder, createEmbedder } from '../providers/embeddings.js';
import { createTestApp } from '../testing/app.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../testing/db.js';
import { embeddingsReply, insertDocs } from '../testing/embeddings.js';
import { StubServer } from '../testing/stub-http.js';
import { waitFor } from '../testing/wait.js';
import { EmbeddingScheduler, createEmbeddingJobs, embedJob, embedWindowMs, enqueueEmbedding, queueEmbeddingBackfill } from './embedding-jobs.js';
import { tenantsToEmbed } from './vectors.js';

let stub: StubServer;

const embedderFor = (model: string, env: Record<string, string> = {}): Embedder =>
  createEmbedder(loadConfig({ ENGRAM_EMBEDDINGS: 'openai', ENGRAM_EMBEDDINGS_BASE_URL: stub.url, ENGRAM_EMBEDDINGS_MODEL: model, ENGRAM_EMBEDDINGS_MAX_RETRIES: '0', ...env }).embeddings)!;

for (const { engine, skip } of await testEngines()) {
  describe(`embedding jobs (${engine})`, { skip }, () => {
    let t: TestDatabase;
    let queue: Queue;
    const clock = new ManualClock();

    before(async () => {
      stub = await StubServer.start();
      t = await createTestDatabase(engine);
      queue = new Queue(t.database, { clock });
    });
    after(async () => {
      await stub?.close();
      await t?.cleanup();
    });
    beforeEach(() => stub.respond((req) => embeddingsReply(req)));

    const handlerFor = (embedder: Embedder, batchSize = 64) =>
      createEmbeddingJobs({ database: t.database, queue, clock, embedder, batchSize })[embedJob]!;

    /** Claims and runs every due embedding job of the tenant, one at a time, until none is left; returns their results. */
    async function runJobs(tenantId: string, embedder: Embedder, batchSize?: number): Promise<unknown[]> {
      const handler = handlerFor(embedder, batchSize);
      const results: unknown[] = [];
      for (;;) {
        clock.advance(embedWindowMs);
        const [job] = (await queue.claim({ workerId: 'test', kinds: [embedJob], limit: 10, leaseMs: 60_000 })).filter((j) => j.tenantId === tenantId);
        if (!job) return results;
        const result = await handler(job, { signal: new AbortController().signal });
        assert.ok(await queue.complete(job, result));
        results.push(result);
      }
    }

    const vectorRows = (tenantId: string) =>
      t.database.db.selectFrom('search_vectors').select(['doc_id', 'model', 'dims', 'subject_id']).where('tenant_id', '=', tenantId).orderBy('doc_id').orderBy('model').execute();

    const queued = (tenantId: string) =>
      t.database.db.selectFrom('jobs').selectAll().where('tenant_id', '=', tenantId).where('kind', '=', embedJob).where('status', '=', 'queued').execute();

    test('embeds every document of the tenant lacking a vector, in batches, and nothing twice', async () => {
      const alice = await insertDocs(t.database.db, 'tenant-1', 'alice', ['one', 'two', 'three']);
      const bob = await insertDocs(t.database.db, 'tenant-1', 'bob', ['four', 'five']);
      await insertDocs(t.database.db, 'tenant-other', 'alice', ['not this tenant']);
      const embedder = embedderFor('m1', { ENGRAM_EMBEDDINGS_BATCH: '2' });
      await enqueueEmbedding(queue, t.database.db, 'tenant-1', 'm1', clock.now());

      assert.deepEqual(await runJobs('tenant-1', embedder), [{ model: 'm1', scope: 'new', embedded: 5, refused: 0, reached: bob[1] }]);
      assert.deepEqual(
        stub.requests.map((r) => (r.body as { input: string[] }).input),
        [['one', 'two'], ['three', 'four'], ['five']],
      );
      const rows = await vectorRows('tenant-1');
      assert.deepEqual(rows.map((r) => [Number(r.doc_id), r.model, r.dims, r.subject_id]), [
        ...alice.map((id) => [id, 'm1', 128, 'alice']),
        ...bob.map((id) => [id, 'm1', 128, 'bob']),
      ]);
      assert.equal((await vectorRows('tenant-other')).length, 0);

      // The same job again (a re-run after a crash): nothing to embed, nothing asked, nothing written.
      stub.respond((req) => embeddingsReply(req));
      await enqueueEmbedding(queue, t.database.db, 'tenant-1', 'm1', clock.now());
      assert.deepEqual(await runJobs('tenant-1', embedder), [{ model: 'm1', scope: 'new', embedded: 0, refused: 0, reached: bob[1] }]);
      assert.equal(stub.requests.length, 0);
      assert.equal((await vectorRows('tenant-1')).length, 5);
    });

    test('calls in one window collapse into one queued job, due when the window has passed', async () => {
      clock.set(Date.UTC(2026, 1, 1, 12, 0, 0, 100));
      for (let i = 0; i < 5; i++) await enqueueEmbedding(queue, t.database.db, 'tenant-window', 'm1', clock.now() + i * 100);
      const jobs = await queued('tenant-window');
      assert.equal(jobs.length, 1);
      assert.equal(Number(jobs[0]!.run_at), Date.UTC(2026, 1, 1, 12, 0, 1));
      clock.advance(embedWindowMs);
      await enqueueEmbedding(queue, t.database.db, 'tenant-window', 'm1', clock.now());
      assert.equal((await queued('tenant-window')).length, 2);
    });

    test('the scheduler queues once per noted tenant, outside the indexing transaction', async () => {
      const scheduler = new EmbeddingScheduler({ database: t.database, queue, clock, model: 'm1', logger: createLogger('silent') });
      for (let i = 0; i < 10; i++) scheduler.noteIndexed('tenant-s1');
      scheduler.noteIndexed('tenant-s2');
      await scheduler.flush();
      assert.equal((await queued('tenant-s1')).length, 1);
      assert.equal((await queued('tenant-s2')).length, 1);
      await scheduler.flush();
      assert.equal((await queued('tenant-s1')).length, 1);
    });

    test('a long backlog continues in follow-up jobs, one per position', async () => {
      const ids = await insertDocs(t.database.db, 'tenant-long', 'carol', Array.from({ length: 53 }, (_, i) => `turn ${i}`));
      await enqueueEmbedding(queue, t.database.db, 'tenant-long', 'm1', clock.now());
      const results = await runJobs('tenant-long', embedderFor('m1'), 1);
      assert.deepEqual(results, [
        { model: 'm1', scope: 'new', embedded: 50, refused: 0, reached: ids[49], continuesAfter: ids[49] },
        { model: 'm1', scope: 'new', embedded: 3, refused: 0, reached: ids[52] },
      ]);
      assert.equal((await vectorRows('tenant-long')).length, 53);
    });

    test('a document the server refuses is skipped, the rest embedded; a refused request fails the job', async () => {
      stub.respond((req) => {
        const input = (req.body as { input: string[] }).input;
        return input.some((s) => s.includes('TOO LONG')) ? { status: 400, body: { error: { message: 'input exceeds 512 tokens' } } } : embeddingsReply(req);
      });
      const [, poison, last] = await insertDocs(t.database.db, 'tenant-refuse', 'dave', ['fine', 'TOO LONG', 'also fine']);
      await enqueueEmbedding(queue, t.database.db, 'tenant-refuse', 'm1', clock.now());
      assert.deepEqual(await runJobs('tenant-refuse', embedderFor('m1')), [{ model: 'm1', scope: 'new', embedded: 2, refused: 1, reached: last }]);
      assert.ok(!(await vectorRows('tenant-refuse')).some((r) => Number(r.doc_id) === poison));

      // Every input refused, the probe too: the request is wrong (a model the server does not have).
      stub.replies({ status: 400, body: { error: { message: 'model "nope" not found' } } });
      await insertDocs(t.database.db, 'tenant-refuse', 'dave', ['new turn']);
      const handler = handlerFor(embedderFor('nope'));
      await enqueueEmbedding(queue, t.database.db, 'tenant-refuse', 'nope', clock.now());
      clock.advance(embedWindowMs);
      const [job] = await queue.claim({ workerId: 'test', kinds: [embedJob], limit: 1, leaseMs: 60_000 });
      await assert.rejects(handler(job as Job, { signal: new AbortController().signal }), /HTTP 400 from .*: model "nope" not found/);
      await queue.fail(job!, 'x');
    });

    test('the server down: the job fails (the queue retries it) and writes nothing', async () => {
      await insertDocs(t.database.db, 'tenant-down', 'erin', ['hello']);
      stub.replies({ status: 503, body: { error: { message: 'loading' } } });
      await enqueueEmbedding(queue, t.database.db, 'tenant-down', 'm1', clock.now());
      clock.advance(embedWindowMs);
      const [job] = await queue.claim({ workerId: 'test', kinds: [embedJob], limit: 1, leaseMs: 60_000 });
      await assert.rejects(handlerFor(embedderFor('m1'))(job!, { signal: new AbortController().signal }), /Embeddings failed: HTTP 503/);
      assert.equal(await queue.fail(job!, 'down'), 'retry');
      assert.equal((await vectorRows('tenant-down')).length, 0);
    });

    test('a model change: the start-up check queues the tenants, the job re-embeds, then old vectors go', async () => {
      const docs = await insertDocs(t.database.db, 'tenant-model', 'frank', ['we went hiking', 'I like tea']);
      await enqueueEmbedding(queue, t.database.db, 'tenant-model', 'old-model', clock.now());
      await runJobs('tenant-model', embedderFor('old-model'));
      // Nothing to do for the model every vector is already of (other tenants of this file still have work).
      assert.ok(!(await tenantsToEmbed(t.database.db, 'old-model')).includes('tenant-model'));

      assert.ok((await queueEmbeddingBackfill({ database: t.database, queue, clock }, 'new-model')).includes('tenant-model'));
      // The old vectors serve search until the new ones are complete.
      assert.deepEqual((await vectorRows('tenant-model')).map((r) => r.model), ['old-model', 'old-model']);
      stub.respond((req) => embeddingsReply(req, 64));
      assert.deepEqual(await runJobs('tenant-model', embedderFor('new-model')), [
        { model: 'new-model', scope: 'all', embedded: 2, refused: 0, reached: docs[1], removedOtherModels: 2 },
      ]);
      assert.deepEqual(
        (await vectorRows('tenant-model')).map((r) => [Number(r.doc_id), r.model, r.dims]),
        docs.map((id) => [id, 'new-model', 64]),
      );
      assert.ok(!(await tenantsToEmbed(t.database.db, 'new-model')).includes('tenant-model'));
    });

    // Last in this suite: it writes document ids far ahead of the others.
    test('a job for new documents looks only a little behind the last one; the start-up check finds the rest', async () => {
      const doc = async (id: number, body: string) => {
        await t.database.db
          .insertInto('search_docs')
          .values({ id, tenant_id: 'tenant-late', subject_id: 'hal', scope: 's', kind: 'event', ref_id: `late-${id}`, envelope_id: null, session_id: `late-${id}`, speaker: null, occurred_at: id, body })
          .execute();
      };
      const far = 50_000_000;
      await doc(far, 'the newest turn');
      await enqueueEmbedding(queue, t.database.db, 'tenant-late', 'm1', clock.now());
      assert.deepEqual(await runJobs('tenant-late', embedderFor('m1')), [{ model: 'm1', scope: 'new', embedded: 1, refused: 0, reached: far }]);

      // Committed late, behind the newest: a little behind is picked up by the next job, far behind is not.
      await doc(far - 10, 'a little behind');
      await doc(far - 5000, 'far behind');
      await enqueueEmbedding(queue, t.database.db, 'tenant-late', 'm1', clock.now());
      assert.deepEqual(await runJobs('tenant-late', embedderFor('m1')), [{ model: 'm1', scope: 'new', embedded: 1, refused: 0, reached: far }]);
      assert.deepEqual(stub.requests.map((r) => (r.body as { input: string[] }).input), [['the newest turn'], ['a little behind']]);

      assert.ok((await queueEmbeddingBackfill({ database: t.database, queue, clock }, 'm1')).includes('tenant-late'));
      assert.deepEqual(await runJobs('tenant-late', embedderFor('m1')), [{ model: 'm1', scope: 'all', embedded: 1, refused: 0, reached: far, removedOtherModels: 0 }]);
      assert.equal((await vectorRows('tenant-late')).length, 3);
    });
  });

  describe(`embeddings wired into the app (${engine})`, { skip }, () => {
    let t: TestDatabase;
    let app: App;
    const clock = new ManualClock();

    before(async () => {
      stub = await StubServer.start();
      stub.respond((req) => embeddingsReply(req));
      t = await createTestDatabase(engine);
      app = await createTestApp(t, { clock, env: { ENGRAM_EMBEDDINGS: 'openai', ENGRAM_EMBEDDINGS_BASE_URL: stub.url, ENGRAM_EMBEDDINGS_MODEL: 'app-model' } });
    });
    after(async () => {
      await app?.http.close();
      await stub?.close();
      await t?.cleanup();
    });

    test('without ENGRAM_EMBEDDINGS there is no embedder, no vector search and no embedding job', async () => {
      const plain = await createTestApp(t);
      assert.equal(plain.core.embedder, null);
      assert.equal(plain.core.vectors, null);
      assert.equal(plain.core.jobHandlers[embedJob], undefined);
      await plain.http.close();
    });

    test('an ingested turn is queued for embedding, embedded by the job, and found by vector search', async () => {
      const { core } = app;
      assert.equal(core.embedder?.model, 'app-model');
      assert.equal(core.vectors?.model, 'app-model');
      const tenantId = (await core.tenants.create('vectors')).id;
      const subjectId = (await core.subjects.onboard(tenantId, { externalId: 'gina' })).subject.id;
      const turns = ['I adopted a grey cat called Miso', 'The weather in Porto was rainy', 'My brother plays the cello'];
      for (const [i, text] of turns.entries()) {
        await core.events.ingest(tenantId, { envelopeId: `turn-${i}`, subjectId, inputType: 'message', data: { text, speaker: 'Gina' }, occurredAt: clock.now(), source: 'external' });
      }
      // The scheduler queues the tenant's job once, when its window has passed.
      const [job] = await waitFor('the embedding job', async () => {
        const jobs = await t.database.db.selectFrom('jobs').select('id').where('tenant_id', '=', tenantId).where('kind', '=', embedJob).execute();
        return jobs.length ? jobs : undefined;
      });
      assert.ok(job);
      clock.advance(10 * embedWindowMs);
      const [claimed] = await core.queue.claim({ workerId: 'test', kinds: [embedJob], limit: 1, leaseMs: 60_000 });
      const result = (await core.jobHandlers[embedJob]!(claimed!, { signal: new AbortController().signal })) as { embedded: number };
      assert.ok(result.embedded >= 3);

      const hits = await core.vectors!.nearest(tenantId, subjectId, 'who plays the cello', 3);
      const top = await t.database.db.selectFrom('search_docs').select('body').where('id', '=', hits[0]!.docId).executeTakeFirstOrThrow();
      assert.equal(top.body, 'My brother plays the cello');
      // The search query is one attempt: a failing server costs one request, not the retries.
      stub.replies({ status: 500, body: {} });
      await assert.rejects(core.vectors!.nearest(tenantId, subjectId, 'cello', 3), /Embeddings failed: HTTP 500/);
      assert.equal(stub.requests.length, 1);
    });
  });
}
