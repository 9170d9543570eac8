// Self-model face authentication: X-API-Key, one 401 for every kind of bad key, tenants kept apart.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { App } from '../../app.js';
import { ManualClock } from '../../platform/clock.js';
import { createTestApp } from '../../testing/app.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../../testing/db.js';

const route = '/external/context/formats';

for (const { engine, skip } of await testEngines()) {
  describe(`self-model face auth (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    const clock = new ManualClock();
    const get = (key?: string) =>
      app.http.inject({ method: 'GET', url: route, headers: key === undefined ? {} : { 'x-api-key': key } });

    before(async () => {
      db = await createTestDatabase(engine);
      app = await createTestApp(db, { clock });
    });
    after(async () => {
      await app?.http.close();
      await db?.cleanup();
    });

    test('a valid self-model key is accepted and its use recorded', async () => {
      const tenant = await app.core.tenants.create('acme');
      const { credential, secret } = await app.core.auth.createCredential(tenant.id, { kind: 'selfmodel' });
      assert.match(secret, /^egk_[A-Za-z0-9_-]{43}$/);
      const res = await get(secret);
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().default_format, 'ai_ready');
      const row = await db.database.db.selectFrom('credentials').selectAll().where('id', '=', credential.id).executeTakeFirstOrThrow();
      assert.equal(row.last_used_at, clock.now());
      assert.notEqual(row.secret_hash, secret);
      assert.ok(!JSON.stringify(row).includes(secret), 'the secret is stored only as a hash');
    });

    test('missing, unknown, wrong-kind and expired keys all get the same 401 in the face format', async () => {
      const tenant = await app.core.tenants.create('beta');
      const clone = await app.core.auth.createCredential(tenant.id, { kind: 'clone' });
      const expiring = await app.core.auth.createCredential(tenant.id, { kind: 'selfmodel', expiresAt: clock.now() + 1000 });
      assert.equal((await get(expiring.secret)).statusCode, 200);
      clock.advance(1000);
      for (const key of [undefined, '', 'egk_not-a-real-key', clone.secret, expiring.secret]) {
        const res = await get(key);
        assert.equal(res.statusCode, 401, `key ${String(key)}`);
        assert.equal(res.json().error.code, 'unauthorized');
      }
    });

    test('each key resolves to its own tenant only', async () => {
      const a = await app.core.tenants.create('tenant-a');
      const b = await app.core.tenants.create('tenant-b');
      const keyA = await app.core.auth.createCredential(a.id, { kind: 'selfmodel' });
      const keyB = await app.core.auth.createCredential(b.id, { kind: 'selfmodel' });
      assert.equal((await app.core.auth.authenticateKey(['selfmodel'], keyA.secret)).tenantId, a.id);
      assert.equal((await app.core.auth.authenticateKey(['selfmodel'], keyB.secret)).tenantId, b.id);
    });
  });

  describe(`bootstrap key (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    before(async () => {
      db = await createTestDatabase(engine);
      app = await createTestApp(db);
    });
    after(async () => {
      await app?.http.close();
      await db?.cleanup();
    });

    test('creates the default tenant and key once; concurrent starts leave one tenant', async () => {
      const key = 'k'.repeat(40);
      const results = await Promise.all([app.core.auth.bootstrap(key), app.core.auth.bootstrap(key)]);
      assert.equal(results.filter((r) => r.created).length, 1);
      assert.deepEqual(await app.core.auth.bootstrap(key), { created: false });
      const tenants = await db.database.db.selectFrom('tenants').selectAll().execute();
      assert.equal(tenants.length, 1);
      const res = await app.http.inject({ method: 'GET', url: route, headers: { 'x-api-key': key } });
      assert.equal(res.statusCode, 200);
    });
  });
}
