// The embeddings client against a stub server speaking the OpenAI `/v1/embeddings` protocol: requests,
// batching, retries, timeouts, and errors that say what failed without the key.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../platform/config.js';
import { AppError } from '../platform/errors.js';
import { embeddingsReply, hashEmbedding } from '../testing/embeddings.js';
import { StubServer } from '../testing/stub-http.js';
import { type Embedder, createEmbedder } from './embeddings.js';

const KEY = 'sk-embed-test-7c1e9b';

let stub: StubServer;
before(async () => {
  stub = await StubServer.start();
});
after(() => stub.close());

/** The embedder as the app builds it, from environment variables; waits are recorded, not slept. */
function embedder(env: Record<string, string> = {}): { embedder: Embedder; waits: number[] } {
  const waits: number[] = [];
  const config = loadConfig({ ENGRAM_EMBEDDINGS: 'openai', ENGRAM_EMBEDDINGS_BASE_URL: `${stub.url}/`, ENGRAM_EMBEDDINGS_MODEL: 'embed-test', ...env }).embeddings;
  const e = createEmbedder(config, {
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  assert.ok(e);
  return { embedder: e, waits };
}

async function failure(promise: Promise<unknown>, code: string): Promise<AppError> {
  const err = await promise.then(
    () => assert.fail('expected the call to fail'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
  assert.equal(err.code, code);
  assert.ok(!JSON.stringify({ message: err.message, details: err.details }).includes(KEY), 'the key never appears in an error');
  return err;
}

describe('configuration', () => {
  test('none is the default: no embedder', () => {
    assert.equal(loadConfig({}).embeddings, undefined);
    assert.equal(createEmbedder(loadConfig({}).embeddings), null);
  });

  test('openai reads base URL, model, key, batch and timeouts; the key is hidden in errors', () => {
    const c = loadConfig({
      ENGRAM_EMBEDDINGS: 'openai',
      ENGRAM_EMBEDDINGS_BASE_URL: 'http://127.0.0.1:8080/',
      ENGRAM_EMBEDDINGS_MODEL: 'bge-small',
      ENGRAM_EMBEDDINGS_API_KEY: KEY,
      ENGRAM_EMBEDDINGS_BATCH: '16',
    }).embeddings;
    assert.deepEqual(c, {
      provider: 'openai',
      baseUrl: 'http://127.0.0.1:8080',
      apiKey: KEY,
      model: 'bge-small',
      batchSize: 16,
      timeoutMs: 30_000,
      queryTimeoutMs: 2000,
      maxRetries: 2,
      cacheBytes: 64 * 1024 * 1024,
    });
    assert.equal(loadConfig({ ENGRAM_EMBEDDINGS: 'openai' }).embeddings?.model, 'text-embedding-3-small');
    assert.throws(() => loadConfig({ ENGRAM_EMBEDDINGS: 'cohere' }), /ENGRAM_EMBEDDINGS="cohere" — expected one of none, openai/);
    assert.throws(() => loadConfig({ ENGRAM_EMBEDDINGS_BATCH: '0' }), /ENGRAM_EMBEDDINGS_BATCH="0"/);
  });
});

describe('OpenAI-compatible /v1/embeddings', () => {
  test('posts {model, input} with the bearer key; vectors come back in input order', async () => {
    stub.respond((req) => embeddingsReply(req));
    const { embedder: e } = embedder({ ENGRAM_EMBEDDINGS_API_KEY: KEY });
    const out = await e.embed(['I drink coffee', 'tea at five']);

    assert.equal(e.model, 'embed-test');
    assert.equal(stub.requests.length, 1);
    const [req] = stub.requests;
    assert.equal(req!.method, 'POST');
    assert.equal(req!.path, '/v1/embeddings');
    assert.equal(req!.headers.authorization, `Bearer ${KEY}`);
    assert.equal(req!.headers['content-type'], 'application/json');
    assert.deepEqual(req!.body, { model: 'embed-test', input: ['I drink coffee', 'tea at five'] });
    assert.deepEqual(out.map((v) => [...v]), [hashEmbedding('I drink coffee'), hashEmbedding('tea at five')]);
    assert.ok(out[0] instanceof Float32Array);
  });

  test('no key: no authorization header (local servers)', async () => {
    stub.respond((req) => embeddingsReply(req));
    await embedder().embedder.embed(['hello']);
    assert.equal(stub.requests[0]!.headers.authorization, undefined);
  });

  test('batches by ENGRAM_EMBEDDINGS_BATCH and keeps the order across batches', async () => {
    stub.respond((req) => embeddingsReply(req));
    const texts = ['one', 'two', 'three', 'four', 'five'];
    const out = await embedder({ ENGRAM_EMBEDDINGS_BATCH: '2' }).embedder.embed(texts);
    assert.deepEqual(
      stub.requests.map((r) => (r.body as { input: string[] }).input),
      [['one', 'two'], ['three', 'four'], ['five']],
    );
    assert.deepEqual(out.map((v) => [...v]), texts.map((t) => hashEmbedding(t)));
  });

  test('nothing to embed: no request', async () => {
    stub.respond((req) => embeddingsReply(req));
    assert.deepEqual(await embedder().embedder.embed([]), []);
    assert.equal(stub.requests.length, 0);
  });

  test('429 then success: waits Retry-After and retries', async () => {
    let calls = 0;
    stub.respond((req) => (++calls === 1 ? { status: 429, headers: { 'retry-after': '2' }, body: { error: { message: 'slow down' } } } : embeddingsReply(req)));
    const { embedder: e, waits } = embedder();
    const out = await e.embed(['retry me']);
    assert.equal(stub.requests.length, 2);
    assert.deepEqual(waits, [2000]);
    assert.deepEqual([...out[0]!], hashEmbedding('retry me'));
  });

  test('500 until retries run out: upstream_failed naming the status and the URL, without the key', async () => {
    stub.replies({ status: 500, body: { error: { message: `model crashed (key ${KEY})` } } });
    const { embedder: e, waits } = embedder({ ENGRAM_EMBEDDINGS_API_KEY: KEY, ENGRAM_EMBEDDINGS_MAX_RETRIES: '2' });
    const err = await failure(e.embed(['x']), 'upstream_failed');
    assert.equal(stub.requests.length, 3);
    assert.deepEqual(waits, [500, 1000]);
    assert.equal(err.status, 502);
    assert.equal(err.details.status, 500);
    assert.equal(err.details.url, `${stub.url}/v1/embeddings`);
    assert.match(err.message, new RegExp(`^Embeddings failed: HTTP 500 from ${stub.url}/v1/embeddings: model crashed \\(key \\*\\*\\*\\)$`));
  });

  test('credentials in the base URL are sent as Basic auth and never appear in errors', async () => {
    stub.replies({ status: 503, body: {} });
    const base = stub.url.replace('http://', 'http://user:hunter2@');
    const err = await failure(embedder({ ENGRAM_EMBEDDINGS_BASE_URL: base, ENGRAM_EMBEDDINGS_MAX_RETRIES: '0' }).embedder.embed(['x']), 'upstream_failed');
    assert.equal(stub.requests[0]!.headers.authorization, `Basic ${Buffer.from('user:hunter2').toString('base64')}`);
    assert.ok(!err.message.includes('hunter2'));
    assert.equal(err.details.url, `${stub.url}/v1/embeddings`);
  });

  test('a 400 is not retried', async () => {
    stub.replies({ status: 400, body: { error: { message: 'input is too long' } } });
    const err = await failure(embedder().embedder.embed(['x']), 'upstream_failed');
    assert.equal(stub.requests.length, 1);
    assert.match(err.message, /HTTP 400 .*input is too long/);
  });

  test('401: provider_not_configured, not retried, the upstream message withheld', async () => {
    stub.replies({ status: 401, body: { error: { message: `Incorrect API key provided: ${KEY}` } } });
    const err = await failure(embedder({ ENGRAM_EMBEDDINGS_API_KEY: KEY }).embedder.embed(['x']), 'provider_not_configured');
    assert.equal(stub.requests.length, 1);
    assert.match(err.message, /Embeddings is not usable: invalid key \(HTTP 401 from http/);
  });

  test('no answer within the timeout: upstream_failed saying so, after the retries', async () => {
    stub.replies('hang');
    const { embedder: e } = embedder({ ENGRAM_EMBEDDINGS_TIMEOUT_MS: '100', ENGRAM_EMBEDDINGS_MAX_RETRIES: '1' });
    const started = performance.now();
    const err = await failure(e.embed(['x']), 'upstream_failed');
    assert.equal(stub.requests.length, 2);
    assert.match(err.message, /no answer from http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings within 100 ms/);
    assert.ok(performance.now() - started < 5000);
  });

  test('a per-call timeout and retry count override the configured ones (the search query path)', async () => {
    stub.replies('hang');
    const err = await failure(embedder().embedder.embed(['x'], { timeoutMs: 50, maxRetries: 0 }), 'upstream_failed');
    assert.equal(stub.requests.length, 1);
    assert.match(err.message, /within 50 ms/);
  });

  test('nothing listening: a network error naming the URL', async () => {
    const closed = await StubServer.start();
    const url = closed.url;
    await closed.close();
    const err = await failure(embedder({ ENGRAM_EMBEDDINGS_BASE_URL: url, ENGRAM_EMBEDDINGS_MAX_RETRIES: '0' }).embedder.embed(['x']), 'upstream_failed');
    assert.match(err.message, new RegExp(`network error reaching ${url}/v1/embeddings \\(ECONNREFUSED\\)`));
  });

  test('an answer without one vector per input is refused, not guessed at', async () => {
    stub.replies({ status: 200, body: { data: [{ index: 0, embedding: [1, 0] }] } });
    const err = await failure(embedder().embedder.embed(['a', 'b']), 'upstream_failed');
    assert.match(err.message, /unexpected response from .*: 1 embeddings for 2 inputs/);
    stub.replies({ status: 200, body: { data: [{ index: 0, embedding: [1, 0] }, { index: 1, embedding: [1] }] } });
    await failure(embedder().embedder.embed(['a', 'b']), 'upstream_failed');
    stub.replies({ status: 200, body: '<html>proxy error</html>' });
    await failure(embedder().embedder.embed(['a']), 'upstream_failed');
  });

  test('an aborted signal stops before the next request', async () => {
    stub.respond((req) => embeddingsReply(req));
    const abort = new AbortController();
    abort.abort(new Error('lease lost'));
    await assert.rejects(embedder().embedder.embed(['a'], { signal: abort.signal }), /lease lost/);
    assert.equal(stub.requests.length, 0);
  });
});
