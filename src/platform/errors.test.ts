// The catalogue and docs/errors.md list the same codes, so the table cannot drift from the code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { AppError, catalogue } from './errors.js';

test('docs/errors.md lists every code with its status, and nothing else', () => {
  const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m): [string, number] => [m[1]!, Number(m[2])]);
  const expected = Object.entries(catalogue).map(([code, entry]): [string, number] => [code, entry.status]);
  assert.deepEqual(new Map(rows), new Map(expected));
});

test('messages use the details they are given', () => {
  assert.equal(new AppError('not_found', { resource: 'Belief', id: 'b1' }).message, 'Belief not found: b1');
  assert.equal(new AppError('not_found').message, 'Resource not found');
  assert.equal(new AppError('validation_failed', { summary: 'body.name: required' }).message, 'body.name: required');
});
