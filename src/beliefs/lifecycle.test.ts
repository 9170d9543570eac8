// The belief lifecycle rules, one decision at a time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExtractedBelief } from '../extraction/types.js';
import { decayed, decide, objectKey, reinforce } from './lifecycle.js';
import type { Belief } from './store.js';

const day = 86_400_000;
const t0 = Date.UTC(2026, 0, 10);

function said(predicate: string, object: string, extra: Partial<ExtractedBelief> = {}): ExtractedBelief {
  return { about: 'self', predicate, object, statement: `${predicate} ${object}`, positive: true, confidence: 0.9, category: 'fact', ...extra };
}

function held(predicate: string, object: string, extra: Partial<Belief> = {}): Belief {
  return {
    id: `${predicate}:${object}`, tenantId: 't', subjectId: 's', about: 'self', predicate, object, objectKey: objectKey(object),
    statement: '', positive: true, category: 'fact', confidence: 0.9, confirmations: 1, status: 'active', source: 'rules',
    validFrom: t0, validTo: null, whenAt: null, firstSeen: t0, lastConfirmed: t0, recordedAt: t0, supersededAt: null,
    supersededBy: null, contradicts: null, updatedAt: t0, ...extra,
  };
}

test('the same fact again reinforces it; confidence approaches but never reaches 1', () => {
  const d = decide(said('likes', 'The hiking.'), t0 + day, [held('likes', 'hiking')], t0 + day);
  assert.equal(d.kind, 'reinforce');
  let c = 0.5;
  for (let i = 0; i < 50; i++) c = reinforce(c, 0.9);
  assert.ok(c > 0.95 && c < 1);
});

test('a new value of a single-valued predicate supersedes the old one from its valid time', () => {
  const d = decide(said('lives_in', 'Porto'), t0 + 5 * day, [held('lives_in', 'Lisbon')], t0 + 5 * day);
  assert.equal(d.kind, 'insert');
  if (d.kind !== 'insert') return;
  assert.equal(d.status, 'active');
  assert.equal(d.validFrom, t0 + 5 * day);
  assert.deepEqual(d.supersede.map((b) => b.object), ['Lisbon']);
});

test('multi-valued predicates accumulate', () => {
  const d = decide(said('likes', 'jazz'), t0 + day, [held('likes', 'hiking')], t0 + day);
  assert.ok(d.kind === 'insert' && d.status === 'active' && d.supersede.length === 0);
});

test('older news arriving late becomes history under the current value', () => {
  const d = decide(said('lives_in', 'Faro'), t0 - 30 * day, [held('lives_in', 'Lisbon')], t0 - 30 * day);
  assert.ok(d.kind === 'insert');
  if (d.kind !== 'insert') return;
  assert.equal(d.status, 'superseded');
  assert.equal(d.validTo, t0);
  assert.equal(d.supersededBy, 'lives_in:Lisbon');
});

test('a negation contradicts the positive belief and is linked to it', () => {
  const d = decide(said('works_at', 'Acme', { positive: false }), t0 + day, [held('works_at', 'Acme')], t0 + day);
  assert.ok(d.kind === 'insert');
  if (d.kind !== 'insert') return;
  assert.equal(d.contradicts, 'works_at:Acme');
  assert.equal(d.supersede.length, 1);
});

test('a past fact ends the current belief, never before it was last confirmed', () => {
  const current = held('lives_in', 'Lisbon', { lastConfirmed: t0 + 3 * day });
  const d = decide(said('lives_in', 'Lisbon', { validTo: t0 + day }), 0, [current], t0 + 10 * day);
  assert.deepEqual(d, { kind: 'end', belief: current, validTo: t0 + 3 * day, supersededBy: null });
  const unknown = decide(said('lives_in', 'Faro', { validTo: t0 }), 0, [], t0);
  assert.ok(unknown.kind === 'insert' && unknown.status === 'superseded' && unknown.validTo === t0);
});

test('a fuzzy change date cannot predate the last confirmation of the value it replaces', () => {
  const lisbon = held('lives_in', 'Lisbon', { lastConfirmed: t0 + 2 * day });
  const d = decide(said('lives_in', 'Porto'), t0, [lisbon], t0 + 9 * day);
  assert.ok(d.kind === 'insert' && d.status === 'active');
  if (d.kind === 'insert') assert.equal(d.validFrom, t0 + 2 * day);
});

test('confidence halves every half-life since the last confirmation', () => {
  assert.equal(decayed({ confidence: 0.8, lastConfirmed: t0 }, t0 + 100 * day, 100 * day), 0.4);
  assert.equal(decayed({ confidence: 0.8, lastConfirmed: t0 }, t0 - day, 100 * day), 0.8);
});

test('an ended value is linked to what replaced it, in whichever order the two are learned', () => {
  const ended = held('lives_in', 'Lisbon', { status: 'superseded', validTo: t0 + 5 * day });
  // "I live in Porto" learned after "I moved from Lisbon": Porto follows Lisbon.
  const next = decide(said('lives_in', 'Porto'), t0 + 5 * day, [ended], t0 + 6 * day);
  assert.ok(next.kind === 'insert' && next.status === 'active');
  if (next.kind !== 'insert') return;
  assert.deepEqual(next.follows.map((b) => b.object), ['Lisbon']);
  // "I moved from Lisbon" learned after Porto is already current: Lisbon ends, linked to Porto.
  const porto = held('lives_in', 'Porto', { validFrom: t0 + 5 * day });
  const lisbon = held('lives_in', 'Lisbon', { validFrom: t0 - 100 * day });
  const end = decide(said('lives_in', 'Lisbon', { validTo: t0 + 5 * day }), t0 - 100 * day, [lisbon, porto], t0 + 6 * day);
  assert.ok(end.kind === 'end');
  if (end.kind !== 'end') return;
  assert.equal(end.supersededBy, 'lives_in:Porto');
  // Only the last value that ended is linked, and never for values that accumulate.
  const older = held('lives_in', 'Faro', { status: 'superseded', validTo: t0 - 200 * day });
  const again = decide(said('lives_in', 'Porto'), t0 + 5 * day, [older, ended], t0 + 6 * day);
  assert.ok(again.kind === 'insert' && again.follows.length === 1 && again.follows[0]!.object === 'Lisbon');
  const likes = decide(said('likes', 'jazz'), t0 + day, [held('likes', 'rock', { status: 'superseded', validTo: t0 })], t0 + day);
  assert.ok(likes.kind === 'insert' && likes.follows.length === 0);
});
