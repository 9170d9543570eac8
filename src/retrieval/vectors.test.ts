// Vector storage and nearest-neighbour search on both engines, with the embedder a stub server:
// vectors round-trip, the right document ranks first, and one subject never sees another's vectors.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../platform/config.js';
import { AppError } from '../platform/errors.js';
import { type Embedder, createEmbedder } from '../providers/embeddings.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../testing/db.js';
import { embeddingsReply, hashEmbedding, insertDocs } from '../testing/embeddings.js';
import { StubServer } from '../testing/stub-http.js';
import { indexDocs } from './store.js';
import { createVectorSearch, decodeVector, docsLackingVector, encodeVector, subjectVectors, topByCosine, writeVectors } from './vectors.js';

let stub: StubServer;

const embedderFor = (model: string): Embedder =>
  createEmbedder(loadConfig({ ENGRAM_EMBEDDINGS: 'openai', ENGRAM_EMBEDDINGS_BASE_URL: stub.url, ENGRAM_EMBEDDINGS_MODEL: model }).embeddings)!;

const f32 = (values: number[]) => Float32Array.from(values);

test('a stored vector is the unit-length float32 little-endian of the original', () => {
  const bytes = encodeVector(f32([3, 4]));
  assert.equal(bytes.byteLength, 8);
  assert.equal(bytes.readFloatLE(0), Math.fround(0.6));
  assert.deepEqual([...decodeVector(bytes)], [Math.fround(0.6), Math.fround(0.8)]);
  assert.deepEqual([...decodeVector(encodeVector(f32([0, 0])))], [0, 0]);
});

test('topByCosine keeps the k best, best first', () => {
  const rows = [f32([1, 0]), f32([0, 1]), f32([0.8, 0.6]), f32([-1, 0])];
  const matrix = new Float32Array(rows.flatMap((r) => [...r]));
  const hits = topByCosine({ docIds: [10, 20, 30, 40], dims: 2, matrix }, f32([1, 0]), 2);
  assert.deepEqual(hits.map((h) => h.docId), [10, 30]);
  assert.ok(hits[0]!.score > hits[1]!.score);
  assert.deepEqual(topByCosine({ docIds: [10, 20, 30, 40], dims: 2, matrix }, f32([1, 0]), 10).map((h) => h.docId), [10, 30, 20, 40]);
});

for (const { engine, skip } of await testEngines()) {
  describe(`vectors (${engine})`, { skip }, () => {
    let t: TestDatabase;
    before(async () => {
      stub = await StubServer.start();
      t = await createTestDatabase(engine);
    });
    after(async () => {
      await stub?.close();
      await t?.cleanup();
    });

    /** Embeds the documents through the stub, as the job does, and writes them. */
    async function embedDocs(tenantId: string, subjectId: string, bodies: string[], embedder: Embedder): Promise<number[]> {
      const ids = await insertDocs(t.database.db, tenantId, subjectId, bodies);
      const vectors = await embedder.embed(bodies);
      await writeVectors(t.database.db, tenantId, embedder.model, ids.map((docId, i) => ({ docId, subjectId, vector: vectors[i]! })), 1000);
      return ids;
    }

    test('vectors round-trip with their model and dimension; a second write of the same doc and model keeps the first', async () => {
      stub.respond((req) => embeddingsReply(req));
      const embedder = embedderFor('m-roundtrip');
      const [id] = await embedDocs('tenant-r', 'subject-r', ['round trip text'], embedder);
      const again = await writeVectors(t.database.db, 'tenant-r', 'm-roundtrip', [{ docId: id!, subjectId: 'subject-r', vector: f32(new Array(128).fill(1)) }], 2000);
      assert.equal(again, 0);
      const row = await t.database.db.selectFrom('search_vectors').selectAll().where('doc_id', '=', id!).executeTakeFirstOrThrow();
      assert.equal(row.model, 'm-roundtrip');
      assert.equal(row.dims, 128);
      assert.equal(Number(row.created_at), 1000);
      const stored = await subjectVectors(t.database.db, 'tenant-r', 'subject-r', 'm-roundtrip');
      assert.deepEqual(stored.docIds, [id]);
      const expected = hashEmbedding('round trip text');
      const norm = Math.hypot(...expected);
      assert.deepEqual([...stored.matrix], expected.map((x) => Math.fround(x / norm)));
    });

    // SQLite scores in SQL with sqlite-vec (its build for this platform comes with npm ci); both engines
    // can take the portable scan.
    const scans = engine === 'sqlite' ? (['sqlite-vec', 'portable'] as const) : (['portable'] as const);

    test(`the database opens with the ${scans[0]} scan`, () => {
      assert.equal(t.database.vectorScan, scans[0]);
    });

    for (const scan of scans) {
      test(`nearest (${scan}) ranks the document that shares the query words first, and only within the subject, tenant and model`, async () => {
        stub.respond((req) => embeddingsReply(req));
        const embedder = embedderFor('m-near');
        const tenant = `tenant-a-${scan}`;
        const ids = await embedDocs(tenant, 'alice', ['we adopted a dog named pixel', 'my sister moved to berlin', 'coffee every morning at seven'], embedder);
        // The same words elsewhere: another subject of the tenant, another tenant, another model.
        await embedDocs(tenant, 'bob', ['my sister moved to berlin last year'], embedder);
        await embedDocs(`tenant-b-${scan}`, 'alice', ['my sister moved to berlin'], embedder);
        await embedDocs(tenant, 'alice', ['sister berlin sister berlin'], embedderFor('m-other'));

        const search = createVectorSearch(t.database, embedder, { scan });
        assert.equal(search.model, 'm-near');
        const hits = await search.nearest(tenant, 'alice', 'where did her sister move? berlin', 10);
        assert.deepEqual(hits.map((h) => h.docId).sort((a, b) => a - b), [...ids].sort((a, b) => a - b));
        assert.equal(hits[0]!.docId, ids[1]);
        assert.ok(hits[0]!.score > 0.3 && hits[0]!.score <= 1.0001);
        assert.ok(hits[0]!.score > hits[1]!.score && hits[1]!.score >= hits[2]!.score);

        const query = stub.requests.at(-1)!.body as { model: string; input: string[] };
        assert.deepEqual(query, { model: 'm-near', input: ['where did her sister move? berlin'] });
        assert.deepEqual((await search.nearest(tenant, 'alice', 'dog', 1)).map((h) => h.docId), [ids[0]]);
        assert.deepEqual(await search.nearest(tenant, 'nobody', 'dog', 5), []);
        assert.deepEqual(await search.nearest('tenant-c', 'alice', 'dog', 5), []);
      });

      test(`nearest (${scan}) scores the same as the cosine computed here`, async () => {
        stub.respond((req) => embeddingsReply(req));
        const embedder = embedderFor('m-score');
        const bodies = ['tea with lemon', 'a long walk by the river', 'lemon cake recipe'];
        const ids = await embedDocs(`tenant-s-${scan}`, 'alice', bodies, embedder);
        const hits = await createVectorSearch(t.database, embedder, { scan }).nearest(`tenant-s-${scan}`, 'alice', 'lemon', 3);
        const unit = (v: number[]) => v.map((x) => x / Math.hypot(...v));
        const q = unit(hashEmbedding('lemon'));
        const expected = bodies.map((b, i) => ({ docId: ids[i]!, score: unit(hashEmbedding(b)).reduce((sum, x, j) => sum + x * q[j]!, 0) }));
        expected.sort((a, b) => b.score - a.score);
        assert.deepEqual(hits.map((h) => h.docId), expected.map((e) => e.docId));
        hits.forEach((h, i) => assert.ok(Math.abs(h.score - expected[i]!.score) < 1e-5, `${h.score} vs ${expected[i]!.score}`));
      });

      test(`nearest (${scan}) refuses vectors of another size under the same model (search then answers lexically)`, async () => {
        stub.respond((req) => embeddingsReply(req));
        const [docId] = await insertDocs(t.database.db, `tenant-d-${scan}`, 'alice', ['resized model']);
        await writeVectors(t.database.db, `tenant-d-${scan}`, 'm-resized', [{ docId: docId!, subjectId: 'alice', vector: f32([1, 2, 3]) }], 1000);
        await assert.rejects(createVectorSearch(t.database, embedderFor('m-resized'), { scan }).nearest(`tenant-d-${scan}`, 'alice', 'resized', 5), /dimension/);
      });
    }

    test('nearest throws the embedder error (search answers lexically and says why)', async () => {
      stub.replies({ status: 503, body: { error: { message: 'loading model' } } });
      const search = createVectorSearch(t.database, embedderFor('m-near'), { query: { maxRetries: 0 } });
      await assert.rejects(search.nearest('tenant-a', 'alice', 'dog', 5), (err: unknown) => {
        assert.ok(err instanceof AppError);
        assert.match(err.message, /^Embeddings failed: HTTP 503 from http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings: loading model$/);
        return true;
      });
      assert.equal(stub.requests.length, 1);
    });

    test('the portable scan\'s cached subject follows what is written and erased', async () => {
      stub.respond((req) => embeddingsReply(req));
      const embedder = embedderFor('m-cache');
      for (const cacheBytes of [64 * 1024 * 1024, 0]) {
        const subject = `cached-${cacheBytes}`;
        const search = createVectorSearch(t.database, embedder, { cacheBytes, scan: 'portable' });
        const [first] = await embedDocs('tenant-c', subject, ['a quiet lake in the mountains'], embedder);
        assert.deepEqual((await search.nearest('tenant-c', subject, 'violin lessons', 5)).map((h) => h.docId), [first]);
        const [second] = await embedDocs('tenant-c', subject, ['she takes violin lessons on tuesdays'], embedder);
        assert.deepEqual((await search.nearest('tenant-c', subject, 'violin lessons', 5)).map((h) => h.docId), [second, first]);
        await t.database.db.deleteFrom('search_vectors').where('tenant_id', '=', 'tenant-c').where('subject_id', '=', subject).execute();
        assert.deepEqual(await search.nearest('tenant-c', subject, 'violin lessons', 5), []);
      }
    });

    for (const scan of scans) {
      test(`nearest (${scan}) embeds a question once per tenant, shares one in flight, and forgets a failure`, async () => {
        stub.respond((req) => embeddingsReply(req));
        const embedder = embedderFor('m-queries');
        await embedDocs(`tenant-q-${scan}`, 'alice', ['a red kite over the dunes'], embedder);
        await embedDocs(`tenant-q2-${scan}`, 'alice', ['a red kite over the dunes'], embedder);
        stub.replies({ status: 503, body: { error: { message: 'warming up' } } });
        const search = createVectorSearch(t.database, embedder, { scan, query: { maxRetries: 0 } });
        await assert.rejects(search.nearest(`tenant-q-${scan}`, 'alice', 'kite', 5), /warming up/);
        stub.respond((req) => embeddingsReply(req));
        const asked = () => stub.requests.map((r) => (r.body as { input: string[] }).input[0]);
        const [a, b] = await Promise.all([search.nearest(`tenant-q-${scan}`, 'alice', 'kite', 5), search.nearest(`tenant-q-${scan}`, 'alice', 'kite', 5)]);
        assert.deepEqual(a, b);
        assert.equal(a.length, 1);
        assert.deepEqual(await search.nearest(`tenant-q-${scan}`, 'alice', 'kite', 5), a);
        assert.deepEqual(asked(), ['kite']);
        await search.nearest(`tenant-q2-${scan}`, 'alice', 'kite', 5);
        await search.nearest(`tenant-q-${scan}`, 'alice', 'dunes', 5);
        assert.deepEqual(asked(), ['kite', 'kite', 'dunes']);
        const uncached = createVectorSearch(t.database, embedder, { scan, queryCache: 0 });
        await uncached.nearest(`tenant-q-${scan}`, 'alice', 'kite', 5);
        await uncached.nearest(`tenant-q-${scan}`, 'alice', 'kite', 5);
        assert.deepEqual(asked(), ['kite', 'kite', 'dunes', 'kite', 'kite']);
      });
    }

    test('a turn is embedded with the turn before it in its session (or, without sessions, its subject) when another speaker said it; a belief alone', async () => {
      const tenant = 'tenant-text';
      const turn = (refId: string, subjectId: string, sessionId: string | null, occurredAt: number, body: string, speaker: string | null = 'Ana') =>
        ({ kind: 'event' as const, refId, subjectId, envelopeId: refId, sessionId, speaker, occurredAt, body });
      await indexDocs(t.database.db, tenant, [
        turn('t-b', 'ana', 's1', 2000, 'Yes, the one by the beach!'),
        turn('t-a', 'ana', 's1', 1000, 'Did you go back to that campsite?', 'Bo'),
        turn('t-c', 'ana', 's1', 2000, 'We swam every morning.'),
        turn('t-c2', 'ana', 's1', 2500, 'And what did you eat?', 'Bo'),
        turn('t-c3', 'ana', 's1', 2600, 'Or drink?', null),
        turn('t-d', 'ana', 's2', 3000, 'New session, first turn.'),
        turn('t-e', 'bob', 's3', 1500, 'Another subject, its own session.'),
        turn('t-f', 'ana', null, 5000, 'No session here.', 'Bo'),
        turn('t-g', 'ana', null, 6000, 'Nor here.'),
        { kind: 'belief', refId: 'b-1', subjectId: 'ana', envelopeId: null, sessionId: 's1', speaker: null, occurredAt: 7000, body: 'Ana: likes swimming' },
      ]);
      await indexDocs(t.database.db, 'tenant-text-other', [turn('t-x', 'ana', 's1', 1500, 'Another tenant, same ids.')]);
      const texts = new Map((await docsLackingVector(t.database.db, tenant, 'm-text', 0, 100)).map((d) => [d.text.split('\n')[0], d.text]));
      assert.deepEqual(Object.fromEntries(texts), {
        'Yes, the one by the beach!': 'Yes, the one by the beach!\nDid you go back to that campsite?',
        'Did you go back to that campsite?': 'Did you go back to that campsite?',
        'We swam every morning.': 'We swam every morning.',
        'And what did you eat?': 'And what did you eat?\nWe swam every morning.',
        'Or drink?': 'Or drink?\nAnd what did you eat?',
        'New session, first turn.': 'New session, first turn.',
        'Another subject, its own session.': 'Another subject, its own session.',
        'No session here.': 'No session here.',
        'Nor here.': 'Nor here.\nNo session here.',
        'Ana: likes swimming': 'Ana: likes swimming',
      });
    });

    test('an empty query asks nothing', async () => {
      stub.respond((req) => embeddingsReply(req));
      assert.deepEqual(await createVectorSearch(t.database, embedderFor('m-near')).nearest('tenant-a', 'alice', '  ', 5), []);
      assert.equal(stub.requests.length, 0);
    });
  });
}
