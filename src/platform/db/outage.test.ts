// Losing PostgreSQL while running: /readyz turns 503, requests fail with 503, and both recover.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { App } from '../../app.js';
import { createTestApp } from '../../testing/app.js';
import { type TestDatabase, createTestDatabase, isPostgresReachable } from '../../testing/db.js';
import { TcpProxy } from '../../testing/tcp-proxy.js';
import { type Database, openDatabase } from './index.js';

const skip = (await isPostgresReachable()) ? false : 'PostgreSQL unreachable — POSTGRES TESTS SKIPPED';

describe('database outage (postgres)', { skip }, () => {
  let owner: TestDatabase;
  let proxied: Database;
  let app: App;
  let key: string;
  const proxy = new TcpProxy('127.0.0.1', 5432);

  before(async () => {
    owner = await createTestDatabase('postgres');
    await proxy.start();
    const url = new URL((owner.config as { url: string }).url);
    const target = new URL(url);
    target.hostname = '127.0.0.1';
    target.port = String(proxy.port);
    proxied = await openDatabase({ engine: 'postgres', url: target.toString() }, { poolSize: 2 });
    app = await createTestApp({ ...owner, database: proxied, config: { engine: 'postgres', url: target.toString() } });
    const tenant = await app.core.tenants.create('outage');
    key = (await app.core.auth.createCredential(tenant.id, { kind: 'selfmodel' })).secret;
  });

  after(async () => {
    await app?.http.close();
    await proxied?.close();
    await proxy.cut();
    await owner?.cleanup();
  });

  const formats = () => app.http.inject({ method: 'GET', url: '/external/context/formats', headers: { 'x-api-key': key } });
  const ready = () => app.http.inject({ method: 'GET', url: '/readyz' });

  test('ready, then unavailable while the server is gone, then ready again', async () => {
    assert.equal((await ready()).statusCode, 200);
    assert.equal((await formats()).statusCode, 200);

    await proxy.cut();
    const down = await ready();
    assert.equal(down.statusCode, 503);
    assert.equal(down.json().checks.database, 'unreachable');
    const failed = await formats();
    assert.equal(failed.statusCode, 503);
    assert.equal(failed.json().error.code, 'database_unavailable');
    assert.equal((await app.http.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'the process itself stays up');

    await proxy.start();
    assert.equal((await ready()).statusCode, 200);
    assert.equal((await formats()).statusCode, 200);
  });
});
