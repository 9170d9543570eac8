// /admin/: sign-in form, staff-only dashboard (tenants, users, queue, dead jobs), retry, escaping, cookie auth;
// browsers without a session are redirected to the form, scripts get JSON 401.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { App } from '../../app.js';
import { createTestApp } from '../../testing/app.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../../testing/db.js';

const form = (fields: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
});

for (const { engine, skip } of await testEngines()) {
  describe(`/admin/ (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    let cookie = '';
    let deadJobId = '';

    const login = (username: string, password: string) => app.http.inject({ method: 'POST', url: '/admin/login/', ...form({ username, password }) });

    before(async () => {
      db = await createTestDatabase(engine);
      app = await createTestApp(db);
      const staff = await app.core.accounts.signup({ username: 'operator', email: 'op@example.test', password: 'long enough pw' });
      await app.core.staff.grantByUsername('operator');
      await app.core.accounts.signup({ username: 'plain', email: 'plain@example.test', password: 'long enough pw' });
      await app.core.tenants.create('<script>tenant</script>');
      const { job } = await app.core.queue.enqueue({ tenantId: staff.user.tenantId, kind: 'admin.test', payload: {}, maxAttempts: 1 });
      const [claimed] = await app.core.queue.claim({ workerId: 'test', kinds: ['admin.test'], limit: 1, leaseMs: 60_000 });
      assert.equal(await app.core.queue.fail(claimed!, '<script>alert(1)</script>'), 'dead');
      deadJobId = job.id;
    });
    after(async () => {
      await app?.http.close();
      await db?.cleanup();
    });

    test('the sign-in form renders as HTML', async () => {
      const res = await app.http.inject({ method: 'GET', url: '/admin/login/' });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.match(res.body, /<form method="post" action="\/admin\/login\/">/);
    });

    test('a wrong password gets a 401 page and no cookie', async () => {
      const res = await login('operator', 'wrong password');
      assert.equal(res.statusCode, 401);
      assert.match(res.body, /Invalid username or password/);
      assert.equal(res.headers['set-cookie'], undefined);
    });

    test('a valid user who is not staff gets 403, by form and by Bearer', async () => {
      const res = await login('plain', 'long enough pw');
      assert.equal(res.statusCode, 403);
      assert.equal(res.headers['set-cookie'], undefined);
      const session = await app.core.accounts.login('plain', 'long enough pw');
      const dash = await app.http.inject({ method: 'GET', url: '/admin/', headers: { authorization: `Bearer ${session.accessToken}` } });
      assert.equal(dash.statusCode, 403);
    });

    test('without a credential the dashboard is 401 in the recording face format', async () => {
      for (const accept of [undefined, 'application/json', '*/*']) {
        const res = await app.http.inject({ method: 'GET', url: '/admin/', headers: accept ? { accept } : {} });
        assert.equal(res.statusCode, 401, `Accept: ${accept}`);
        assert.equal(res.json().code, 'unauthorized');
      }
    });

    test('a browser without a session is sent to the sign-in form', async () => {
      const accept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
      const requests = [
        { method: 'GET' as const, url: '/admin/', headers: { accept } },
        { method: 'GET' as const, url: '/admin/', headers: { accept, cookie: 'engram_admin=expired-or-forged' } },
        { method: 'POST' as const, url: `/admin/jobs/${deadJobId}/retry/`, headers: { accept, 'content-type': 'application/x-www-form-urlencoded' }, payload: '' },
      ];
      for (const request of requests) {
        const res = await app.http.inject(request);
        assert.equal(res.statusCode, 303, `${request.method} ${request.url}: ${res.body}`);
        assert.equal(res.headers.location, '/admin/login/');
      }
      const tenantId = (await app.core.tenants.first())!.id;
      assert.equal((await app.core.queue.get(tenantId, deadJobId))?.status, 'dead', 'the redirected retry did not run');
      const form = await app.http.inject({ method: 'GET', url: '/admin/login/', headers: { accept } });
      assert.equal(form.statusCode, 200, 'the sign-in form itself is not redirected');
    });

    test('staff sign-in sets an HttpOnly cookie and the dashboard lists tenants, users and the dead job', async () => {
      const res = await login('operator', 'long enough pw');
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/admin/');
      const setCookie = String(res.headers['set-cookie']);
      assert.match(setCookie, /^engram_admin=[^;]+;/);
      assert.match(setCookie, /HttpOnly/);
      assert.match(setCookie, /SameSite=Strict/);
      cookie = setCookie.split(';', 1)[0]!;
      const dash = await app.http.inject({ method: 'GET', url: '/admin/', headers: { cookie } });
      assert.equal(dash.statusCode, 200);
      assert.match(String(dash.headers['content-type']), /^text\/html/);
      assert.match(dash.body, /<td>operator<\/td>/);
      assert.match(dash.body, /<td>plain<\/td>/);
      assert.ok(dash.body.includes(deadJobId), 'the dead job is listed');
      assert.ok(dash.body.includes(`action="/admin/jobs/${deadJobId}/retry/"`), 'with a retry button');
    });

    test('rendered values are escaped', async () => {
      const dash = await app.http.inject({ method: 'GET', url: '/admin/', headers: { cookie } });
      assert.ok(!dash.body.includes('<script>'), 'no raw <script> in the page');
      assert.ok(dash.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the job error is shown escaped');
      assert.ok(dash.body.includes('<td>&lt;script&gt;tenant&lt;/script&gt;</td>'), 'the tenant name is shown escaped');
    });

    test('retry puts the dead job back in the queue with fresh attempts, once', async () => {
      const res = await app.http.inject({ method: 'POST', url: `/admin/jobs/${deadJobId}/retry/`, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/admin/');
      const tenantId = (await app.core.tenants.first())!.id;
      const job = await app.core.queue.get(tenantId, deadJobId);
      assert.equal(job?.status, 'queued');
      assert.equal(job?.attempts, 0);
      assert.equal(job?.lastError, '<script>alert(1)</script>');
      const again = await app.http.inject({ method: 'POST', url: `/admin/jobs/${deadJobId}/retry/`, headers: { cookie } });
      assert.equal(again.statusCode, 404);
    });

    test('sign-out clears the cookie', async () => {
      const res = await app.http.inject({ method: 'POST', url: '/admin/logout/', headers: { cookie } });
      assert.equal(res.statusCode, 303);
      assert.match(String(res.headers['set-cookie']), /^engram_admin=;.*Max-Age=0/);
    });
  });
}
