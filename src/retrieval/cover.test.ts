// Ranking rules of service.ts on small hand-written cases: covering a question's parts first, ranks of tied scores.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coverFirst, tiedRanks } from './service.js';

const hit = (text: string, score: number) => ({ text, score });
const order = (hits: { text: string; score: number }[], terms: string[]) => coverFirst(hits, (h) => h.text, terms).map((h) => h.text);

test('a turn that says the part of the question not yet covered comes before another turn about the same part', () => {
  const hits = [
    hit('The trip to Paris was lovely, best trip ever.', 1.0),
    hit('We booked the Paris trip in March.', 0.95),
    hit('The wedding is on the second of June.', 0.9),
    hit('Sounds wonderful!', 0.85),
  ];
  assert.deepEqual(order(hits, ['long', 'trip', 'paris', 'wedding']), [
    'The trip to Paris was lovely, best trip ever.',
    'The wedding is on the second of June.',
    'We booked the Paris trip in March.',
    'Sounds wonderful!',
  ]);
});

test('a one-word question, or hits far apart in score, keep their order', () => {
  const hits = [hit('Paris trip', 1.0), hit('Paris again', 0.9), hit('the wedding', 0.1)];
  assert.deepEqual(order(hits, ['paris']), ['Paris trip', 'Paris again', 'the wedding']);
  assert.deepEqual(order(hits, ['paris', 'wedding']), ['Paris trip', 'Paris again', 'the wedding']);
});

test('hits of equal score share the rank of the first of them, so the order within a tie does not count in fusion', () => {
  assert.deepEqual(tiedRanks([5, 3, 3, 3, 1, 1]), [0, 1, 1, 1, 4, 4]);
  assert.deepEqual(tiedRanks([2, 1]), [0, 1]);
  assert.deepEqual(tiedRanks([]), []);
});
