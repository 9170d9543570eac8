// The recording face's monitoring, news, access, voice and sources routes over HTTP on both engines:
// both credential forms, others' rows answering 404, members reading a shared memory (logged, read-only),
// voice against a stub provider, feed sync against a local HTTP server (idempotent; garbage fails the job
// and leaves the source usable), uploads whose bad lines are reported without sinking the good ones.
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

    test('access: invite, approve, decline, list, remove; strangers get 404; reading the shared memory follows', async () => {
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
      assert.equal((await call('GET', `/api/memory/profile/?owner_id=${owner.user.id}`, member.jwt)).statusCode, 404);

      for (const stranger of [owner.jwt, third.key, outsider.jwt]) {
        assert.equal((await call('POST', `/api/access/${grant.id}/approve/`, stranger)).statusCode, 404);
      }
      assert.equal((await call('DELETE', `/api/access/members/${grant.id}/`, third.jwt)).statusCode, 404);
      const approved = await call('POST', `/api/access/${grant.id}/approve/`, member.key);
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal(approved.json().status, 'active');
      assert.equal(approved.json().role, 'member');
      assert.equal((await call('GET', `/api/memory/profile/?owner_id=${owner.user.id}`, member.jwt)).statusCode, 200);
      assert.equal((await call('POST', `/api/access/${grant.id}/decline/`, member.jwt)).statusCode, 409);

      const mine = await call('GET', '/api/access/members/', owner.key);
      assert.deepEqual(mine.json().results.map((g: { id: string; role: string }) => [g.id, g.role]), [[grant.id, 'owner']]);
      assert.equal((await call('GET', '/api/access/members/', third.jwt)).json().count, 0);

      const second = (await call('POST', '/api/access/invite/', owner.jwt, { email: third.user.email.toUpperCase() })).json();
      const declined = await call('POST', `/api/access/${second.id}/decline/`, third.jwt);
      assert.equal(declined.json().status, 'declined');
      assert.equal((await call('GET', `/api/memory/profile/?owner_id=${owner.user.id}`, third.jwt)).statusCode, 404);

      assert.equal((await call('DELETE', `/api/access/members/${grant.id}/`, owner.jwt)).statusCode, 204);
      assert.equal((await call('GET', `/api/memory/profile/?owner_id=${owner.user.id}`, member.jwt)).statusCode, 404);
      assert.equal((await call('DELETE', `/api/access/members/${grant.id}/`, owner.jwt)).statusCode, 404);
    });

    /** An owner with a fact, a profile field and an event; a colleague invited to read it, in the given state. */
    async function sharedWith(state: 'pending' | 'active' | 'declined' | 'removed') {
      const owner = await person('sharer');
      const member = await colleague(owner.user.tenant_id, 'reader');
      const fact = await call('POST', '/api/memory/facts/', owner.jwt, { predicate: 'lives_in', object: 'Lisbon' });
      assert.equal(fact.statusCode, 201, fact.body);
      assert.equal((await call('PATCH', '/api/memory/profile/', owner.jwt, { fields: { nickname: 'Lu' } })).statusCode, 200);
      const recorded = await call('POST', '/api/recording/events/', owner.key, {
        events: [{ client_event_id: 'n1', type: 'note', occurred_at: '2026-04-01T09:00:00Z', payload: { text: 'I play the cello.' } }],
      });
      assert.equal(recorded.statusCode, 201, recorded.body);
      const grant = (await call('POST', '/api/access/invite/', owner.jwt, { username: member.username })).json();
      if (state === 'active' || state === 'removed') assert.equal((await call('POST', `/api/access/${grant.id}/approve/`, member.jwt)).statusCode, 200);
      if (state === 'declined') assert.equal((await call('POST', `/api/access/${grant.id}/decline/`, member.jwt)).statusCode, 200);
      if (state === 'removed') assert.equal((await call('DELETE', `/api/access/members/${grant.id}/`, owner.jwt)).statusCode, 204);
      return { owner, member, grant, factId: fact.json().id as string };
    }

    const memoryReads = (ownerId: string, factId: string) => [
      `/api/memory/profile/?owner_id=${ownerId}`,
      `/api/memory/facts/?owner_id=${ownerId}`,
      `/api/memory/facts/${factId}/?owner_id=${ownerId}`,
      `/api/memory/episodes/?owner_id=${ownerId}`,
      `/api/memory/raw/?owner_id=${ownerId}&limit=10`,
      `/api/memory/context/?owner_id=${ownerId}`,
    ];

    test("shared memory: an approved member reads the owner's memory with owner_id, and the owner sees each read", async () => {
      const { owner, member, grant, factId } = await sharedWith('active');
      const ownerId = owner.user.id;
      for (const headers of [member.jwt, member.key]) {
        for (const url of memoryReads(ownerId, factId)) {
          const res = await call('GET', url, headers);
          assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
        }
      }
      const facts = (await call('GET', `/api/memory/facts/?owner_id=${ownerId}`, member.jwt)).json();
      assert.deepEqual(facts.results.map((f: { object: string }) => f.object), ['Lisbon']);
      assert.equal((await call('GET', `/api/memory/profile/?owner_id=${ownerId}`, member.key)).json().fields.nickname, 'Lu');
      const raw = (await call('GET', `/api/memory/raw/?owner_id=${ownerId}`, member.jwt)).json();
      assert.deepEqual(raw.results.map((e: { client_event_id: string }) => e.client_event_id), ['n1']);
      assert.match((await call('GET', `/api/memory/context/?owner_id=${ownerId}`, member.jwt)).json().text, /Lisbon/);
      assert.equal((await call('GET', '/api/memory/facts/', member.jwt)).json().count, 0, 'without owner_id a member reads their own memory');

      const reads = await call('GET', '/api/access/reads/?limit=200', owner.jwt);
      assert.equal(reads.statusCode, 200, reads.body);
      const log = reads.json();
      const expected = 2 * memoryReads(ownerId, factId).length + 4;
      assert.equal(log.count, expected, 'every read by the member, and only those, is logged');
      assert.ok(log.results.every((r: { member_id: string; grant_id: string }) => r.member_id === member.user.id && r.grant_id === grant.id));
      assert.ok(log.results.some((r: { path: string }) => r.path === `/api/memory/facts/${factId}/`), 'the path read, without its query');
      assert.ok(log.results.every((r: { read_at: string }) => !Number.isNaN(Date.parse(r.read_at))));
      assert.equal((await call('GET', `/api/access/reads/?member_id=${member.user.id}&limit=1`, owner.key)).json().count, expected);
      assert.equal((await call('GET', '/api/access/reads/', member.jwt)).json().count, 0, "the member's own memory was not read");
      const outsider = await person('reads-outsider');
      assert.equal((await call('GET', '/api/access/reads/', outsider.jwt)).json().count, 0, "another tenant's user sees none of this log");
      assert.equal((await call('GET', `/api/access/reads/?member_id=${member.user.id}`, outsider.key)).json().count, 0);

      assert.equal((await call('GET', `/api/memory/facts/?owner_id=${ownerId}`, owner.jwt)).statusCode, 200);
      assert.equal((await call('GET', '/api/access/reads/', owner.jwt)).json().count, expected, "the owner's own reads are not logged");

      assert.equal((await call('DELETE', `/api/access/members/${grant.id}/`, owner.jwt)).statusCode, 204);
      assert.equal((await call('GET', `/api/memory/facts/?owner_id=${ownerId}`, member.jwt)).statusCode, 404, 'removed: no more reads');
      assert.equal((await call('GET', '/api/access/reads/', owner.jwt)).json().count, expected, 'the log outlives the grant');
    });

    test("shared memory: a member's writes are refused with 403 and change nothing", async () => {
      const { owner, member, factId } = await sharedWith('active');
      const q = `?owner_id=${owner.user.id}`;
      const writes: [Method, string, unknown][] = [
        ['PATCH', `/api/memory/profile/${q}`, { fields: { nickname: 'Hacked' } }],
        ['POST', `/api/memory/facts/${q}`, { predicate: 'lives_in', object: 'Mars' }],
        ['PATCH', `/api/memory/facts/${factId}/${q}`, { object: 'Mars' }],
        ['DELETE', `/api/memory/facts/${factId}/${q}`, undefined],
        ['POST', `/api/memory/promote/${q}`, undefined],
      ];
      for (const headers of [member.jwt, member.key]) {
        for (const [method, url, payload] of writes) {
          const res = await call(method, url, headers, payload);
          assert.equal(res.statusCode, 403, `${method} ${url}: ${res.body}`);
          assert.equal(res.json().code, 'forbidden');
          assert.equal(typeof res.json().error, 'string');
        }
      }
      const facts = (await call('GET', '/api/memory/facts/?status=all', owner.jwt)).json();
      assert.deepEqual(facts.results.map((f: { object: string; status: string }) => [f.object, f.status]), [['Lisbon', 'active']]);
      assert.equal((await call('GET', '/api/memory/profile/', owner.jwt)).json().fields.nickname, 'Lu');
      assert.equal((await call('GET', '/api/memory/facts/', member.jwt)).json().count, 0, "nothing landed in the member's own memory either");
      assert.equal((await call('GET', '/api/access/reads/', owner.jwt)).json().count, 0, 'refused writes are not reads');
    });

    test('shared memory: pending, declined and removed members, colleagues and outsiders get 404', async () => {
      for (const state of ['pending', 'declined', 'removed'] as const) {
        const { owner, member, factId } = await sharedWith(state);
        for (const headers of [member.jwt, member.key]) {
          for (const url of memoryReads(owner.user.id, factId)) {
            const res = await call('GET', url, headers);
            assert.equal(res.statusCode, 404, `${state} ${url}: ${res.body}`);
            assert.equal(res.json().code, 'not_found');
          }
          const write = await call('POST', `/api/memory/facts/?owner_id=${owner.user.id}`, headers, { predicate: 'lives_in', object: 'Mars' });
          assert.equal(write.statusCode, 404, `${state} write`);
        }
        assert.equal((await call('GET', '/api/access/reads/', owner.jwt)).json().count, 0, `${state}: nothing read, nothing logged`);
      }
      const { owner, factId } = await sharedWith('active');
      const bystander = await colleague(owner.user.tenant_id, 'bystander');
      const outsider = await person('far');
      for (const headers of [bystander.jwt, outsider.key]) {
        for (const url of memoryReads(owner.user.id, factId)) assert.equal((await call('GET', url, headers)).statusCode, 404, url);
      }
      assert.equal((await call('GET', '/api/memory/facts/?owner_id=01a21342-0000-7000-8000-000000000000', owner.jwt)).statusCode, 404, 'unknown owner');
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

    test('upload sync: bad lines are listed with line and reason, good ones imported once, and the job completes', async () => {
      const a = await person('lines');
      const source = (await call('POST', '/api/sources/', a.jwt, { name: 'Export', type: 'upload' })).json();
      const jsonl = [
        '{"client_event_id":"g1","type":"note","payload":{"text":"I like tea."}}',
        '{"client_event_id":"g2","type":"note"', // cut off
        '',
        '{"client_event_id":"g3","payload":{"text":"no type"}}',
        '{"client_event_id":"g4","type":"note","occurred_at":"2026-04-01T09:00:00Z","payload":{"text":"I run on Sundays."}}',
        '["not", "an", "object"]',
        '{"client_event_id":"g1","type":"note","payload":{"text":"I like coffee."}}',
      ].join('\r\n');
      const expectedInvalid = [
        { line: 2, reason: 'not valid JSON' },
        { line: 4, reason: 'type is required' },
        { line: 6, reason: 'not an object' },
        { line: 7, reason: 'client_event_id g1 was already imported with a different body' },
      ];
      for (const [i, headers] of [a.jwt, a.key].entries()) {
        const sync = await call('POST', `/api/sources/${source.id}/sync/`, headers, { jsonl });
        assert.equal(sync.statusCode, 202, sync.body);
        assert.equal(await runSyncJobs(), 1);
        const job = await call('GET', `/api/jobs/${sync.json().job_id}/`, headers);
        assert.equal(job.statusCode, 200, job.body);
        assert.equal(job.json().status, 'completed', 'bad lines alone do not fail the job');
        assert.deepEqual(job.json().result, { created: i === 0 ? 2 : 0, duplicates: i === 0 ? 0 : 2, changed: 0, invalid: expectedInvalid });

        const current = (await call('GET', `/api/sources/${source.id}/`, headers)).json();
        assert.equal(current.status, 'ok');
        assert.equal(current.items_imported, 2);
        assert.equal(
          current.last_error,
          '4 of 6 lines not imported: line 2: not valid JSON; line 4: type is required; line 6: not an object; line 7: client_event_id g1 was already imported with a different body',
        );
      }
      const raw = (await call('GET', '/api/memory/raw/', a.jwt)).json();
      assert.deepEqual(raw.results.map((e: { payload: { text: string } }) => e.payload.text).sort(), ['I like tea.', 'I run on Sundays.']);

      const clean = await call('POST', `/api/sources/${source.id}/sync/`, a.jwt, { jsonl: '{"client_event_id":"g5","type":"note","payload":{"text":"I swim."}}' });
      await runSyncJobs();
      assert.deepEqual((await call('GET', `/api/jobs/${clean.json().job_id}/`, a.jwt)).json().result.invalid, []);
      assert.equal((await call('GET', `/api/sources/${source.id}/`, a.jwt)).json().last_error, null, 'a clean sync clears the list');

      const many = Array.from({ length: 12 }, (_, i) => `bad ${i}`).join('\n');
      await call('POST', `/api/sources/${source.id}/sync/`, a.jwt, { jsonl: many });
      await runSyncJobs();
      const afterMany = (await call('GET', `/api/sources/${source.id}/`, a.jwt)).json();
      assert.equal(afterMany.status, 'ok');
      assert.match(afterMany.last_error, /^12 of 12 lines not imported: line 1: not valid JSON; .*line 10: not valid JSON; and 2 more \(see the job's result\)$/);
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
