// Configuration: defaults, engines, and one clear line naming a bad variable.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

test('defaults: 127.0.0.1:7420, SQLite in ./data', () => {
  const c = loadConfig({});
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.port, 7420);
  assert.deepEqual(c.database, { engine: 'sqlite', file: resolve('data', 'engram.db') });
  assert.equal(c.logLevel, 'info');
  assert.equal(c.bootstrapKey, undefined);
});

test('DATABASE_URL selects PostgreSQL; empty variables count as unset', () => {
  const c = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/engram', ENGRAM_PORT: '' });
  assert.deepEqual(c.database, { engine: 'postgres', url: 'postgres://u:p@db:5432/engram' });
  assert.equal(c.port, 7420);
});

const bad: [Record<string, string>, RegExp][] = [
  [{ ENGRAM_PORT: 'abc' }, /^invalid configuration: ENGRAM_PORT="abc" — expected a number$/],
  [{ ENGRAM_PORT: '70000' }, /ENGRAM_PORT="70000" — expected a value of at most 65535/],
  [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL="loud" — expected one of fatal, error, warn, info, debug, trace, silent/],
  [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL=\(hidden\) — expected a postgres:\/\/ or postgresql:\/\/ URL/],
  [{ ENGRAM_BOOTSTRAP_KEY: 'short-secret' }, /ENGRAM_BOOTSTRAP_KEY=\(hidden\) — expected a value of at least 32/],
];

for (const [env, message] of bad) {
  test(`rejects ${Object.keys(env)[0]} with one line naming it`, () => {
    assert.throws(
      () => loadConfig(env),
      (err: unknown) => err instanceof ConfigError && message.test(err.message) && !err.message.includes('\n'),
    );
  });
}

test('a secret never appears in the error', () => {
  assert.throws(() => loadConfig({ ENGRAM_BOOTSTRAP_KEY: 'hunter2-secret' }), (err: Error) => !err.message.includes('hunter2'));
});
