// Platform face /api/system-logs: authenticated calls are recorded and can be filtered by the documented
// parameters (correlation id, level, user, key, time range) and paged.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { App } from '../../app.js';
import { ManualClock } from '../../platform/clock.js';
import { createTestApp } from '../../testing/app.js';
import { signUpAdmin } from '../../testing/accounts.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../../testing/db.js';
import { type Answer, call } from '../../testing/platform.js';

function assertError(res: Answer, status: number, errorCode: string) {
  assert.equal(res.status, status, res.raw);
  assert.equal(res.body.errorCode, errorCode);
}

for (const { engine, skip } of await testEngines()) {
  describe(`platform /api/system-logs (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    const clock = new ManualClock();
    let admin: { token: string; userId: string; tenantId: string };
    const logs = async (query = '') => {
      await app.core.callLog.flush();
      return call(app, 'GET', `/api/system-logs${query}`, { token: admin.token });
    };

    before(async () => {
      db = await createTestDatabase(engine);
      app = await createTestApp(db, { clock });
      const a = await signUpAdmin(app);
      admin = { token: a.session.accessToken, userId: a.userId, tenantId: a.tenantId };
    });
    after(async () => {
      await app?.http.close();
      await db?.cleanup();
    });

    test('calls are recorded with route, status, level, user and correlation id', async () => {
      const correlation = { 'x-correlation-id': `trace-${engine}-1` };
      const me = await call(app, 'GET', '/api/auth/me', { token: admin.token, headers: correlation });
      assert.equal(me.headers['x-correlation-id'], `trace-${engine}-1`);
      clock.advance(10);
      await call(app, 'GET', '/api/users/no-such-user', { token: admin.token, headers: correlation });
      await call(app, 'GET', '/api/auth/me', { token: admin.token });

      const res = await logs(`?correlationId=trace-${engine}-1`);
      assert.equal(res.status, 200, res.raw);
      assert.equal(res.body.count, 2);
      const [newest, oldest] = res.body.data;
      assert.deepEqual(
        { method: oldest.method, route: oldest.route, status: oldest.status, level: oldest.level, userId: oldest.userId, apiKeyId: oldest.apiKeyId },
        { method: 'GET', route: '/api/auth/me', status: 200, level: 'info', userId: admin.userId, apiKeyId: null },
      );
      assert.equal(oldest.requestId, me.body.requestId);
      assert.equal(oldest.timestamp, new Date(clock.now() - 10).toISOString());
      assert.deepEqual([newest.route, newest.status, newest.level], ['/api/users/:id', 404, 'warn']);

      const one = await call(app, 'GET', `/api/system-logs/${oldest.id}`, { token: admin.token });
      assert.equal(one.status, 200, one.raw);
      assert.deepEqual(one.body.data, oldest);
      assertError(await call(app, 'GET', '/api/system-logs/no-such-entry', { token: admin.token }), 404, 'NOT_FOUND');
    });

    test('filters: level, user, key and time range; limit and offset page with the total in count', async () => {
      clock.advance(1000);
      const t0 = clock.now();
      const user = await call(app, 'POST', '/api/users', {
        token: admin.token,
        body: { username: `logged-${engine}`, email: `logged-${engine}@example.test`, password: 'long enough pw', role: 'member' },
      });
      const key = (await call(app, 'POST', `/api/users/${user.body.data.id}/apikey`, { token: admin.token })).body.data;
      clock.advance(1000);
      const t1 = clock.now();
      for (let i = 0; i < 3; i++) await call(app, 'GET', '/api/auth/me', { apiKey: key.apiKey });
      await call(app, 'GET', '/api/users', { apiKey: key.apiKey });
      clock.advance(1000);

      const byKey = await logs(`?apiKeyId=${key.id}`);
      assert.equal(byKey.body.count, 4);
      assert.ok(byKey.body.data.every((e: { apiKeyId: string; userId: string }) => e.apiKeyId === key.id && e.userId === user.body.data.id));
      assert.equal((await logs(`?userId=${user.body.data.id}`)).body.count, 4);
      assert.equal((await logs(`?apiKeyId=${key.id}&level=warn`)).body.count, 1, 'the 403 on /api/users');
      assert.equal((await logs(`?apiKeyId=${key.id}&level=error`)).body.count, 0);

      const inRange = await logs(`?from=${new Date(t1).toISOString()}&to=${new Date(t1 + 1000).toISOString()}`);
      assert.equal(inRange.body.count, 4);
      const earlier = await logs(`?from=${new Date(t0).toISOString()}&to=${new Date(t1).toISOString()}`);
      assert.deepEqual(
        earlier.body.data.map((e: { method: string; route: string }) => `${e.method} ${e.route}`).sort(),
        ['POST /api/users', 'POST /api/users/:id/apikey'],
      );

      const all = await logs(`?apiKeyId=${key.id}`);
      const page = await logs(`?apiKeyId=${key.id}&limit=2&offset=1`);
      assert.equal(page.body.count, 4);
      assert.deepEqual(
        page.body.data.map((e: { id: string }) => e.id),
        all.body.data.slice(1, 3).map((e: { id: string }) => e.id),
      );
    });

    test('limit defaults to 100 and goes up to 1000', async () => {
      for (let i = 0; i < 120; i++) {
        app.core.callLog.record({
          id: app.core.ids.next(),
          tenantId: admin.tenantId,
          at: clock.now(),
          level: 'info',
          method: 'GET',
          route: '/api/test',
          status: 200,
          latencyMs: 1,
          credentialId: null,
          userId: null,
          identityId: null,
          pluginId: null,
          correlationId: `bulk-${engine}`,
          requestId: `bulk-${i}`,
        });
      }
      const page = await logs();
      assert.equal(page.body.data.length, 100);
      assert.ok(page.body.count! >= 120);
      const big = await logs('?limit=1000');
      assert.equal(big.body.data.length, big.body.count);
    });

    test('entityType and entityGuid are accepted and validated but do not narrow the result yet', async () => {
      const plain = await logs('?limit=1000');
      const withEntity = await logs('?limit=1000&entityType=Identity&entityGuid=6f1c2a7e-8b9d-4c3e-9f2a-1b2c3d4e5f60');
      assert.equal(withEntity.status, 200, withEntity.raw);
      assert.ok(withEntity.body.count! >= plain.body.count!);
    });

    test('bad filters are refused with the parameter named', async () => {
      for (const [query, param] of [
        ['?level=loud', 'level'],
        ['?entityGuid=not-a-guid', 'entityGuid'],
        ['?entityType=', 'entityType'],
        ['?from=yesterday', 'from'],
        ['?to=2026-13-01T00:00:00Z', 'to'],
        ['?limit=1001', 'limit'],
        ['?limit=0', 'limit'],
        ['?offset=-1', 'offset'],
      ] as const) {
        const res = await call(app, 'GET', `/api/system-logs${query}`, { token: admin.token });
        assertError(res, 400, 'VALIDATION_FAILED');
        assert.match(res.body.error!, new RegExp(param), `${query}: ${res.body.error}`);
      }
      assert.equal((await call(app, 'GET', '/api/system-logs?limit=1000', { token: admin.token })).status, 200);
    });
  });
}
