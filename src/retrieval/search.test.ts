// Search over HTTP on a small hand-written two-person conversation: what the words find, what the
// beliefs add, the speaker, the time, the turns around a turn, time travel, and scoping — on both engines.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type App, createWorker } from '../app.js';
import type { Worker } from '../platform/worker.js';
import { createTestApp } from '../testing/app.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../testing/db.js';
import { waitFor } from '../testing/wait.js';

const may3 = Date.UTC(2026, 4, 3, 18, 0, 0);
const jun10 = Date.UTC(2026, 5, 10, 9, 0, 0);

/** Two evenings of Maya talking with her friend Leo; each turn a minute after the one before. */
const conversation: { id: string; at: number; speaker: string; text: string }[] = [
  ['m1', may3, 'Maya', 'I went to a pottery class on Saturday and made a little bowl.'],
  ['m2', may3, 'Leo', 'That sounds fun! What colour did you paint it?'],
  ['m3', may3, 'Maya', 'Blue, like the sea at the harbour.'],
  ['m4', may3, 'Leo', 'My sister just started a new job at a bakery.'],
  ['m5', may3, 'Maya', 'Tell her congratulations from me!'],
  ['j1', jun10, 'Maya', 'I moved to Porto last week.'],
  ['j2', jun10, 'Leo', 'How is the new flat?'],
  ['j3', jun10, 'Maya', 'Small, but it has a balcony with a view of the river.'],
].map(([id, at, speaker, text], i) => ({ id: id as string, at: (at as number) + i * 60_000, speaker: speaker as string, text: text as string }));

interface Item {
  kind: string;
  id: string;
  text: string;
  time: string;
  evidence: string[];
  signals: string[];
  matched_terms: string[];
  speaker: string | null;
  belief: { predicate: string; object: string; status: string } | null;
}

for (const { engine, skip } of await testEngines()) {
  describe(`search over a subject's memory (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    let worker: Worker;
    let key: string;
    let otherKey: string;
    let maya: string;
    let stranger: string;
    const call = (url: string, payload: unknown, apiKey = key) => app.http.inject({ method: 'POST', url, headers: { 'x-api-key': apiKey }, payload: payload as object });
    const search = async (query: string, extra: Record<string, unknown> = {}) => {
      const res = await call('/external/search', { user_id: maya, query, ...extra });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { items: Item[]; mode: string; interpreted: { terms: string[]; speakers: string[]; time_window: { from: string; to: string } | null } };
    };
    const say = async (user: string, turn: (typeof conversation)[number]) => {
      const res = await call('/external/input', {
        envelope_id: turn.id,
        user_id: user,
        input_type: 'conversation_turn',
        timestamp: new Date(turn.at).toISOString(),
        data: { speaker: turn.speaker, text: turn.text },
      });
      assert.equal(res.statusCode, 200, res.body);
    };

    before(async () => {
      db = await createTestDatabase(engine);
      app = await createTestApp(db);
      worker = createWorker(app.core, { pollMs: 20 });
      worker.start();
      const tenant = await app.core.tenants.create('search');
      key = (await app.core.auth.createCredential(tenant.id, { kind: 'selfmodel' })).secret;
      const other = await app.core.tenants.create('other');
      otherKey = (await app.core.auth.createCredential(other.id, { kind: 'selfmodel' })).secret;
      maya = (await call('/external/onboarding', { external_id: 'maya', display_name: 'Maya' })).json().user_id;
      stranger = (await call('/external/onboarding', { external_id: 'stranger' })).json().user_id;
      for (const turn of conversation) await say(maya, turn);
      await say(stranger, { id: 's1', at: may3, speaker: 'Sam', text: 'My pottery class made a bowl too.' });
      await say(stranger, { id: 's2', at: may3, speaker: 'Sam', text: 'I have played the cello for ten years now.' });
      await waitFor('every turn processed', async () => {
        const statuses = await Promise.all(
          [...conversation.map((t) => t.id), 's1', 's2'].map(async (id) =>
            (await app.http.inject({ method: 'GET', url: `/external/input/${id}/status`, headers: { 'x-api-key': key } })).json().status,
          ),
        );
        return statuses.every((s) => s === 'processed') ? true : undefined;
      });
    });
    after(async () => {
      await worker?.stop(5000);
      await app?.http.close();
      await db?.cleanup();
    });

    test('words find the turn that says them, with its envelope as evidence and the words it shares', async () => {
      const { items, mode } = await search('pottery class');
      assert.equal(mode, 'lexical');
      assert.equal(items[0]!.kind, 'event');
      assert.deepEqual(items[0]!.evidence, ['m1']);
      assert.ok(items[0]!.signals.includes('lexical'));
      assert.deepEqual(items[0]!.matched_terms.sort(), ['class', 'pottery']);
      assert.equal(items[0]!.speaker, 'Maya');
    });

    test('a question about where someone lives finds the current belief, though it shares no word with it', async () => {
      const { items } = await search('Where is Maya based these days?');
      const belief = items.find((i) => i.kind === 'belief' && i.belief?.predicate === 'lives_in');
      assert.ok(belief, JSON.stringify(items.map((i) => i.text)));
      assert.equal(belief.belief!.object, 'Porto');
      assert.ok(belief.signals.includes('predicate') && belief.signals.includes('current'));
      assert.deepEqual(belief.evidence, ['j1']);
    });

    test('a belief is found by its own words too (it has no passage)', async () => {
      const { items } = await search('Porto');
      const belief = items.find((i) => i.kind === 'belief' && i.belief?.object === 'Porto');
      assert.ok(belief, JSON.stringify(items.map((i) => [i.kind, i.text])));
      assert.ok(belief.signals.includes('lexical'), belief.signals.join());
    });

    test('a named speaker is who spoke, not a word to match; their turns rank first', async () => {
      const { items, interpreted } = await search("What happened with Leo's sister?");
      assert.deepEqual(interpreted.speakers, ['Leo']);
      assert.ok(!interpreted.terms.includes('leo'));
      assert.deepEqual(items[0]!.evidence, ['m4']);
      assert.ok(items[0]!.signals.includes('speaker'));
    });

    test('an answer that repeats none of the question is found through the turns around it', async () => {
      const { items } = await search('What colour was the bowl?', { top_k: 5 });
      const answer = items.find((i) => i.evidence.includes('m3'));
      assert.ok(answer, JSON.stringify(items.map((i) => i.text)));
      assert.deepEqual(answer.matched_terms, []);
      assert.ok(answer.signals.includes('passage') && answer.signals.includes('lexical'));
      assert.ok(!items.find((i) => i.evidence.includes('m1'))?.signals.includes('passage'), 'm1 says "bowl" itself');
    });

    test('a time in the question prefers what was said then', async () => {
      const { items, interpreted } = await search('What did Maya make in May 2026?');
      assert.equal(interpreted.time_window?.from, '2026-04-24T00:00:00.000Z');
      assert.equal(interpreted.time_window?.to, '2026-06-08T00:00:00.000Z');
      const hit = items.find((i) => i.evidence.includes('m1'));
      assert.ok(hit?.signals.includes('time'));
      assert.ok(items.filter((i) => i.signals.includes('time')).every((i) => i.time < '2026-06-08'));
      assert.ok(!items.find((i) => i.evidence.includes('j3'))?.signals.includes('time'), 'June the 10th is outside');
    });

    test('asked_at is when relative dates count from, without hiding anything said later', async () => {
      const { items, interpreted } = await search('What did Maya make last month?', { asked_at: '2026-06-15T12:00:00.000Z' });
      assert.equal(interpreted.time_window?.from, '2026-04-24T00:00:00.000Z');
      assert.ok(items.find((i) => i.evidence.includes('m1'))?.signals.includes('time'));
      const later = await search('flat balcony river', { asked_at: '2026-05-04T00:00:00.000Z' });
      assert.ok(later.items.some((i) => i.evidence.includes('j3')));
    });

    test('as_of searches only what had been said by then', async () => {
      const later = await search('flat balcony river');
      assert.ok(later.items.some((i) => i.evidence.includes('j3')));
      const earlier = await search('flat balcony river', { as_of: new Date(may3 + 86_400_000).toISOString() });
      assert.equal(earlier.items.length, 0);
    });

    test("another subject's turns and another tenant's users are never reached", async () => {
      const { items } = await search('pottery bowl', { top_k: 50 });
      assert.ok(!items.some((i) => i.evidence.includes('s1')));
      const foreign = await call('/external/search', { user_id: maya, query: 'pottery' }, otherKey);
      assert.equal(foreign.statusCode, 404);
      const alone = (await call('/external/search', { user_id: stranger, query: 'pottery bowl' })).json().items as Item[];
      // Sam's own turns only: the one that says it, then (through its passage) the one said after it.
      assert.deepEqual(alone.map((i) => i.evidence).flat(), ['s1', 's2']);
    });

    test('bad input is refused with the field named; no key is refused', async () => {
      const empty = await call('/external/search', { user_id: maya, query: '' });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /query/);
      const big = await call('/external/search', { user_id: maya, query: 'x', top_k: 5000 });
      assert.equal(big.statusCode, 400);
      const anonymous = await app.http.inject({ method: 'POST', url: '/external/search', payload: { user_id: maya, query: 'x' } });
      assert.equal(anonymous.statusCode, 401);
    });

    test('context for a question is assembled from the same search, turns dated, within the budget', async () => {
      const res = await call('/external/context', { user_id: maya, format: 'ai_ready', query: 'What colour was the bowl from the pottery class?', max_tokens: 200 });
      assert.equal(res.statusCode, 200, res.body);
      const ai = res.json().ai_ready;
      assert.ok(ai.token_count <= 200);
      // A day named relative to when it was said is resolved (3 May 2026 was a Sunday).
      // Turns are grouped under their day, in the order they were said.
      assert.match(ai.text, /On 3 May 2026:\n- Maya: I went to a pottery class on Saturday \(2 May 2026\) and made a little bowl\.\n(- .*\n)*- Maya: Blue, like the sea/);
      const moved = (await call('/external/context', { user_id: maya, format: 'ai_ready', query: 'When did Maya move to Porto?', max_tokens: 200 })).json().ai_ready.text;
      assert.match(moved, /Maya: I moved to Porto last week \(week of 1 June 2026\)\./);
      // How long something has held, said as a duration, is resolved to when it began.
      const cello = (await call('/external/context', { user_id: stranger, format: 'ai_ready', query: 'How long has Sam played the cello?', max_tokens: 200 })).json().ai_ready.text;
      assert.match(cello, /Sam: I have played the cello for ten years \(since 2016\) now\./);
    });
  });
}
