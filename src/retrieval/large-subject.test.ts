// Search in a subject too large to read whole (10,000+ turns): both engines then match passages, or
// draw candidates, from the rarest words only. What must still hold: the turn with the rare word and
// the common one ranks first, a time span is respected, the passage still counts for the rare word, and
// nothing of another subject is reached.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestDatabase, createTestDatabase, testEngines } from '../testing/db.js';
import { fillPassages } from './indexing.js';
import { type NewDoc, indexDocs, lexicalSearch } from './store.js';

const start = Date.UTC(2025, 0, 1);
const hour = 3_600_000;
const filler = ['We had coffee after the walk.', 'The weather was grey all day.', 'I read for an hour before bed.', 'Coffee at the corner place again.', 'Work ran late, as usual.'];

/** A subject of `count` turns in sessions of 10; `special` turns replace the filler at their positions. */
function subject(subjectId: string, count: number, special: Map<number, string>): NewDoc[] {
  const docs: NewDoc[] = [];
  for (let i = 0; i < count; i++) {
    docs.push({
      kind: 'event',
      refId: `${subjectId}-${i}`,
      subjectId,
      envelopeId: `${subjectId}-${i}`,
      sessionId: `${subjectId}-s${Math.floor(i / 10)}`,
      speaker: 'Ana',
      occurredAt: start + i * hour,
      body: special.get(i) ?? filler[i % filler.length]!,
    });
  }
  fillPassages(docs);
  return docs;
}

for (const { engine, skip } of await testEngines()) {
  describe(`search in a large subject (${engine})`, { skip }, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(engine);
      const special = new Map([
        [5_000, 'My saxophone teacher moved away.'],
        [5_001, 'I will miss her.'],
        [7_000, 'Coffee before saxophone practice, always.'],
        [9_000, 'The saxophone case needs a new handle.'],
      ]);
      const docs = [...subject('big', 10_500, special), ...subject('other', 50, new Map([[3, 'Coffee and saxophone, my two loves.']]))];
      for (let i = 0; i < docs.length; i += 1000) await t.database.db.transaction().execute((trx) => indexDocs(trx, 'tenant-l', docs.slice(i, i + 1000)));
    });
    after(async () => {
      await t?.cleanup();
    });

    const search = (terms: string[], extra: { before?: number; after?: number } = {}) =>
      lexicalSearch(t.database, 'tenant-l', 'big', { terms, kind: 'event', limit: 10, ...extra });

    test('the turn holding the rare word and the common one ranks first; only the subject is reached', async () => {
      const hits = await search(['saxophone', 'coffee']);
      assert.equal(hits[0]!.doc.refId, 'big-7000');
      assert.ok(hits.every((h) => h.doc.refId.startsWith('big-')), hits.map((h) => h.doc.refId).join());
      const own = hits.filter((h) => /saxophone/i.test(h.doc.body)).map((h) => h.doc.refId);
      assert.deepEqual(own.sort(), ['big-5000', 'big-7000', 'big-9000']);
    });

    test('the rare word is still matched in passages: the turn after it is found', async () => {
      const hits = await search(['saxophone']);
      assert.ok(hits.some((h) => h.doc.refId === 'big-5001'), hits.map((h) => h.doc.refId).join());
      // Its own words rank above the turns around it.
      assert.ok(['big-5000', 'big-7000', 'big-9000'].includes(hits[0]!.doc.refId));
    });

    test('a time span keeps to itself', async () => {
      const hits = await search(['saxophone', 'coffee'], { before: start + 6_000 * hour });
      assert.equal(hits[0]!.doc.refId, 'big-5000');
      assert.ok(hits.every((h) => h.doc.occurredAt <= start + 6_000 * hour));
      const later = await search(['saxophone'], { after: start + 8_000 * hour });
      assert.equal(later[0]!.doc.refId, 'big-9000');
      assert.ok(later.every((h) => h.doc.occurredAt >= start + 8_000 * hour));
    });
  });
}
