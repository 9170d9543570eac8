// The self-model face end to end over HTTP: onboarding, sessions, envelopes processed by a real worker
// into beliefs, and context that tells the current from the superseded — on both engines.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type App, createWorker } from '../../app.js';
import type { Worker } from '../../platform/worker.js';
import { createTestApp } from '../../testing/app.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../../testing/db.js';
import { waitFor } from '../../testing/wait.js';

const day = 86_400_000;
const start = Date.UTC(2026, 2, 1, 10, 0, 0);

/** A month of one user's life: small talk, a move, a job change, preferences, repeated facts. */
const turns: string[] = [
  'Hi! My name is Maya.',
  'I live in Lisbon with my partner.',
  'I work as a nurse at Santa Maria hospital.',
  'I love hiking on weekends.',
  'The weather has been lovely this week.',
  "I'm vegetarian, so I don't eat meat.",
  'I have a dog named Pixel.',
  'We watched a movie last night.',
  'I really love hiking in the mountains.',
  'My sister Ana lives in Berlin.',
  'Work was busy today.',
  'I am thinking about a change.',
  'I moved from Lisbon to Porto yesterday.',
  'Porto is beautiful in the spring.',
  'I started a new job as a teacher.',
  'I enjoy reading science fiction.',
  'Pixel loves the beach here.',
  'I had coffee with a friend.',
  'I live in Porto now and I like it.',
  'I dislike crowded places.',
  'My favourite food is bacalhau.',
  'The new school is close to home.',
  'I went running this morning.',
  'I am learning to play the guitar.',
  'Next month I am going to Japan.',
  'I prefer short answers.',
  'It rained all day.',
  'I still love hiking.',
  'My partner works from home.',
  'Good night!',
];

for (const { engine, skip } of await testEngines()) {
  describe(`self-model memory over HTTP (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    let worker: Worker;
    let key: string;
    let otherKey: string;
    const headers = () => ({ 'x-api-key': key });
    const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, h = headers()) =>
      app.http.inject({ method, url, headers: h, ...(payload === undefined ? {} : { payload: payload as object }) });

    before(async () => {
      db = await createTestDatabase(engine);
      app = await createTestApp(db);
      worker = createWorker(app.core, { pollMs: 20 });
      worker.start();
      const tenant = await app.core.tenants.create('memory');
      key = (await app.core.auth.createCredential(tenant.id, { kind: 'selfmodel' })).secret;
      const other = await app.core.tenants.create('other');
      otherKey = (await app.core.auth.createCredential(other.id, { kind: 'selfmodel' })).secret;
    });
    after(async () => {
      await worker?.stop(5000);
      await app?.http.close();
      await db?.cleanup();
    });

    test('onboarding is idempotent on external_id and email', async () => {
      const first = await call('POST', '/external/onboarding', { external_id: 'u-1', email: 'Maya@Example.test' });
      assert.equal(first.statusCode, 201, first.body);
      assert.equal(first.json().created, true);
      const again = await call('POST', '/external/onboarding', { external_id: 'u-1' });
      assert.equal(again.statusCode, 200);
      assert.deepEqual({ ...(again.json() as object), created: true }, first.json());
      const byEmail = await call('POST', '/external/onboarding', { email: 'maya@example.test' });
      assert.equal(byEmail.json().user_id, first.json().user_id);
      const got = await call('GET', `/external/onboarding?external_id=u-1`);
      assert.equal(got.json().user_id, first.json().user_id);
      assert.equal((await call('GET', '/external/onboarding?user_id=nope')).statusCode, 404);
      assert.equal((await call('GET', `/external/onboarding?user_id=${first.json().user_id}`, undefined, { 'x-api-key': otherKey })).statusCode, 404);
    });

    test('a month of turns becomes current and superseded beliefs, with evidence and time travel', async () => {
      const user = (await call('POST', '/external/onboarding', { external_id: 'maya', display_name: 'Maya' })).json().user_id as string;
      const session = await call('POST', '/external/sessions', { user_id: user, session_type: 'chat', expected_episode_count: turns.length });
      assert.equal(session.statusCode, 200, session.body);
      const sessionId = session.json().session_id as string;
      assert.equal(session.json().status, 'created');

      for (const [i, text] of turns.entries()) {
        const res = await call('POST', '/external/input', {
          envelope_id: `maya-${i}`,
          user_id: user,
          input_type: 'conversation_turn',
          timestamp: new Date(start + i * day).toISOString(),
          data: { speaker: 'Maya', text },
          session_id: sessionId,
        });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().duplicate, false);
      }
      for (let i = 0; i < turns.length; i++) {
        await waitFor(`maya-${i} processed`, async () => {
          const s = (await call('GET', `/external/input/maya-${i}/status`)).json();
          assert.notEqual(s.status, 'failed', s.error_message);
          return s.status === 'processed' ? s : undefined;
        });
      }
      const done = (await call('GET', `/external/sessions/${sessionId}`)).json();
      assert.equal(done.status, 'completed');
      assert.equal(done.processed_episode_count, turns.length);
      assert.ok(done.self_model_snapshot.belief_count > 0);
      assert.match(done.summary, /^2026-03-01 \(30 entries\): Maya: Hi! My name is Maya\./);

      const ctx = await call('POST', '/external/context', { user_id: user, format: 'ai_ready' });
      assert.equal(ctx.statusCode, 200, ctx.body);
      const text = ctx.json().ai_ready.text as string;
      assert.match(text, /lives in Porto/);
      assert.doesNotMatch(text, /lives in Lisbon/);
      assert.ok(ctx.json().ai_ready.token_count <= 2000);

      const raw = (await call('POST', '/external/context', { user_id: user, format: 'raw' })).json().raw;
      const lisbon = raw.superseded.find((b: { predicate: string; object: string }) => b.predicate === 'lives_in' && b.object === 'Lisbon');
      assert.ok(lisbon, 'Lisbon is kept, superseded');
      assert.ok(lisbon.valid_to, 'with the time it stopped being true');
      assert.ok(lisbon.evidence.includes('maya-1'), 'and the envelope it came from');
      const porto = raw.beliefs.find((b: { predicate: string; object: string }) => b.predicate === 'lives_in' && b.object === 'Porto');
      assert.ok(porto && porto.evidence.length >= 1);

      const before = await call('POST', '/external/context', { user_id: user, format: 'ai_ready', as_of: new Date(start + 5 * day).toISOString() });
      assert.match(before.json().ai_ready.text, /lives in Lisbon/);
      assert.doesNotMatch(before.json().ai_ready.text, /lives in Porto/);

      const summary = (await call('POST', '/external/context', { user_id: user, format: 'summary' })).json().summary;
      assert.match(summary.text, /^The user .*lives in Porto/);
      assert.doesNotMatch(summary.text, /lives in Lisbon/);
      assert.equal(summary.episode_count > 0, true);

      const small = await call('POST', '/external/context', { user_id: user, format: 'ai_ready', max_tokens: 60 });
      assert.ok(small.json().ai_ready.token_count <= 60);

      const beliefs = await call('GET', `/external/users/${user}/beliefs?status=superseded&predicate=lives_in`);
      assert.equal(beliefs.statusCode, 200);
      assert.ok(beliefs.json().beliefs.every((b: { status: string }) => b.status === 'superseded'));
      const shown = beliefs.json().beliefs[0];
      assert.deepEqual(Object.keys(shown).sort(), [
        'about', 'category', 'confidence', 'confirmations', 'contradicts', 'effective_confidence', 'evidence', 'first_seen', 'id', 'last_confirmed',
        'object', 'positive', 'predicate', 'recorded_at', 'source', 'statement', 'status', 'superseded_by', 'valid_from', 'valid_to', 'when',
      ]);
      for (const field of ['first_seen', 'last_confirmed', 'recorded_at', 'valid_from', 'valid_to']) assert.match(shown[field], /^\d{4}-\d\d-\d\dT/, field);
      assert.ok(shown.superseded_by && shown.evidence.length > 0 && Number.isInteger(shown.confirmations));
      assert.equal((await call('GET', `/external/users/${user}/beliefs`, undefined, { 'x-api-key': otherKey })).statusCode, 404);
    });

    test('envelopes are idempotent: concurrent retries make one event; a different body is a 409', async () => {
      const user = (await call('POST', '/external/onboarding', { external_id: 'retry' })).json().user_id as string;
      const envelope = { envelope_id: 'retry-1', user_id: user, input_type: 'note', timestamp: new Date(start).toISOString(), data: { text: 'I live in Madrid.' } };
      const results = await Promise.all(Array.from({ length: 10 }, () => call('POST', '/external/input', envelope)));
      assert.ok(results.every((r) => r.statusCode === 200));
      assert.equal(new Set(results.map((r) => r.json().event_id)).size, 1);
      assert.equal(results.filter((r) => r.json().duplicate === false).length, 1);
      const conflict = await call('POST', '/external/input', { ...envelope, data: { text: 'I live in Rome.' } });
      assert.equal(conflict.statusCode, 409);
      assert.equal(conflict.json().error.code, 'conflict');
      await waitFor('retry-1 processed', async () => ((await call('GET', '/external/input/retry-1/status')).json().status === 'processed' ? true : undefined));
      const beliefs = (await call('GET', `/external/users/${user}/beliefs?predicate=lives_in`)).json().beliefs;
      assert.equal(beliefs.length, 1);
    });

    test('bad input gets clear 400s and unknown ids 404s', async () => {
      const user = (await call('POST', '/external/onboarding', { external_id: 'bad' })).json().user_id as string;
      const missingText = await call('POST', '/external/input', { envelope_id: 'b1', user_id: user, input_type: 'conversation_turn', data: { speaker: 'x' } });
      assert.equal(missingText.statusCode, 400);
      assert.match(missingText.json().error.message, /data\.text/);
      const badTime = await call('POST', '/external/input', { envelope_id: 'b2', user_id: user, input_type: 'note', timestamp: 'yesterday', data: { text: 'x' } });
      assert.equal(badTime.statusCode, 400);
      assert.match(badTime.json().error.message, /timestamp/);
      const unknownUser = await call('POST', '/external/input', { envelope_id: 'b3', user_id: 'nobody', input_type: 'note', data: { text: 'x' } });
      assert.equal(unknownUser.statusCode, 404);
      const unknownSession = await call('POST', '/external/input', { envelope_id: 'b4', user_id: user, input_type: 'note', data: { text: 'x' }, session_id: 'nope' });
      assert.equal(unknownSession.statusCode, 404);
      assert.equal((await call('GET', '/external/input/b4/status')).statusCode, 404, 'nothing was stored');
      assert.equal((await call('GET', '/external/sessions/nope')).statusCode, 404);
      const odd = await call('POST', '/external/input', { envelope_id: 'b5', user_id: user, input_type: 'calendar_entry', data: { title: 'Dentist', notes: 'I have a cavity' } });
      assert.equal(odd.statusCode, 200, 'unknown input types are kept, not dropped');
    });

    test('sessions fail and are cleaned up; another tenant cannot reach them', async () => {
      const user = (await call('POST', '/external/onboarding', { external_id: 'sess' })).json().user_id as string;
      const a = (await call('POST', '/external/sessions', { user_id: user })).json().session_id;
      const failed = await call('POST', `/external/sessions/${a}/fail`, { error_message: 'client crashed' });
      assert.equal(failed.json().status, 'failed');
      assert.equal((await call('GET', `/external/sessions/${a}`, undefined, { 'x-api-key': otherKey })).statusCode, 404);
      assert.equal((await call('POST', `/external/sessions/${a}/fail`, { error_message: 'x' }, { 'x-api-key': otherKey })).statusCode, 404);
      await call('POST', '/external/sessions', { user_id: user });
      const cleaned = await call('POST', '/external/sessions/cleanup', { timeout_minutes: 1 });
      assert.equal(cleaned.statusCode, 200);
      assert.equal(cleaned.json().timeout_minutes, 1);
    });

    test('erasing a user removes everything derived from it and returns counts', async () => {
      const user = (await call('POST', '/external/onboarding', { external_id: 'erase-me' })).json().user_id as string;
      await call('POST', '/external/input', { envelope_id: 'erase-1', user_id: user, input_type: 'note', data: { text: 'I work at Acme.' } });
      await waitFor('erase-1 processed', async () => ((await call('GET', '/external/input/erase-1/status')).json().status === 'processed' ? true : undefined));
      assert.equal((await call('DELETE', `/external/users/${user}`, undefined, { 'x-api-key': otherKey })).statusCode, 404);
      const receipt = await call('DELETE', `/external/users/${user}`);
      assert.equal(receipt.statusCode, 200, receipt.body);
      assert.equal(receipt.json().erased.events, 1);
      assert.equal(receipt.json().erased.subjects, 1);
      assert.equal((await call('GET', `/external/onboarding?user_id=${user}`)).statusCode, 404);
    });
  });
}
