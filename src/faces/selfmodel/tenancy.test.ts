// Cross-tenant sweep of the self-model face: tenant B's key reaches none of tenant A's users, envelopes,
// sessions, beliefs or context through any route that takes an id. Add new id-taking routes to `byId`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { App } from '../../app.js';
import { createTestApp } from '../../testing/app.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../../testing/db.js';

interface Owned {
  userId: string;
  selfModelId: string;
  sessionId: string;
  envelopeId: string;
}

type Attempt = { method: 'GET' | 'POST' | 'DELETE'; url: (a: Owned) => string; body?: (a: Owned) => unknown };

const byId: Record<string, Attempt> = {
  'GET onboarding by user_id': { method: 'GET', url: (a) => `/external/onboarding?user_id=${a.userId}` },
  'POST input for their user': {
    method: 'POST',
    url: () => '/external/input',
    body: (a) => ({ envelope_id: 'intruder-1', user_id: a.userId, input_type: 'note', data: { text: 'I live in Mars.' } }),
  },
  'POST input into their session': {
    method: 'POST',
    url: () => '/external/input',
    body: (a) => ({ envelope_id: 'intruder-2', user_id: a.userId, input_type: 'note', data: { text: 'x' }, session_id: a.sessionId }),
  },
  'GET envelope status': { method: 'GET', url: (a) => `/external/input/${a.envelopeId}/status` },
  'POST session for their user': { method: 'POST', url: () => '/external/sessions', body: (a) => ({ user_id: a.userId }) },
  'GET session': { method: 'GET', url: (a) => `/external/sessions/${a.sessionId}` },
  'POST session fail': { method: 'POST', url: (a) => `/external/sessions/${a.sessionId}/fail`, body: () => ({ error_message: 'x' }) },
  'POST context by user_id': { method: 'POST', url: () => '/external/context', body: (a) => ({ user_id: a.userId }) },
  'POST context by self_model_id': { method: 'POST', url: () => '/external/context', body: (a) => ({ self_model_id: a.selfModelId }) },
  'POST search': { method: 'POST', url: () => '/external/search', body: (a) => ({ user_id: a.userId, query: 'Lisbon' }) },
  'GET beliefs': { method: 'GET', url: (a) => `/external/users/${a.userId}/beliefs` },
  'GET export': { method: 'GET', url: (a) => `/external/users/${a.userId}/export` },
  'DELETE user': { method: 'DELETE', url: (a) => `/external/users/${a.userId}` },
};

for (const { engine, skip } of await testEngines()) {
  describe(`self-model cross-tenant sweep (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    let keyA: string;
    let keyB: string;
    let owned: Owned;

    const call = (key: string, method: Attempt['method'], url: string, body?: unknown) =>
      app.http.inject({ method, url, headers: { 'x-api-key': key }, ...(body === undefined ? {} : { payload: body as object }) });

    before(async () => {
      db = await createTestDatabase(engine);
      app = await createTestApp(db);
      keyA = (await app.core.auth.createCredential((await app.core.tenants.create('a')).id, { kind: 'selfmodel' })).secret;
      keyB = (await app.core.auth.createCredential((await app.core.tenants.create('b')).id, { kind: 'selfmodel' })).secret;
      const user = (await call(keyA, 'POST', '/external/onboarding', { external_id: 'shared-id' })).json();
      const session = (await call(keyA, 'POST', '/external/sessions', { user_id: user.user_id })).json();
      await call(keyA, 'POST', '/external/input', { envelope_id: 'a-env', user_id: user.user_id, input_type: 'note', data: { text: 'I live in Lisbon.' } });
      owned = { userId: user.user_id, selfModelId: user.self_model_id, sessionId: session.session_id, envelopeId: 'a-env' };
    });
    after(async () => {
      await app?.http.close();
      await db?.cleanup();
    });

    for (const [name, attempt] of Object.entries(byId)) {
      test(`tenant B: ${name} → 404`, async () => {
        const res = await call(keyB, attempt.method, attempt.url(owned), attempt.body?.(owned));
        assert.equal(res.statusCode, 404, res.body);
        assert.equal(res.json().error.code, 'not_found');
      });
    }

    test("tenant A's rows are untouched, and the same external_id in tenant B is a different user", async () => {
      const status = await call(keyA, 'GET', `/external/input/${owned.envelopeId}/status`);
      assert.equal(status.statusCode, 200);
      assert.equal((await call(keyA, 'GET', `/external/sessions/${owned.sessionId}`)).json().status, 'created', 'not failed by tenant B');
      assert.equal((await call(keyA, 'GET', `/external/input/intruder-1/status`)).statusCode, 404);
      const b = (await call(keyB, 'POST', '/external/onboarding', { external_id: 'shared-id' })).json();
      assert.equal(b.created, true);
      assert.notEqual(b.user_id, owned.userId);
    });
  });
}
