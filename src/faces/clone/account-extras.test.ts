// The recording face's monitoring, news, access, voice and sources routes over HTTP on both engines:
// both credential forms, others' rows answering 404, voice against a stub provider, feed sync against a
// local HTTP server (idempotent; garbage fails the job and leaves the source usable).
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { App } from '../../app.js';
import { ManualClock } from '../../platform/clock.js';
import { createTestApp } from '../../testing/app.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../../testing/db.js';
import { StubServer } from '../../testing/stub-http.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const password = 'correct horse battery';

/** A feed server whose answer the test sets. */
async function startFeedServer() {
  let body = '';
  let contentType = 'application/json';
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': contentType });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed`,
    serve(next: string, type = 'application/json') {
      body = next;
      contentType = type;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

for (const { engine, skip } of await testEngines()) {
  describe(`recording face: monitoring, news, access, voice, sources (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    let voiceStub: StubServer;
    let feed: Awaited<ReturnType<typeof startFeedServer>>;
    const clock = new ManualClock();
    let n = 0;

    /** Every request from its own client address, so the per-IP signup limit never trips. */
    const call = (method: Method, url: string, headers: Record<string, string>, payload?: unknown) =>
      app.http.inject({ method, url, headers, remoteAddress: `10.9.${Math.floor(n / 200)}.${(n++ % 200) + 1}`, ...(payload !== undefined ? { payload: payload as object } : {}) });
    const bearer = (access: string) => ({ authorization: `Bearer ${access}` });

    /** A signed-up user with both credential forms. */
    async function person(base: string) {
      const username = `${base}-${++n}`;
      const res = await call('POST', '/api/auth/signup/', {}, { username, email: `${username}@example.test`, password });
      assert.equal(res.statusCode, 201, res.body);
      const session = res.json() as { user: { id: string; tenant_id: string; username: string }; access: string };
      const key = await call('POST', '/api/auth/api-keys/', bearer(session.access), { name: 'test' });
      assert.equal(key.statusCode, 201, key.body);
      return { ...session, jwt: bearer(session.access), key: { 'x-clone-api-key': key.json().key as string } };
    }

    /** A second user in the same account, as an accepted invite would place them. */
    async function colleague(tenantId: string, base: string) {
      const username = `${base}-${++n}`;
      const user = await app.core.users.createUnchecked(tenantId, { username, email: `${username}@example.test`, password, role: 'member' });
      const session = await app.core.accounts.startSession(user);
      const key = await call('POST', '/api/auth/api-keys/', bearer(session.accessToken), { name: 'test' });
      return { user, username, jwt: bearer(session.accessToken), key: { 'x-clone-api-key': key.json().key as string } };
    }

    /** Claims and runs queued sources.sync jobs the way the worker does. */
    async function runSyncJobs() {
      const jobs = await app.core.queue.claim({ workerId: 'test', kinds: ['sources.sync'], limit: 10, leaseMs: 60_000 });
      for (const job of jobs) {
        try {
          const result = await app.core.jobHandlers['sources.sync']!(job, { signal: new AbortController().signal } as never);
          await app.core.queue.complete(job, result);
        } catch (err) {
          await app.core.queue.fail(job, (err as Error).message);
        }
      }
      return jobs.length;
    }

    before(async () => {
      voiceStub = await StubServer.start();
      feed = await startFeedServer();
      db = await createTestDatabase(engine);
      app = await createTestApp(db, { clock, env: { ENGRAM_VOICE_BASE_URL: voiceStub.url, ENGRAM_VOICE_API_KEY: 'xi-test-key' } });
    });
    after(async () => {
      await app?.http.close();
      await db?.cleanup();
      await voiceStub?.close();
      await feed?.close();
    });

    test('monitoring health/ and stats/ answer with either credential', async () => {
      const a = await person('mon');
      for (const headers of [a.jwt, a.key]) {
        const health = await call('GET', '/api/monitoring/health/', headers);
        assert.equal(health.statusCode, 200, health.body);
        assert.equal(health.json().status, 'ok');
        assert.equal(health.json().database.migrations_current, true);
        assert.equal(typeof health.json().queue.queued, 'number');
        const stats = await call('GET', '/api/monitoring/stats/', headers);
        assert.equal(stats.statusCode, 200, stats.body);
        assert.equal(stats.json().counts.users, 1);
        assert.ok(stats.json().latency.requests > 0);
        assert.equal(typeof stats.json().latency.p95_ms, 'number');
      }
    });

    test('news: everyone lists, only staff post', async () => {
      const a = await person('reader');
      const forbidden = await call('POST', '/api/news/', a.jwt, { title: 'Hello', body: 'World' });
      assert.equal(forbidden.statusCode, 403, forbidden.body);
      assert.equal(typeof forbidden.json().error, 'string');
      const staffer = await person('staff');
      await app.core.staff.grant(staffer.user.tenant_id, staffer.user.id);
      for (const headers of [staffer.jwt, staffer.key]) {
        const created = await call('POST', '/api/news/', headers, { title: 'Release', body: 'Engram ships', url: 'https://example.test/r' });
        assert.equal(created.statusCode, 201, created.body);
      }
      const list = await call('GET', '/api/news/?limit=1', a.key);
      assert.equal(list.statusCode, 200, list.body);
      assert.equal(list.json().count, 2);
      assert.equal(list.json().results.length, 1);
      assert.equal((await call('POST', '/api/news/', staffer.jwt, { title: '' })).statusCode, 400);
    });

    test('access: invite, approve, decline, list, remove; strangers get 404; canRead follows', async () => {
      const owner = await person('owner');
      const member = await colleague(owner.user.tenant_id, 'member');
      const third = await colleague(owner.user.tenant_id, 'third');
      const outsider = await person('outsider');

      const invited = await call('POST', '/api/access/invite/', owner.jwt, { username: member.username });
      assert.equal(invited.statusCode, 201, invited.body);
      const grant = invited.json();
      assert.equal(grant.status, 'pending');
      assert.equal((await call('POST', '/api/access/invite/', owner.key, { username: member.username })).statusCode, 409);
      assert.equal((await call('POST', '/api/access/invite/', outsider.jwt, { username: member.username })).statusCode, 404, 'other tenants’ users are not found');
      assert.equal(await app.core.access.canRead(owner.user.tenant_id, owner.user.id, member.user.id), false);

      for (const stranger of [owner.jwt, third.key, outsider.jwt]) {
        assert.equal((await call('POST', `/api/access/${grant.id}/approve/`, stranger)).statusCode, 404);
      }
      assert.equal((await call('DELETE', `/api/access/members/${grant.id}/`, third.jwt)).statusCode, 404);
      const approved = await call('POST', `/api/access/${grant.id}/approve/`, member.key);
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal(approved.json().status, 'active');
      assert.equal(approved.json().role, 'member');
      assert.equal(await app.core.access.canRead(owner.user.tenant_id, owner.user.id, member.user.id), true);
      assert.equal((await call('POST', `/api/access/${grant.id}/decline/`, member.jwt)).statusCode, 409);

      const mine = await call('GET', '/api/access/members/', owner.key);
      assert.deepEqual(mine.json().results.map((g: { id: string; role: string }) => [g.id, g.role]), [[grant.id, 'owner']]);
      assert.equal((await call('GET', '/api/access/members/', third.jwt)).json().count, 0);

      const second = (await call('POST', '/api/access/invite/', owner.jwt, { email: third.user.email.toUpperCase() })).json();
      const declined = await call('POST', `/api/access/${second.id}/decline/`, third.jwt);
      assert.equal(declined.json().status, 'declined');
      assert.equal(await app.core.access.canRead(owner.user.tenant_id, owner.user.id, third.user.id), false);

      assert.equal((await call('DELETE', `/api/access/members/${grant.id}/`, owner.jwt)).statusCode, 204);
      assert.equal(await app.core.access.canRead(owner.user.tenant_id, owner.user.id, member.user.id), false);
      assert.equal((await call('DELETE', `/api/access/members/${grant.id}/`, owner.jwt)).statusCode, 404);
    });

    test('voice: audio from the provider with the key; 429 and 502 from its faults', async () => {
      const a = await person('voice');
      voiceStub.replies({ status: 200, headers: { 'content-type': 'audio/mpeg' }, body: 'ID3-fake-mp3' });
      for (const headers of [a.jwt, a.key]) {
        const res = await call('POST', '/api/voice/synthesize/', headers, { text: 'Hello there', voice_id: 'voice-1' });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.headers['content-type'], 'audio/mpeg');
        assert.equal(res.body, 'ID3-fake-mp3');
      }
      const sent = voiceStub.requests[0]!;
      assert.equal(sent.path, '/v1/text-to-speech/voice-1');
      assert.equal(sent.headers['xi-api-key'], 'xi-test-key');
      assert.deepEqual(sent.body, { text: 'Hello there' });

      voiceStub.replies({ status: 429, headers: { 'retry-after': '7' }, body: { detail: 'slow down' } });
      const limited = await call('POST', '/api/voice/synthesize/', a.jwt, { text: 'Hi' });
      assert.equal(limited.statusCode, 429);
      assert.equal(typeof limited.json().error, 'string');
      voiceStub.replies({ status: 500, body: { detail: 'boom' } });
      assert.equal((await call('POST', '/api/voice/synthesize/', a.jwt, { text: 'Hi' })).statusCode, 502);
      assert.equal((await call('POST', '/api/voice/synthesize/', a.jwt, { text: '' })).statusCode, 400);
    });

    test('sources: CRUD with secrets hidden; others get 404', async () => {
      const a = await person('src');
      const b = await person('src-other');
      const created = await call('POST', '/api/sources/', a.jwt, { name: 'Blog', type: 'feed', config: { url: feed.url }, secrets: { Authorization: 'Bearer s3cret' } });
      assert.equal(created.statusCode, 201, created.body);
      const source = created.json();
      assert.deepEqual(source.secret_names, ['Authorization']);
      assert.ok(!created.body.includes('s3cret'));
      const stored = await db.database.db.selectFrom('sources').select('secrets').where('id', '=', source.id).executeTakeFirstOrThrow();
      assert.ok(stored.secrets && !stored.secrets.includes('s3cret'), 'secrets are encrypted at rest');

      assert.equal((await call('POST', '/api/sources/', a.key, { name: 'Bad', type: 'feed', config: { url: 'ftp://x' } })).statusCode, 400);
      assert.equal((await call('GET', `/api/sources/${source.id}/`, a.key)).statusCode, 200);
      const patched = await call('PATCH', `/api/sources/${source.id}/`, a.key, { name: 'Renamed' });
      assert.equal(patched.json().name, 'Renamed');
      assert.deepEqual(patched.json().secret_names, ['Authorization']);
      assert.equal((await call('GET', '/api/sources/', a.key)).json().count, 1);
      assert.equal((await call('GET', '/api/sources/', b.jwt)).json().count, 0);
      for (const [method, url] of [
        ['GET', `/api/sources/${source.id}/`],
        ['PATCH', `/api/sources/${source.id}/`],
        ['POST', `/api/sources/${source.id}/sync/`],
        ['DELETE', `/api/sources/${source.id}/`],
      ] as const) {
        assert.equal((await call(method, url, b.key, method === 'PATCH' ? { name: 'x' } : undefined)).statusCode, 404, `${method} ${url}`);
      }
      assert.equal((await call('DELETE', `/api/sources/${source.id}/`, a.jwt)).statusCode, 204);
      assert.equal((await call('GET', `/api/sources/${source.id}/`, a.jwt)).statusCode, 404);
    });

    test('feed sync: items stored once across two syncs; garbage fails the job and leaves the source usable', async () => {
      const a = await person('sync');
      const source = (await call('POST', '/api/sources/', a.key, { name: 'News', type: 'feed', config: { url: feed.url } })).json();
      feed.serve(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', items: [
        { id: 'one', title: 'First', content_text: 'I started learning the cello.', date_published: '2024-05-01T10:00:00Z' },
        { id: 'two', title: 'Second', content_text: 'I moved to Lisbon.' },
      ] }));
      for (let i = 0; i < 2; i++) {
        const sync = await call('POST', `/api/sources/${source.id}/sync/`, a.jwt);
        assert.equal(sync.statusCode, 202, sync.body);
        assert.equal(await runSyncJobs(), 1);
      }
      const events = await db.database.db.selectFrom('events').select(['envelope_id', 'source']).where('tenant_id', '=', a.user.tenant_id).execute();
      assert.equal(events.length, 2);
      assert.ok(events.every((e) => e.source === 'recording'));
      let current = (await call('GET', `/api/sources/${source.id}/`, a.jwt)).json();
      assert.equal(current.status, 'ok');
      assert.equal(current.items_imported, 2);

      feed.serve('<html>not a feed</html>', 'text/html');
      const bad = (await call('POST', `/api/sources/${source.id}/sync/`, a.jwt)).json();
      await runSyncJobs();
      const job = await app.core.queue.get(a.user.tenant_id, bad.job_id);
      assert.equal(job?.status, 'dead');
      assert.match(job?.lastError ?? '', /not a JSON, RSS or Atom feed/);
      current = (await call('GET', `/api/sources/${source.id}/`, a.jwt)).json();
      assert.equal(current.status, 'error');
      assert.match(current.last_error, /not a JSON, RSS or Atom feed/);

      feed.serve('<?xml version="1.0"?><rss version="2.0"><channel><item><guid>three</guid><title>Third</title><description>I adopted a cat.</description></item></channel></rss>', 'application/rss+xml');
      assert.equal((await call('POST', `/api/sources/${source.id}/sync/`, a.key)).statusCode, 202);
      await runSyncJobs();
      current = (await call('GET', `/api/sources/${source.id}/`, a.jwt)).json();
      assert.equal(current.status, 'ok');
      assert.equal(current.last_error, null);
      assert.equal(current.items_imported, 3);
    });

    test('upload sync: JSONL events ingested idempotently', async () => {
      const a = await person('upload');
      const source = (await call('POST', '/api/sources/', a.jwt, { name: 'Export', type: 'upload' })).json();
      assert.equal((await call('POST', `/api/sources/${source.id}/sync/`, a.jwt, {})).statusCode, 400);
      const jsonl = ['{"client_event_id":"e1","type":"note","payload":{"text":"I like tea."}}', '{"client_event_id":"e2","type":"note","payload":{"text":"I run on Sundays."}}'].join('\n');
      for (let i = 0; i < 2; i++) {
        assert.equal((await call('POST', `/api/sources/${source.id}/sync/`, a.key, { jsonl })).statusCode, 202);
        await runSyncJobs();
      }
      const count = await db.database.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', a.user.tenant_id).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 2);
    });
  });
}

describe('voice without a key', () => {
  test('answers 503 {"error"}', async () => {
    const db = await createTestDatabase('sqlite');
    const app = await createTestApp(db);
    try {
      const signup = await app.http.inject({ method: 'POST', url: '/api/auth/signup/', payload: { username: 'novoice', email: 'n@example.test', password } });
      const res = await app.http.inject({ method: 'POST', url: '/api/voice/synthesize/', headers: { authorization: `Bearer ${signup.json().access}` }, payload: { text: 'hi' } });
      assert.equal(res.statusCode, 503, res.body);
      assert.equal(typeof res.json().error, 'string');
    } finally {
      await app.http.close();
      await db.cleanup();
    }
  });
});
