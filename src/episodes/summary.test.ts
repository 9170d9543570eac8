// Extractive summaries of episodes and of runs of episodes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runGapMs, runsOf, summarize, summarizeRun } from './summary.js';

test('an episode summary is the speaker and the first sentences, cut at a sentence when long', () => {
  assert.equal(summarize('I moved to Porto.   It is great!', 'Maya'), 'Maya: I moved to Porto. It is great!');
  const long = `${'A sentence that goes on. '.repeat(20)}`;
  assert.ok(summarize(long, null).length <= 240);
  assert.ok(summarize(long, null).endsWith('.'));
});

test('runs split on sessions, or on long gaps without one', () => {
  const at = (h: number, sessionId: string | null = null) => ({ occurredAt: h * 3_600_000, sessionId, summary: `at ${h}` });
  const runs = runsOf([at(0), at(1), at(1 + runGapMs / 3_600_000 + 1), at(20, 's'), at(21, 's'), at(22)]);
  assert.deepEqual(runs.map((r) => r.map((e) => e.summary)), [['at 0', 'at 1'], ['at 8'], ['at 20', 'at 21'], ['at 22']]);
});

test('a run summary names its date, size, and first and last entries', () => {
  const e = (i: number) => ({ occurredAt: Date.UTC(2026, 0, 2) + i, summary: `s${i}` });
  assert.equal(summarizeRun([e(0), e(1), e(2), e(3), e(4)]), '2026-01-02 (5 entries): s0 / s1 / s4');
  assert.equal(summarizeRun([e(0)]), '2026-01-02 (1 entry): s0');
  assert.equal(summarizeRun([]), '');
});
