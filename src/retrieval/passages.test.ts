// Passages — a turn indexed with the turns around it — on both engines: kept right when a session's turns
// are accepted at once and out of order, and filled in for turns stored before migration 0012.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { App } from '../app.js';
import { migrateTo, migrateToLatest } from '../platform/db/migrate.js';
import { createTestApp } from '../testing/app.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../testing/db.js';
import { passageOf } from './indexing.js';
import { lexicalSearch, scopeToken } from './store.js';

const start = Date.UTC(2026, 2, 1, 20, 0, 0);
const turns = [
  'Did you finish the quilt for your niece?',
  'Almost, I still have to sew the border.',
  'What pattern did you pick?',
  'Log cabin, in yellows and greys.',
  'She will love it.',
  'I hope so, it is her first birthday present from me.',
  'When is the party?',
  'Next Sunday at her grandparents.',
];

for (const { engine, skip } of await testEngines()) {
  describe(`search passages (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    let key: string;

    before(async () => {
      db = await createTestDatabase(engine);
      app = await createTestApp(db);
      const tenant = await app.core.tenants.create('passages');
      key = (await app.core.auth.createCredential(tenant.id, { kind: 'selfmodel' })).secret;
    });
    after(async () => {
      await app?.http.close();
      await db?.cleanup();
    });

    const post = (url: string, payload: object) => app.http.inject({ method: 'POST', url, headers: { 'x-api-key': key }, payload });

    /** Says every turn at once, in a shuffled order; the passages must come out as if said one by one. */
    const sayAllAtOnce = async (user: string, session: string | null) => {
      const order = [5, 1, 7, 0, 3, 6, 2, 4];
      const answers = await Promise.all(
        order.map((i) =>
          post('/external/input', {
            envelope_id: `${session ?? 'none'}-${i}`,
            user_id: user,
            ...(session ? { session_id: session } : {}),
            input_type: 'conversation_turn',
            timestamp: new Date(start + i * 60_000).toISOString(),
            data: { speaker: i % 2 ? 'Ana' : 'Bea', text: turns[i] },
          }),
        ),
      );
      for (const a of answers) assert.equal(a.statusCode, 200, a.body);
      const rows = await db.database.db.selectFrom('search_docs').select('passage').where('subject_id', '=', user).where('kind', '=', 'event').orderBy('occurred_at').execute();
      assert.deepEqual(
        rows.map((r) => r.passage),
        turns.map((_, i) => passageOf(turns, i)),
      );
    };

    test('turns of one session accepted all at once, in any order, each get the passage of their place', async () => {
      const user = (await post('/external/onboarding', { external_id: 'quilter' })).json().user_id as string;
      const session = (await post('/external/sessions', { user_id: user, session_type: 'conversation' })).json().session_id as string;
      await sayAllAtOnce(user, session);
      const found = await post('/external/search', { user_id: user, query: 'Which pattern is the quilt?', top_k: 5 });
      const hit = (found.json().items as { evidence: string[]; signals: string[] }[]).find((i) => i.evidence.includes(`${session}-3`));
      assert.ok(hit?.signals.includes('passage'), found.body);
    });

    test("turns without a session form passages along the subject's time line, also when said at once", async () => {
      const user = (await post('/external/onboarding', { external_id: 'sessionless' })).json().user_id as string;
      await sayAllAtOnce(user, null);
    });

    test('migration 0012 gives turns stored before it their passages, per session and per subject without one', async () => {
      const old = await createTestDatabase(engine, { migrate: false });
      try {
        await migrateTo(old.database, '0011_access_reads');
        const doc = (id: number, session: string | null, body: string, kind: 'event' | 'belief' = 'event') => ({
          tenant_id: 't',
          subject_id: 'u',
          scope: scopeToken('t', 'u', 'event'), // as stored before 0012, whatever the kind
          kind,
          ref_id: `r${id}`,
          envelope_id: `e${id}`,
          session_id: session,
          speaker: null,
          occurred_at: start + id * 1000,
          body,
        });
        await sql`insert into search_docs (tenant_id, subject_id, scope, kind, ref_id, envelope_id, session_id, speaker, occurred_at, body)
          values ${sql.join(
            [doc(1, 's1', 'one'), doc(2, 's1', 'two'), doc(3, 's1', 'three'), doc(4, 's2', 'other session'), doc(5, null, 'alone'), doc(6, null, 'apart'), doc(7, null, 'a belief', 'belief')].map(
              (d) => sql`(${sql.join(Object.values(d))})`,
            ),
          )}`.execute(old.database.db);
        await migrateToLatest(old.database);
        const rows = await old.database.db.selectFrom('search_docs').select(['ref_id', 'passage', 'scope']).orderBy('occurred_at').execute();
        assert.equal(rows.find((r) => r.ref_id === 'r7')?.scope, scopeToken('t', 'u', 'belief'));
        assert.equal(rows.find((r) => r.ref_id === 'r1')?.scope, scopeToken('t', 'u', 'event'));
        assert.deepEqual(
          Object.fromEntries(rows.map((r) => [r.ref_id, r.passage])),
          { r1: 'one two three', r2: 'one two three', r3: 'one two three', r4: 'other session', r5: 'alone apart', r6: 'alone apart', r7: null },
        );
        const hits = await lexicalSearch(old.database, 't', 'u', { terms: ['three'], kind: 'event', limit: 10 });
        assert.deepEqual(hits.map((h) => h.doc.refId).sort(), ['r1', 'r2', 'r3']);
        assert.equal(hits[0]!.doc.refId, 'r3', 'a turn that says the word itself ranks first');
      } finally {
        await old.cleanup();
      }
    });
  });
}
