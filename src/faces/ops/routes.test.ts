// Operations routes on both engines: liveness, readiness, metrics, the OpenAPI document and /docs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { App } from '../../app.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import { createTestApp } from '../../testing/app.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../../testing/db.js';

for (const { engine, skip } of await testEngines()) {
  describe(`operations routes (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;

    before(async () => {
      db = await createTestDatabase(engine, { migrate: false });
      app = await createTestApp(db);
    });
    after(async () => {
      await app?.http.close();
      await db?.cleanup();
    });

    test('/readyz is 503 while migrations are pending, 200 once they are applied', async () => {
      const pending = await app.http.inject({ method: 'GET', url: '/readyz' });
      assert.equal(pending.statusCode, 503);
      assert.equal(pending.json().checks.migrations, 'pending');
      assert.ok(pending.json().pending_migrations.includes('0001_foundation'));

      await migrateToLatest(db.database);
      const ready = await app.http.inject({ method: 'GET', url: '/readyz' });
      assert.equal(ready.statusCode, 200);
      assert.deepEqual(ready.json().checks, { database: 'ok', migrations: 'current' });
    });

    test('/healthz answers while the process is up', async () => {
      const res = await app.http.inject({ method: 'GET', url: '/healthz' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().status, 'ok');
    });

    test('/metrics exposes request counts by route and status, and queue depth by state', async () => {
      await app.core.queue.enqueue({ tenantId: 't1', kind: 'metrics.probe', payload: {} });
      await app.http.inject({ method: 'GET', url: '/healthz' });
      await app.http.inject({ method: 'GET', url: '/no-such-route' });
      const res = await app.http.inject({ method: 'GET', url: '/metrics' });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/plain/);
      assert.match(res.body, /engram_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
      assert.match(res.body, /engram_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
      assert.match(res.body, /engram_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/healthz",status="200"\}/);
      assert.match(res.body, /engram_queue_jobs\{state="queued"\} 1/);
      assert.match(res.body, /engram_queue_jobs\{state="dead"\} 0/);
      assert.match(res.body, /engram_job_duration_seconds/);
    });

    test('/openapi.json is OpenAPI 3.1 and describes every route with its schema', async () => {
      const res = await app.http.inject({ method: 'GET', url: '/openapi.json' });
      assert.equal(res.statusCode, 200);
      const doc = res.json();
      assert.equal(doc.openapi, '3.1.0');
      assert.ok(doc.paths['/healthz'].get.responses['200']);
      const formats = doc.paths['/external/context/formats'].get;
      assert.deepEqual(formats.security, [{ selfModelKey: [] }]);
      assert.equal(formats.responses['200'].content['application/json'].schema.type, 'object');
      assert.equal(doc.components.securitySchemes.selfModelKey.name, 'X-API-Key');
      for (const path of Object.keys(doc.paths)) assert.doesNotMatch(path, /^\/docs/);
    });

    test('/docs serves the API reference page from the installed package (no CDN)', async () => {
      const page = await app.http.inject({ method: 'GET', url: '/docs/' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /swagger-ui/i);
      assert.doesNotMatch(page.body, /https?:\/\/(cdn|unpkg|cdnjs)/);
      const init = await app.http.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
      assert.equal(init.statusCode, 200);
      assert.match(init.body, /openapi\.json/);
    });
  });
}
