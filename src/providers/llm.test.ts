// The LLM client against stub servers speaking the Anthropic and OpenAI wire protocols: requests, answers, retries, errors.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../platform/config.js';
import { AppError } from '../platform/errors.js';
import { createLogger } from '../platform/log.js';
import { StubServer } from '../testing/stub-http.js';
import { type LlmClient, type LlmClientOptions, createLlmClient, requireLlm } from './llm.js';

const KEY = 'sk-test-4f9c2a7e1d';

let stub: StubServer;
before(async () => {
  stub = await StubServer.start();
});
after(() => stub.close());

/** The client as the app builds it, from environment variables; waits are recorded, not slept. */
function client(env: Record<string, string>, options: LlmClientOptions = {}): { llm: LlmClient; waits: number[] } {
  const waits: number[] = [];
  const config = loadConfig({ ENGRAM_LLM_BASE_URL: stub.url, ENGRAM_LLM_API_KEY: KEY, ...env }).llm;
  const llm = createLlmClient(config, {
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...options,
  });
  assert.ok(llm);
  return { llm, waits };
}

const anthropic = (env: Record<string, string> = {}, options?: LlmClientOptions) =>
  client({ ENGRAM_LLM_PROVIDER: 'anthropic', ENGRAM_LLM_MODEL: 'claude-test', ...env }, options);
const openai = (env: Record<string, string> = {}, options?: LlmClientOptions) =>
  client({ ENGRAM_LLM_PROVIDER: 'openai', ENGRAM_LLM_MODEL: 'gpt-test', ...env }, options);

const anthropicAnswer = (text: string) => ({
  status: 200,
  body: {
    id: 'msg_01',
    type: 'message',
    role: 'assistant',
    model: 'claude-test-20250101',
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    usage: { input_tokens: 12, output_tokens: 5 },
  },
});

const request = { system: 'You are terse.', messages: [{ role: 'user' as const, content: 'Say hi' }], maxTokens: 64 };

async function rejects(promise: Promise<unknown>, code: string, status: number, reason?: RegExp): Promise<AppError> {
  const err = await promise.then(
    () => assert.fail('expected the call to fail'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
  assert.equal(err.code, code);
  assert.equal(err.status, status);
  if (reason) assert.match(String(err.details.reason), reason);
  return err;
}

describe('Anthropic Messages API', () => {
  test('sends the key, the version and the request; reads text, model and usage', async () => {
    stub.respond(() => ({
      status: 200,
      body: { ...anthropicAnswer('').body, content: [{ type: 'text', text: 'Hi' }, { type: 'text', text: ' there' }] },
    }));
    const { llm } = anthropic();
    const out = await llm.complete({ ...request, temperature: 0.2 });

    assert.equal(stub.requests.length, 1);
    const [req] = stub.requests;
    assert.equal(req!.method, 'POST');
    assert.equal(req!.path, '/v1/messages');
    assert.equal(req!.headers['x-api-key'], KEY);
    assert.equal(req!.headers['anthropic-version'], '2023-06-01');
    assert.equal(req!.headers['content-type'], 'application/json');
    assert.equal(req!.headers.authorization, undefined);
    assert.deepEqual(req!.body, {
      model: 'claude-test',
      max_tokens: 64,
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'Say hi' }],
      temperature: 0.2,
    });
    assert.equal(out.text, 'Hi there');
    assert.equal(out.model, 'claude-test-20250101');
    assert.deepEqual(out.usage, { inputTokens: 12, outputTokens: 5 });
    assert.ok(out.latencyMs >= 0);
    assert.equal(llm.provider, 'anthropic');
    assert.equal(llm.model, 'claude-test');
  });

  test('json asks for a JSON object in the system prompt', async () => {
    stub.replies(anthropicAnswer('{}'));
    await anthropic().llm.complete({ ...request, json: true });
    const body = stub.requests[0]!.body as { system: string };
    assert.match(body.system, /^You are terse\.\n\n.*JSON object/);
  });
});

describe('OpenAI-compatible chat completions', () => {
  test('sends the bearer key, the system message first and json_object; reads the first choice and usage', async () => {
    stub.replies({
      status: 200,
      body: {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        model: 'gpt-test-0613',
        choices: [{ index: 0, message: { role: 'assistant', content: '{"ok":true}' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 20, completion_tokens: 4, total_tokens: 24 },
      },
    });
    const { llm } = openai();
    const out = await llm.complete({ ...request, json: true });

    const [req] = stub.requests;
    assert.equal(req!.path, '/v1/chat/completions');
    assert.equal(req!.headers.authorization, `Bearer ${KEY}`);
    assert.equal(req!.headers['x-api-key'], undefined);
    const body = req!.body as { model: string; messages: { role: string; content: string }[]; max_tokens: number; response_format: unknown };
    assert.equal(body.model, 'gpt-test');
    assert.equal(body.max_tokens, 64);
    assert.deepEqual(body.response_format, { type: 'json_object' });
    assert.deepEqual(
      body.messages.map((m) => m.role),
      ['system', 'user'],
    );
    assert.match(body.messages[0]!.content, /^You are terse\.[\s\S]*JSON/);
    assert.deepEqual(body.messages[1], { role: 'user', content: 'Say hi' });
    assert.deepEqual(out, { text: '{"ok":true}', model: 'gpt-test-0613', usage: { inputTokens: 20, outputTokens: 4 }, latencyMs: out.latencyMs });
  });

  test('without json there is no response_format; without a key there is no Authorization header', async () => {
    stub.replies({ status: 200, body: { choices: [{ message: { role: 'assistant', content: 'hi' } }] } });
    const llm = createLlmClient(loadConfig({ ENGRAM_LLM_PROVIDER: 'openai', ENGRAM_LLM_BASE_URL: `${stub.url}/` }).llm);
    const out = await llm!.complete(request);
    const [req] = stub.requests;
    assert.equal(req!.path, '/v1/chat/completions', 'a trailing slash on the base URL is dropped');
    assert.equal(req!.headers.authorization, undefined);
    assert.equal((req!.body as Record<string, unknown>).response_format, undefined);
    assert.equal((req!.body as Record<string, unknown>).model, 'gpt-4o-mini', 'the default model');
    assert.deepEqual(out.usage, { inputTokens: 0, outputTokens: 0 }, 'servers that omit usage report zero');
  });
});

describe('retries and errors', () => {
  test('429 with Retry-After: waits that long, then succeeds', async () => {
    stub.replies({ status: 429, headers: { 'retry-after': '3' }, body: { error: { type: 'rate_limit_error', message: 'slow down' } } }, anthropicAnswer('ok'));
    const { llm, waits } = anthropic();
    const out = await llm.complete(request);
    assert.equal(out.text, 'ok');
    assert.equal(stub.requests.length, 2);
    assert.deepEqual(waits, [3000]);
  });

  test('429 with an HTTP-date Retry-After waits until then', async () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    stub.replies({ status: 429, headers: { 'retry-after': new Date(now + 7000).toUTCString() } }, anthropicAnswer('ok'));
    const { llm, waits } = anthropic({}, { clock: { now: () => now } });
    await llm.complete(request);
    assert.deepEqual(waits, [7000]);
  });

  test('429 until the retries run out: upstream_rate_limited (429) with the retry time', async () => {
    stub.replies({ status: 429, headers: { 'retry-after': '2' }, body: { error: { message: 'rate limited' } } });
    const { llm, waits } = anthropic({ ENGRAM_LLM_MAX_RETRIES: '2' });
    const err = await rejects(llm.complete(request), 'upstream_rate_limited', 429);
    assert.equal(stub.requests.length, 3, 'one call and two retries');
    assert.deepEqual(waits, [2000, 2000]);
    assert.equal(err.details.retryAfterSeconds, 2);
  });

  test('429 asking for a wait longer than a minute is not waited out', async () => {
    stub.replies({ status: 429, headers: { 'retry-after': '3600' } });
    const { llm, waits } = openai();
    const err = await rejects(llm.complete(request), 'upstream_rate_limited', 429);
    assert.equal(stub.requests.length, 1);
    assert.deepEqual(waits, []);
    assert.equal(err.details.retryAfterSeconds, 3600);
  });

  test('500: retried with growing backoff, then upstream_failed (502) with the reason', async () => {
    stub.replies({ status: 500, body: { type: 'error', error: { type: 'api_error', message: 'Internal server error' } } });
    const { llm, waits } = anthropic({ ENGRAM_LLM_MAX_RETRIES: '2' });
    await rejects(llm.complete(request), 'upstream_failed', 502, /^HTTP 500: Internal server error$/);
    assert.equal(stub.requests.length, 3);
    assert.deepEqual(waits, [500, 1000]);
  });

  test('a 5xx followed by an answer succeeds', async () => {
    stub.replies({ status: 529, body: { error: { type: 'overloaded_error', message: 'Overloaded' } } }, anthropicAnswer('fine'));
    const { llm } = anthropic();
    assert.equal((await llm.complete(request)).text, 'fine');
    assert.equal(stub.requests.length, 2);
  });

  test('a provider that never answers: each attempt times out, then upstream_failed', { timeout: 10_000 }, async () => {
    stub.replies('hang');
    const { llm, waits } = openai({ ENGRAM_LLM_TIMEOUT_MS: '100', ENGRAM_LLM_MAX_RETRIES: '1' });
    const started = Date.now();
    await rejects(llm.complete(request), 'upstream_failed', 502, /^no answer within 100 ms$/);
    assert.equal(stub.requests.length, 2);
    assert.deepEqual(waits, [500]);
    assert.ok(Date.now() - started < 5000);
  });

  test('nothing listening: network error, retried, then upstream_failed', async () => {
    const gone = await StubServer.start();
    await gone.close();
    const { llm, waits } = client({ ENGRAM_LLM_PROVIDER: 'anthropic', ENGRAM_LLM_BASE_URL: gone.url, ENGRAM_LLM_MAX_RETRIES: '1' });
    await rejects(llm.complete(request), 'upstream_failed', 502, /^network error \(ECONNREFUSED\)$/);
    assert.deepEqual(waits, [500]);
  });

  test('401: 503 "invalid key", not retried, and the upstream message (which may echo the key) is not passed on', async () => {
    stub.replies({ status: 401, body: { error: { message: `Incorrect API key provided: ${KEY}`, type: 'invalid_request_error' } } });
    const { llm, waits } = openai();
    const err = await rejects(llm.complete(request), 'provider_not_configured', 503, /^invalid key$/);
    assert.equal(err.message, 'The LLM is not usable: invalid key');
    assert.ok(!JSON.stringify({ m: err.message, d: err.details }).includes(KEY));
    assert.equal(stub.requests.length, 1);
    assert.deepEqual(waits, []);
  });

  test('403 is an unusable key too', async () => {
    stub.replies({ status: 403, body: { type: 'error', error: { type: 'permission_error', message: 'no access' } } });
    await rejects(anthropic().llm.complete(request), 'provider_not_configured', 503, /^invalid key$/);
  });

  test('other 4xx: upstream_failed at once, with the upstream message and the key scrubbed from it', async () => {
    stub.replies({ status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: `max_tokens: too large for ${KEY}` } } });
    const { llm, waits } = anthropic();
    const err = await rejects(llm.complete(request), 'upstream_failed', 502, /^HTTP 400: max_tokens: too large for \*\*\*$/);
    assert.equal(stub.requests.length, 1);
    assert.deepEqual(waits, []);
    assert.equal(err.details.status, 400);
  });

  test('a 200 that is not the protocol: upstream_failed, not retried', async () => {
    stub.replies({ status: 200, body: '<html>captive portal</html>' });
    await rejects(anthropic().llm.complete(request), 'upstream_failed', 502, /^unexpected response shape$/);
    assert.equal(stub.requests.length, 1);
  });

  test('retries are logged without the key', async () => {
    let logged = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged += String(chunk);
        done();
      },
    });
    stub.replies({ status: 503, body: { error: { message: 'unavailable' } } }, anthropicAnswer('ok'));
    const { llm } = anthropic({}, { logger: createLogger('debug', sink) });
    await llm.complete(request);
    assert.match(logged, /LLM call failed; retrying/);
    assert.match(logged, /HTTP 503/);
    assert.ok(!logged.includes(KEY));
  });
});

describe('configuration', () => {
  test('unset ENGRAM_LLM_PROVIDER: no client, and requireLlm answers provider_not_configured (503)', async () => {
    const config = loadConfig({ ENGRAM_LLM_API_KEY: KEY });
    assert.equal(config.llm, undefined);
    assert.equal(createLlmClient(config.llm), undefined);
    await rejects(
      Promise.resolve().then(() => requireLlm(undefined)),
      'provider_not_configured',
      503,
    );
    assert.equal(new AppError('provider_not_configured', { provider: 'LLM' }).message, 'No LLM is configured');
  });

  test('defaults per provider', () => {
    assert.deepEqual(loadConfig({ ENGRAM_LLM_PROVIDER: 'anthropic', ENGRAM_LLM_API_KEY: KEY }).llm, {
      provider: 'anthropic',
      baseUrl: 'https://api.anthropic.com',
      apiKey: KEY,
      model: 'claude-haiku-4-5',
      timeoutMs: 30_000,
      maxRetries: 2,
    });
    const o = loadConfig({ ENGRAM_LLM_PROVIDER: 'openai' }).llm;
    assert.equal(o?.baseUrl, 'https://api.openai.com');
    assert.equal(o?.apiKey, undefined);
  });

  test('Anthropic without a key, an unknown provider or a bad URL stop the start with one line', () => {
    assert.throws(() => loadConfig({ ENGRAM_LLM_PROVIDER: 'anthropic' }), (e: unknown) => e instanceof ConfigError && /ENGRAM_LLM_API_KEY is required/.test(e.message));
    assert.throws(() => loadConfig({ ENGRAM_LLM_PROVIDER: 'gemini' }), (e: unknown) => e instanceof ConfigError && /ENGRAM_LLM_PROVIDER="gemini"/.test(e.message));
    assert.throws(() => loadConfig({ ENGRAM_LLM_PROVIDER: 'openai', ENGRAM_LLM_BASE_URL: 'api.openai.com' }), ConfigError);
    assert.throws(() => loadConfig({ ENGRAM_LLM_PROVIDER: 'openai', ENGRAM_LLM_TIMEOUT_MS: '0' }), /ENGRAM_LLM_TIMEOUT_MS/);
  });
});
