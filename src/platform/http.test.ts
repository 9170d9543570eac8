// The shared HTTP plumbing: ids, and one core error rendered in each face's documented format.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { AppError } from './errors.js';
import { type HttpServer, createHttpServer } from './http.js';
import { createLogger } from './log.js';
import { Metrics } from './metrics.js';

const probePaths = {
  selfmodel: '/external/probe',
  publicV1: '/v1/probe',
  clone: '/api/probe/',
  platform: '/api/probe',
  ops: '/probe',
};

let app: HttpServer;

before(async () => {
  const metrics = new Metrics(async () => ({ queued: 0, running: 0, completed: 0, dead: 0 }));
  app = await createHttpServer({ config: { bodyLimitBytes: 1024 }, logger: createLogger('silent'), metrics, version: 'test' });
  for (const path of Object.values(probePaths)) {
    app.post(path, { schema: { body: z.object({ name: z.string().min(2), age: z.number().int().optional() }) } }, async (req) => ({
      hello: req.body.name,
    }));
    app.get(`${path.replace(/\/$/, '')}/missing${path.endsWith('/') ? '/' : ''}`, async () => {
      throw new AppError('not_found', { resource: 'Thing', id: 7 });
    });
    app.get(`${path.replace(/\/$/, '')}/boom${path.endsWith('/') ? '/' : ''}`, async () => {
      throw new Error('secret internal detail');
    });
    app.get(`${path.replace(/\/$/, '')}/limited${path.endsWith('/') ? '/' : ''}`, async () => {
      throw new AppError('rate_limited', { retryAfterSeconds: 12.2, resetsAt: '2026-01-01T00:01:00.000Z' });
    });
  }
  await app.ready();
});

after(() => app.close());

const post = (url: string, payload: string, contentType = 'application/json') =>
  app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });

describe('request and correlation ids', () => {
  test('a correlation id is generated when absent and echoed when given', async () => {
    const generated = await app.inject({ method: 'GET', url: '/healthz-nope' });
    assert.match(String(generated.headers['x-correlation-id']), /^[0-9a-f-]{36}$/);
    assert.match(String(generated.headers['x-request-id']), /^[0-9a-f-]{36}$/);

    const given = await app.inject({ method: 'GET', url: '/x', headers: { 'x-correlation-id': 'trace-42.a' } });
    assert.equal(given.headers['x-correlation-id'], 'trace-42.a');
  });

  test('an unsafe correlation id is replaced, not echoed', async () => {
    const res = await app.inject({ method: 'GET', url: '/x', headers: { 'x-correlation-id': 'bad id\r\nx' } });
    assert.notEqual(res.headers['x-correlation-id'], 'bad id\r\nx');
    assert.match(String(res.headers['x-correlation-id']), /^[0-9a-f-]{36}$/);
  });
});

describe('each face renders errors in its own format', () => {
  test('self-model face: {"error": {code, message, hint}}', async () => {
    const res = await post(probePaths.selfmodel, '{"name": 1}');
    assert.equal(res.statusCode, 400);
    const body = res.json();
    assert.equal(body.error.code, 'validation_failed');
    assert.match(body.error.message, /^body\.name: /);
    assert.equal(body.error.details[0].path, 'name');
    assert.ok(body.error.hint);
  });

  test('public v1 face: {error, message}, and resets_at on 429', async () => {
    const bad = await post(probePaths.publicV1, '{"name": "x"}');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error, 'validation_failed');
    assert.equal(typeof bad.json().message, 'string');

    const limited = await app.inject({ method: 'GET', url: '/v1/probe/limited' });
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().resets_at, '2026-01-01T00:01:00.000Z');
    assert.equal(limited.headers['retry-after'], '13');
  });

  test('recording face (trailing slash): {"error": "<message>"}', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/probe/missing/' });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), { error: 'Thing not found: 7', code: 'not_found' });
  });

  test('platform face (no trailing slash): ApiEnvelope with errorCode and hint', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/probe/missing' });
    assert.equal(res.statusCode, 404);
    const body = res.json();
    assert.equal(body.ok, false);
    assert.equal(body.data, null);
    assert.equal(body.errorCode, 'NOT_FOUND');
    assert.equal(body.error, 'Thing not found: 7');
    assert.equal(body.requestId, res.headers['x-request-id']);
    assert.ok(body.hint);
  });

  test('a trailing slash is not folded: /api/probe/ and /api/probe are different routes', async () => {
    const unknown = await app.inject({ method: 'GET', url: '/api/probe/missing2/' });
    assert.equal(unknown.statusCode, 404);
    assert.equal(typeof unknown.json().error, 'string');
    const ok = await post(probePaths.clone, '{"name": "ok"}');
    assert.deepEqual(ok.json(), { hello: 'ok' });
  });
});

describe('bad bodies never reach a handler and never leak a stack', () => {
  for (const [face, path] of Object.entries(probePaths)) {
    test(`${face}: malformed JSON → 400, wrong content type → 415, oversized → 413`, async () => {
      const malformed = await post(path, '{"name": ');
      assert.equal(malformed.statusCode, 400);
      assert.match(malformed.body, /malformed_json|MALFORMED_JSON/);

      const wrongType = await post(path, 'name=x', 'application/x-www-form-urlencoded');
      assert.equal(wrongType.statusCode, 415);
      assert.match(wrongType.body, /unsupported_media_type|UNSUPPORTED_MEDIA_TYPE/);

      const oversized = await post(path, JSON.stringify({ name: 'x'.repeat(4096) }));
      assert.equal(oversized.statusCode, 413);
      assert.match(oversized.body, /payload_too_large|PAYLOAD_TOO_LARGE/);

      for (const res of [malformed, wrongType, oversized]) assert.doesNotMatch(res.body, /at .*\.js:\d+/);
    });
  }

  test('an unexpected error is a 500 without internals', async () => {
    for (const path of ['/external/probe/boom', '/api/probe/boom/', '/api/probe/boom', '/v1/probe/boom']) {
      const res = await app.inject({ method: 'GET', url: path });
      assert.equal(res.statusCode, 500, path);
      assert.doesNotMatch(res.body, /secret internal detail/);
      assert.match(res.body, /internal_error|INTERNAL_ERROR/);
    }
  });
});
