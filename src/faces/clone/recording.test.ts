// The recording face's /api/recording/…/ routes over HTTP on both engines: batch ingest with per-item
// validation, idempotency per user under concurrent retries, the event log and sessions, both credentials.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { App } from '../../app.js';
import { createTestApp } from '../../testing/app.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../../testing/db.js';

type Method = 'GET' | 'POST';
const t0 = Date.UTC(2026, 3, 1, 9, 0, 0);
const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();

for (const { engine, skip } of await testEngines()) {
  describe(`recording face: /api/recording/ routes (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    let ip = 0;
    let names = 0;
    let jwt: Record<string, string>;
    let key: Record<string, string>;

    const call = (method: Method, url: string, headers: Record<string, string>, payload?: unknown) =>
      app.http.inject({ method, url, headers, remoteAddress: `10.2.0.${(ip++ % 200) + 1}`, ...(payload === undefined ? {} : { payload: payload as object }) });

    async function signUp() {
      const username = `rec-${++names}`;
      const res = await call('POST', '/api/auth/signup/', {}, { username, email: `${username}@example.test`, password: 'correct horse battery' });
      assert.equal(res.statusCode, 201, res.body);
      const access = { authorization: `Bearer ${res.json().access as string}` };
      const created = await call('POST', '/api/auth/api-keys/', access, { name: 'recorder' });
      assert.equal(created.statusCode, 201, created.body);
      return { jwt: access, key: { 'x-clone-api-key': created.json().key as string } };
    }

    before(async () => {
      db = await createTestDatabase(engine);
      app = await createTestApp(db);
      ({ jwt, key } = await signUp());
    });
    after(async () => {
      await app?.http.close();
      await db?.cleanup();
    });

    test('a batch keeps its valid items and lists the invalid ones; a retry with the API key is all duplicates', async () => {
      const events = [
        { client_event_id: 'a-1', type: 'note', occurred_at: at(1), session_id: 'morning', payload: { text: 'I live in Porto.' } },
        { client_event_id: 'a-2', type: 'note', payload: { text: 'no time' } },
        { client_event_id: 'a-3', type: 'message', occurred_at: at(2), session_id: 'morning', payload: { text: 'I love hiking.', speaker: 'me' } },
        { client_event_id: 'a-4', type: 'note', occurred_at: at(3), payload: 'not an object' },
        'not an event',
        { client_event_id: 'a-5', type: 'action', occurred_at: at(4), payload: { name: 'opened_app' } },
      ];
      const res = await call('POST', '/api/recording/events/', jwt, { events });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json();
      assert.deepEqual(body.created.map((e: any) => e.client_event_id), ['a-1', 'a-3', 'a-5']);
      assert.deepEqual(body.duplicates, []);
      assert.deepEqual(body.invalid.map((i: any) => i.index), [1, 3, 4]);
      assert.match(body.invalid[0].reason, /occurred_at/);
      assert.match(body.invalid[1].reason, /payload/);
      assert.equal(body.created[0].text, 'I live in Porto.');
      assert.equal(body.created[0].occurred_at, at(1));
      assert.equal(body.created[0].status, 'received');
      assert.equal(body.created[0].session_id, body.created[1].session_id);
      assert.ok(body.created[0].session_id);

      const again = await call('POST', '/api/recording/events/', key, { events });
      assert.equal(again.statusCode, 201, again.body);
      assert.deepEqual(again.json().created, []);
      assert.deepEqual(again.json().duplicates.map((e: any) => e.id), body.created.map((e: any) => e.id));

      const changed = await call('POST', '/api/recording/events/', key, { events: [{ ...(events[0] as object), payload: { text: 'changed' } }] });
      assert.equal(changed.statusCode, 201);
      assert.equal(changed.json().invalid.length, 1);
      assert.match(changed.json().invalid[0].reason, /different body/);
    });

    test('the outer shape is still checked: not a list, or more than 1,000 items, is a 400', async () => {
      const notList = await call('POST', '/api/recording/events/', jwt, { events: 'nope' });
      assert.equal(notList.statusCode, 400);
      assert.equal(typeof notList.json().error, 'string');
      const many = Array.from({ length: 1001 }, (_, i) => ({ client_event_id: `m-${i}`, type: 'note', occurred_at: at(i), payload: {} }));
      assert.equal((await call('POST', '/api/recording/events/', jwt, { events: many })).statusCode, 400);
    });

    test('10 concurrent retries of one batch store each event once', async () => {
      const me = await signUp();
      const events = Array.from({ length: 20 }, (_, i) => ({ client_event_id: `c-${i}`, type: 'note', occurred_at: at(i), session_id: 'race', payload: { text: `note ${i}` } }));
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => call('POST', '/api/recording/events/', i % 2 ? me.jwt : me.key, { events })));
      for (const r of results) assert.equal(r.statusCode, 201, r.body);
      const created = results.flatMap((r) => r.json().created.map((e: any) => e.id));
      assert.equal(created.length, 20);
      assert.equal(new Set(created).size, 20);
      for (const r of results) assert.equal(r.json().created.length + r.json().duplicates.length, 20);
      const list = await call('GET', '/api/recording/events/?limit=200', me.jwt);
      assert.equal(list.json().count, 20);
      const sessions = await call('GET', '/api/recording/sessions/', me.key);
      assert.equal(sessions.json().count, 1);
      assert.equal(sessions.json().results[0].client_session_id, 'race');
    });

    test("two users' equal client_event_ids do not collide", async () => {
      const a = await signUp();
      const b = await signUp();
      const events = [{ client_event_id: '1', type: 'note', occurred_at: at(0), payload: { text: 'mine' } }];
      const ra = await call('POST', '/api/recording/events/', a.jwt, { events });
      const rb = await call('POST', '/api/recording/events/', b.key, { events: [{ ...events[0], payload: { text: 'theirs' } }] });
      assert.equal(ra.json().created.length, 1);
      assert.equal(rb.json().created.length, 1);
      assert.deepEqual(rb.json().invalid, []);
    });

    test('events list filters by type and time, pages, and shows details; sessions list and detail', async () => {
      const all = await call('GET', '/api/recording/events/', jwt);
      assert.equal(all.statusCode, 200, all.body);
      assert.equal(all.json().count, 3);
      assert.deepEqual(all.json().results.map((e: any) => e.client_event_id), ['a-5', 'a-3', 'a-1']);
      const notes = await call('GET', '/api/recording/events/?type=note', key);
      assert.deepEqual(notes.json().results.map((e: any) => e.client_event_id), ['a-1']);
      const window = await call('GET', `/api/recording/events/?since=${encodeURIComponent(at(2))}&until=${encodeURIComponent(at(3))}`, jwt);
      assert.deepEqual(window.json().results.map((e: any) => e.client_event_id), ['a-3']);
      const page = await call('GET', '/api/recording/events/?limit=1&offset=1', jwt);
      assert.equal(page.json().count, 3);
      assert.deepEqual(page.json().results.map((e: any) => e.client_event_id), ['a-3']);
      assert.equal((await call('GET', '/api/recording/events/?since=yesterday', jwt)).statusCode, 400);

      const id = all.json().results[2].id as string;
      const detail = await call('GET', `/api/recording/events/${id}/`, key);
      assert.equal(detail.statusCode, 200, detail.body);
      assert.equal(detail.json().payload.text, 'I live in Porto.');
      assert.equal((await call('GET', '/api/recording/events/nope/', jwt)).statusCode, 404);

      const sessions = await call('GET', '/api/recording/sessions/', jwt);
      assert.equal(sessions.json().count, 1);
      const session = sessions.json().results[0];
      assert.equal(session.client_session_id, 'morning');
      assert.equal(session.session_type, 'recording');
      const one = await call('GET', `/api/recording/sessions/${session.id}/`, key);
      assert.equal(one.statusCode, 200, one.body);
      assert.equal(one.json().status, 'active');
      assert.equal((await call('GET', '/api/recording/sessions/nope/', jwt)).statusCode, 404);
    });
  });
}
