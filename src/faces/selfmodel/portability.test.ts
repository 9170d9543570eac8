// Exporting and importing a user over HTTP, on both engines: a conversation processed by a real worker is
// exported, erased and imported again, and comes back the same (ids aside) — document, context, duplicates.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type App, createWorker } from '../../app.js';
import { ManualClock } from '../../platform/clock.js';
import type { Worker } from '../../platform/worker.js';
import type { SubjectDocument } from '../../portability/schemas.js';
import { createTestApp } from '../../testing/app.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../../testing/db.js';
import { waitFor } from '../../testing/wait.js';

const day = 86_400_000;
const start = Date.UTC(2026, 2, 1, 10, 0, 0);

const turns: string[] = [
  'Hi! My name is Maya.',
  'I live in Lisbon with my partner.',
  'I work as a nurse at Santa Maria hospital.',
  'I love hiking on weekends.',
  "I'm vegetarian, so I don't eat meat.",
  'I have a dog named Pixel.',
  'I moved from Lisbon to Porto yesterday.',
  'I started a new job as a teacher.',
  'I live in Porto now and I like it.',
  'I dislike crowded places.',
  'Next month I am going to Japan.',
  'I still love hiking.',
];

type Rows = 'sessions' | 'events' | 'episodes' | 'beliefs';

/** Old id → new id, by position: an import keeps the order of ids, so rows line up. */
function idMapOf(a: SubjectDocument, b: SubjectDocument): Map<string, string> {
  const map = new Map([
    [a.subject.id, b.subject.id],
    [a.subject.self_model_id, b.subject.self_model_id],
  ]);
  for (const list of ['sessions', 'events', 'episodes', 'beliefs'] as Rows[]) {
    assert.equal(a[list].length, b[list].length, list);
    a[list].forEach((row, i) => map.set(row.id, b[list][i]!.id));
  }
  return map;
}

function mapIds(value: unknown, map: Map<string, string>): unknown {
  if (typeof value === 'string') return map.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => mapIds(v, map));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapIds(v, map)]));
  return value;
}

/** The parts that must survive: everything but when it was exported and the hashes, which name the subject. */
const comparable = (doc: SubjectDocument) => ({ ...doc, exported_at: null, events: doc.events.map((e) => ({ ...e, content_hash: null })) });

for (const { engine, skip } of await testEngines()) {
  describe(`self-model export and import (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    let worker: Worker;
    let keyA: string;
    let keyB: string;
    let original: SubjectDocument;
    let originalContext: { aiReady: any; raw: any };
    let restoredId: string;
    const clock = new ManualClock(Date.UTC(2026, 4, 1, 12, 0, 0));

    const call = (key: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
      app.http.inject({ method, url, headers: { 'x-api-key': key }, ...(payload === undefined ? {} : { payload: payload as object }) });
    const exportOf = async (key: string, userId: string) => {
      const res = await call(key, 'GET', `/external/users/${userId}/export`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as SubjectDocument;
    };
    const contextOf = async (key: string, userId: string) => ({
      aiReady: (await call(key, 'POST', '/external/context', { user_id: userId, format: 'ai_ready' })).json().ai_ready,
      raw: (await call(key, 'POST', '/external/context', { user_id: userId, format: 'raw' })).json().raw,
    });
    const processed = (key: string, envelopeId: string) =>
      waitFor(`${envelopeId} processed`, async () => {
        const s = (await call(key, 'GET', `/external/input/${envelopeId}/status`)).json();
        assert.notEqual(s.status, 'failed', s.error_message);
        return s.status === 'processed' ? s : undefined;
      });

    before(async () => {
      db = await createTestDatabase(engine);
      app = await createTestApp(db, { clock });
      worker = createWorker(app.core, { pollMs: 20 });
      worker.start();
      keyA = (await app.core.auth.createCredential((await app.core.tenants.create('a')).id, { kind: 'selfmodel' })).secret;
      keyB = (await app.core.auth.createCredential((await app.core.tenants.create('b')).id, { kind: 'selfmodel' })).secret;

      const onboarded = await call(keyA, 'POST', '/external/onboarding', {
        external_id: 'maya',
        email: 'maya@example.test',
        display_name: 'Maya',
        metadata: { plan: 'pro', tags: ['beta'] },
      });
      const user = onboarded.json().user_id as string;
      const session = (await call(keyA, 'POST', '/external/sessions', { user_id: user, session_type: 'chat', expected_episode_count: turns.length })).json();
      for (const [i, text] of turns.entries()) {
        const res = await call(keyA, 'POST', '/external/input', {
          envelope_id: `maya-${i}`,
          user_id: user,
          input_type: 'conversation_turn',
          timestamp: new Date(start + i * day).toISOString(),
          data: { speaker: 'Maya', text },
          session_id: session.session_id,
        });
        assert.equal(res.statusCode, 200, res.body);
      }
      // Without a timestamp or a session: its hash is taken over the envelope as sent.
      await call(keyA, 'POST', '/external/input', { envelope_id: 'maya-note', user_id: user, input_type: 'note', data: { text: 'I enjoy reading science fiction.' } });
      for (let i = 0; i < turns.length; i++) await processed(keyA, `maya-${i}`);
      await processed(keyA, 'maya-note');
      assert.equal((await call(keyA, 'GET', `/external/sessions/${session.session_id}`)).json().status, 'completed');
      original = await exportOf(keyA, user);
      originalContext = await contextOf(keyA, user);
    });
    after(async () => {
      await worker?.stop(5000);
      await app?.http.close();
      await db?.cleanup();
    });

    test('the export holds every row of the user, with instants as ISO strings', () => {
      assert.equal(original.format, 'engram.subject');
      assert.equal(original.version, 1);
      assert.equal(original.subject.external_id, 'maya');
      assert.deepEqual(original.subject.metadata, { plan: 'pro', tags: ['beta'] });
      assert.equal(original.sessions.length, 1);
      assert.equal(original.sessions[0]!.status, 'completed');
      assert.equal(original.events.length, turns.length + 1);
      assert.ok(original.events.every((e) => e.status === 'processed' && e.episode_id !== null));
      assert.equal(original.episodes.length, turns.length + 1);
      assert.ok(original.evidence.length >= original.beliefs.length);
      const lisbon = original.beliefs.find((b) => b.predicate === 'lives_in' && b.object === 'Lisbon');
      assert.equal(lisbon?.status, 'superseded');
      assert.ok(original.beliefs.some((b) => b.id === lisbon.superseded_by), 'superseded by a belief in the document');
      assert.match(original.events[0]!.occurred_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    test('export, erase, import: the same document and the same context under new ids', async () => {
      assert.equal((await call(keyA, 'DELETE', `/external/users/${original.subject.id}`)).statusCode, 200);
      assert.equal((await call(keyA, 'GET', `/external/users/${original.subject.id}/export`)).statusCode, 404);

      const res = await call(keyA, 'POST', '/external/users/import', original);
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json();
      restoredId = body.user_id;
      assert.notEqual(restoredId, original.subject.id);
      assert.notEqual(body.self_model_id, original.subject.self_model_id);
      assert.deepEqual(body.counts, {
        sessions: original.sessions.length,
        events: original.events.length,
        episodes: original.episodes.length,
        beliefs: original.beliefs.length,
        evidence: original.evidence.length,
      });

      const restored = await exportOf(keyA, restoredId);
      const ids = idMapOf(original, restored);
      assert.equal(new Set(ids.values()).size, ids.size, 'every id is new and distinct');
      for (const [from, to] of ids) assert.notEqual(from, to);
      assert.deepEqual(comparable(restored), mapIds(comparable(original), ids));

      const context = await contextOf(keyA, restoredId);
      assert.deepEqual(context.aiReady, originalContext.aiReady);
      assert.deepEqual(context.raw, mapIds(originalContext.raw, ids));
      assert.equal((await call(keyA, 'GET', '/external/onboarding?external_id=maya')).json().user_id, restoredId);
    });

    test('a re-sent envelope after the import is a duplicate, and nothing is queued for imported events', async () => {
      const restored = await exportOf(keyA, restoredId);
      const sessionId = restored.sessions[0]!.id;
      const again = await call(keyA, 'POST', '/external/input', {
        envelope_id: 'maya-3',
        user_id: restoredId,
        input_type: 'conversation_turn',
        timestamp: new Date(start + 3 * day).toISOString(),
        data: { speaker: 'Maya', text: turns[3] },
        session_id: sessionId,
      });
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(again.json().duplicate, true);
      assert.equal(again.json().event_id, restored.events.find((e) => e.envelope_id === 'maya-3')!.id);
      const note = await call(keyA, 'POST', '/external/input', {
        envelope_id: 'maya-note',
        user_id: restoredId,
        input_type: 'note',
        data: { text: 'I enjoy reading science fiction.' },
      });
      assert.equal(note.json().duplicate, true, note.body);
      const status = await call(keyA, 'GET', '/external/input/maya-3/status');
      assert.equal(status.json().status, 'processed');
      const jobs = await app.core.database.db.selectFrom('jobs').select('payload').execute();
      const restoredEvents = new Set(restored.events.map((e) => e.id));
      assert.ok(jobs.every((j) => !restoredEvents.has((JSON.parse(j.payload) as { eventId: string }).eventId)));
    });

    test('importing twice is a 409; as a new user it lands beside the original', async () => {
      const twice = await call(keyA, 'POST', '/external/users/import', original);
      assert.equal(twice.statusCode, 409, twice.body);
      assert.equal(twice.json().error.code, 'conflict');
      assert.match(twice.json().error.message, /external_id maya/);
      const anonymous = { ...original, subject: { ...original.subject, external_id: null, email: null } };
      const envelopes = await call(keyA, 'POST', '/external/users/import', anonymous);
      assert.equal(envelopes.statusCode, 409, envelopes.body);
      assert.match(envelopes.json().error.message, /Envelope maya-\S+ is already stored/);

      const copy = await call(keyA, 'POST', '/external/users/import?as_new_user=true', original);
      assert.equal(copy.statusCode, 201, copy.body);
      const copyId = copy.json().user_id as string;
      assert.notEqual(copyId, restoredId);
      const copied = await exportOf(keyA, copyId);
      assert.equal(copied.subject.external_id, null);
      assert.equal(copied.subject.email, null);
      assert.deepEqual((await contextOf(keyA, copyId)).aiReady, originalContext.aiReady);
      // Imported turns and beliefs are searchable, turns with their passages, as if said here.
      const found = await call(keyA, 'POST', '/external/search', { user_id: copyId, query: 'hiking on weekends', top_k: 20 });
      assert.equal(found.statusCode, 200, found.body);
      const items = found.json().items as { kind: string; evidence: string[]; signals: string[] }[];
      assert.ok(items.some((i) => i.kind === 'event' && i.evidence.includes('maya-3')), found.body);
      assert.ok(items.some((i) => i.kind === 'event' && i.signals.includes('passage')), found.body);
      assert.ok(items.some((i) => i.kind === 'belief'), found.body);
      assert.equal((await call(keyA, 'GET', '/external/onboarding?external_id=maya')).json().user_id, restoredId, 'the original keeps its identity');
      const restoredEvent = (await exportOf(keyA, restoredId)).events.find((e) => e.envelope_id === 'maya-3')!;
      assert.equal((await call(keyA, 'GET', '/external/input/maya-3/status')).json().episode_id, restoredEvent.episode_id, 'envelope ids still find the original');
    });

    test('a corrupted document is a 400 naming the bad path, and stores nothing', async () => {
      const fresh = { ...original, subject: { ...original.subject, external_id: 'corrupt', email: null } };
      const cases: [unknown, RegExp][] = [
        [{ ...fresh, evidence: [{ ...original.evidence[0]!, belief_id: 'nope' }, ...original.evidence.slice(1)] }, /evidence\.0\.belief_id/],
        [{ ...fresh, version: 2 }, /version/],
        [{ ...fresh, events: [{ ...original.events[0]!, occurred_at: 'yesterday' }, ...original.events.slice(1)] }, /events\.0\.occurred_at/],
        [{ ...fresh, beliefs: original.beliefs.map((b) => ({ ...b, superseded_by: b.superseded_by && 'gone' })) }, /beliefs\.\d+\.superseded_by/],
        [{ ...fresh, episodes: undefined }, /episodes/],
      ];
      for (const [payload, path] of cases) {
        const res = await call(keyA, 'POST', '/external/users/import', payload);
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(res.json().error.code, 'validation_failed');
        assert.match(res.json().error.message, path);
      }
      assert.equal((await call(keyA, 'GET', '/external/onboarding?external_id=corrupt')).statusCode, 404);
    });

    test('tenant B cannot export tenant A\'s user; an import lands only in the importing tenant', async () => {
      const denied = await call(keyB, 'GET', `/external/users/${restoredId}/export`);
      assert.equal(denied.statusCode, 404);
      assert.equal(denied.json().error.code, 'not_found');

      // Two imports of one document at once: one wins, the other is told it conflicts.
      const both = await Promise.all([1, 2].map(() => call(keyB, 'POST', '/external/users/import', original)));
      assert.deepEqual(both.map((r) => r.statusCode).sort(), [201, 409], both.map((r) => r.body).join('\n'));
      const inB = both.find((r) => r.statusCode === 201)!.json().user_id as string;
      assert.equal((await call(keyB, 'GET', '/external/onboarding?external_id=maya')).json().user_id, inB);
      assert.equal((await call(keyA, 'GET', '/external/onboarding?external_id=maya')).json().user_id, restoredId);
      assert.equal((await call(keyA, 'GET', `/external/users/${inB}/export`)).statusCode, 404);
      assert.equal((await call(keyB, 'GET', '/external/input/maya-0/status')).json().status, 'processed');
      assert.deepEqual((await contextOf(keyB, inB)).aiReady, originalContext.aiReady);
      const subjects = await app.core.database.db.selectFrom('subjects').select('id').where('id', '=', inB).execute();
      assert.equal(subjects.length, 1);
    });

    test('an import may be larger than the ordinary body limit', async () => {
      const notes = 'x'.repeat(2 * 1024 * 1024);
      const big = { ...original, subject: { ...original.subject, metadata: { notes } } };
      const ordinary = await call(keyA, 'POST', '/external/onboarding', { external_id: 'big', metadata: { notes } });
      assert.equal(ordinary.statusCode, 413);
      const res = await call(keyA, 'POST', '/external/users/import?as_new_user=true', big);
      assert.equal(res.statusCode, 201, res.body);
      assert.equal((await exportOf(keyA, res.json().user_id)).subject.metadata.notes, notes);
    });

    const oneEngine = engine !== 'sqlite' && 'one engine suffices: the columns come from the same migrations';
    test('the document carries every column of the tables it exports', { skip: oneEngine }, async () => {
      const tables = await app.core.database.db.introspection.getTables();
      const columnsOf = (name: string) =>
        tables
          .find((t) => t.name === name)!
          .columns.map((c) => c.name)
          .filter((c) => c !== 'tenant_id' && c !== 'subject_id')
          .sort();
      const keysOf = (row: object) => Object.keys(row).sort();
      assert.deepEqual(keysOf(original.subject), columnsOf('subjects'));
      assert.deepEqual(keysOf(original.sessions[0]!), columnsOf('memory_sessions'));
      assert.deepEqual(keysOf(original.events[0]!), columnsOf('events'));
      assert.deepEqual(keysOf(original.episodes[0]!), columnsOf('episodes'));
      assert.deepEqual(keysOf(original.beliefs[0]!), columnsOf('beliefs'));
      assert.deepEqual(keysOf(original.evidence[0]!), columnsOf('belief_evidence'));
    });
  });
}
