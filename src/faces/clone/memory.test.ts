// The recording face's /api/memory/…/ routes over HTTP on both engines, with a real worker: facts with
// history, the profile, promotion, episodes, raw memory, context, and no user reaching another's rows.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type App, createWorker } from '../../app.js';
import type { Worker } from '../../platform/worker.js';
import { createTestApp } from '../../testing/app.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../../testing/db.js';
import { waitFor } from '../../testing/wait.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const t0 = Date.UTC(2026, 3, 1, 9, 0, 0);
const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();

/** Rows user A owns; user B asking for them must get 404, as if they did not exist. */
interface Owned {
  eventId: string;
  sessionId: string;
  factId: string;
  episodeId: string;
}

const othersRowsNotFound: { what: string; method: Method; url: (a: Owned) => string; payload?: unknown }[] = [
  { what: 'read their event', method: 'GET', url: (a) => `/api/recording/events/${a.eventId}/` },
  { what: 'read their session', method: 'GET', url: (a) => `/api/recording/sessions/${a.sessionId}/` },
  { what: 'read their fact', method: 'GET', url: (a) => `/api/memory/facts/${a.factId}/` },
  { what: 'change their fact', method: 'PATCH', url: (a) => `/api/memory/facts/${a.factId}/`, payload: { object: 'Mars' } },
  { what: 'retract their fact', method: 'DELETE', url: (a) => `/api/memory/facts/${a.factId}/` },
  { what: 'read their episode', method: 'GET', url: (a) => `/api/memory/episodes/${a.episodeId}/` },
];

for (const { engine, skip } of await testEngines()) {
  describe(`recording face: /api/memory/ routes (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    let worker: Worker;
    let ip = 0;
    let names = 0;
    let jwt: Record<string, string>;
    let key: Record<string, string>;

    const call = (method: Method, url: string, headers: Record<string, string>, payload?: unknown) =>
      app.http.inject({ method, url, headers, remoteAddress: `10.3.0.${(ip++ % 200) + 1}`, ...(payload === undefined ? {} : { payload: payload as object }) });

    async function signUp() {
      const username = `mem-${++names}`;
      const res = await call('POST', '/api/auth/signup/', {}, { username, email: `${username}@example.test`, password: 'correct horse battery' });
      assert.equal(res.statusCode, 201, res.body);
      const access = { authorization: `Bearer ${res.json().access as string}` };
      const created = await call('POST', '/api/auth/api-keys/', access, { name: 'memory' });
      assert.equal(created.statusCode, 201, created.body);
      return { jwt: access, key: { 'x-clone-api-key': created.json().key as string } };
    }

    async function record(headers: Record<string, string>, events: { id: string; text: string; minute: number; session?: string }[]) {
      const res = await call('POST', '/api/recording/events/', headers, {
        events: events.map((e) => ({ client_event_id: e.id, type: 'note', occurred_at: at(e.minute), payload: { text: e.text }, ...(e.session ? { session_id: e.session } : {}) })),
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().created as { id: string; session_id: string | null }[];
    }

    const processed = (headers: Record<string, string>, id: string) =>
      waitFor(`event ${id} processed`, async () => {
        const e = (await call('GET', `/api/recording/events/${id}/`, headers)).json();
        return e.status === 'processed' ? (e as { episode_id: string; fact_ids: string[] }) : undefined;
      });

    before(async () => {
      db = await createTestDatabase(engine);
      app = await createTestApp(db);
      worker = createWorker(app.core, { pollMs: 20 });
      worker.start();
      ({ jwt, key } = await signUp());
    });
    after(async () => {
      await worker?.stop(5000);
      await app?.http.close();
      await db?.cleanup();
    });

    test('facts: create, change by superseding (history kept), retract; lists show current by default', async () => {
      const created = await call('POST', '/api/memory/facts/', jwt, { predicate: 'lives_in', object: 'Lisbon' });
      assert.equal(created.statusCode, 201, created.body);
      const lisbon = created.json();
      assert.equal(lisbon.source, 'user');
      assert.equal(lisbon.confidence, 1);
      assert.equal(lisbon.statement, 'lives in Lisbon');
      assert.deepEqual(lisbon.evidence, []);
      assert.deepEqual(Object.keys(lisbon).sort(), [
        'about', 'category', 'confidence', 'confirmations', 'effective_confidence', 'evidence', 'id', 'object', 'positive', 'predicate',
        'recorded_at', 'source', 'statement', 'status', 'superseded_by', 'valid_from', 'valid_to',
      ]);
      assert.match(lisbon.recorded_at, /^\d{4}-\d\d-\d\dT/);
      assert.equal(lisbon.valid_to, null);

      const changed = await call('PATCH', `/api/memory/facts/${lisbon.id}/`, key, { object: 'Porto' });
      assert.equal(changed.statusCode, 200, changed.body);
      const porto = changed.json();
      assert.notEqual(porto.id, lisbon.id);
      assert.equal(porto.object, 'Porto');
      assert.equal(porto.statement, 'lives in Porto');
      assert.deepEqual(porto.history.map((h: any) => h.id), [lisbon.id]);
      const old = (await call('GET', `/api/memory/facts/${lisbon.id}/`, jwt)).json();
      assert.equal(old.status, 'superseded');
      assert.equal(old.superseded_by, porto.id);
      assert.ok(old.valid_to);
      assert.equal((await call('PATCH', `/api/memory/facts/${lisbon.id}/`, jwt, { object: 'Faro' })).statusCode, 409);
      assert.equal((await call('PATCH', `/api/memory/facts/${porto.id}/`, jwt, {})).statusCode, 400);

      const current = (await call('GET', '/api/memory/facts/?predicate=lives_in', jwt)).json();
      assert.deepEqual(current.results.map((f: any) => f.object), ['Porto']);
      const all = (await call('GET', '/api/memory/facts/?predicate=lives_in&status=all', key)).json();
      assert.equal(all.count, 2);

      const likes = (await call('POST', '/api/memory/facts/', key, { predicate: 'likes', object: 'green tea' })).json();
      assert.equal((await call('DELETE', `/api/memory/facts/${likes.id}/`, jwt)).statusCode, 204);
      assert.equal((await call('GET', `/api/memory/facts/${likes.id}/`, jwt)).json().status, 'retracted');
      assert.equal((await call('DELETE', `/api/memory/facts/${likes.id}/`, jwt)).statusCode, 404);
      const listed = (await call('GET', '/api/memory/facts/?predicate=likes', jwt)).json();
      assert.equal(listed.count, 0);
      assert.equal((await call('POST', '/api/memory/facts/', jwt, { predicate: 'Lives In', object: 'x' })).statusCode, 400);
      assert.equal((await call('GET', '/api/memory/facts/nope/', jwt)).statusCode, 404);
    });

    test('profile: derived from current facts; your own fields outrank them; null removes yours', async () => {
      await call('POST', '/api/memory/facts/', jwt, { predicate: 'job_title', object: 'nurse', category: 'occupation' });
      await call('POST', '/api/memory/facts/', jwt, { predicate: 'likes', object: 'hiking' });
      const derived = (await call('GET', '/api/memory/profile/', key)).json();
      assert.equal(derived.fields.job_title, 'nurse');
      assert.equal(derived.fields.lives_in, 'Porto');
      assert.deepEqual(derived.fields.likes, ['hiking']);

      const patched = await call('PATCH', '/api/memory/profile/', jwt, { fields: { job_title: 'teacher', nickname: 'M', links: { site: 'x' } } });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.equal(patched.json().fields.job_title, 'teacher');
      assert.equal(patched.json().derived.job_title, 'nurse');
      assert.deepEqual(patched.json().fields.links, { site: 'x' });

      const removed = (await call('PATCH', '/api/memory/profile/', key, { fields: { job_title: null } })).json();
      assert.equal(removed.fields.job_title, 'nurse');
      assert.equal(removed.fields.nickname, 'M');
      assert.equal((await call('PATCH', '/api/memory/profile/', key, { fields: 'nope' })).statusCode, 400);
    });

    test('recorded events are promoted into episodes and facts; raw/ and episodes/ list them; context/ mentions them', async () => {
      const me = await signUp();
      const created = await record(me.key, [
        { id: 'p-1', text: 'I work as a baker at Padaria Central.', minute: 1, session: 'day-1' },
        { id: 'p-2', text: 'I love climbing.', minute: 2, session: 'day-1' },
      ]);
      const promote = await call('POST', '/api/memory/promote/', me.jwt);
      assert.ok([200, 201].includes(promote.statusCode), promote.body);
      assert.equal(promote.json().kind, 'memory.promote');
      assert.ok(promote.json().id);

      const first = await processed(me.jwt, created[0]!.id);
      await processed(me.jwt, created[1]!.id);
      assert.ok(first.fact_ids.length > 0);

      const episodes = (await call('GET', '/api/memory/episodes/', me.key)).json();
      assert.equal(episodes.count, 2);
      const episode = await call('GET', `/api/memory/episodes/${first.episode_id}/`, me.jwt);
      assert.equal(episode.statusCode, 200, episode.body);
      assert.equal(episode.json().event_id, created[0]!.id);
      const windowed = (await call('GET', `/api/memory/episodes/?until=${encodeURIComponent(at(1))}`, me.jwt)).json();
      assert.equal(windowed.count, 1);

      const raw = (await call('GET', '/api/memory/raw/', me.jwt)).json();
      assert.equal(raw.count, 2);
      assert.equal(raw.results[0].source, 'recording');

      const idle = await call('POST', '/api/memory/promote/', me.key);
      const again = await call('POST', '/api/memory/promote/', me.key);
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().id, idle.json().id);
      assert.equal(again.json().pending_events, 0);

      const facts = (await call('GET', '/api/memory/facts/', me.jwt)).json();
      assert.ok(facts.results.some((f: any) => /climbing/.test(f.object)), JSON.stringify(facts.results.map((f: any) => f.statement)));

      const context = await call('GET', '/api/memory/context/?query=what%20do%20I%20do%20for%20work&max_tokens=400', me.key);
      assert.equal(context.statusCode, 200, context.body);
      assert.match(context.json().text, /baker/);
      assert.ok(context.json().token_count <= 400);
      assert.equal(context.json().max_tokens, 400);
      assert.ok(context.json().sections.some((s: any) => s.name === 'episodes'));
    });

    test("another user gets 404 for every one of A's rows, and never sees them listed", async () => {
      const a = await signUp();
      const b = await signUp();
      const [event] = await record(a.jwt, [{ id: 'x-1', text: 'I live in Oslo.', minute: 5, session: 'mine' }]);
      const fact = (await call('POST', '/api/memory/facts/', a.jwt, { predicate: 'likes', object: 'skiing' })).json();
      const { episode_id: episodeId } = await processed(a.jwt, event!.id);
      const owned: Owned = { eventId: event!.id, sessionId: event!.session_id!, factId: fact.id, episodeId };
      for (const row of othersRowsNotFound) {
        for (const headers of [b.jwt, b.key]) {
          const res = await call(row.method, row.url(owned), headers, row.payload);
          assert.equal(res.statusCode, 404, `${row.what}: ${res.body}`);
          assert.equal(typeof res.json().error, 'string');
        }
      }
      assert.equal((await call('GET', `/api/memory/facts/${fact.id}/`, a.jwt)).json().status, 'active');
      for (const url of ['/api/recording/events/', '/api/recording/sessions/', '/api/memory/facts/', '/api/memory/episodes/', '/api/memory/raw/']) {
        assert.equal((await call('GET', url, b.key)).json().count, 0, url);
      }
      assert.doesNotMatch((await call('GET', '/api/memory/context/', b.jwt)).json().text, /Oslo|skiing/);
    });
  });
}
