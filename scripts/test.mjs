#!/usr/bin/env node
// Runs every compiled *.test.js with Node's test runner, after checking that PostgreSQL is there.
// Tests run against real SQLite files and the real PostgreSQL; without PostgreSQL its half is skipped,
// loudly — and in CI (CI=true) that is a failure, because CI always has it.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const url = process.env.ENGRAM_TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable() {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (err) {
    return err.message;
  }
}

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith('.test.js') ? [p] : [];
  });
}

const reachable = await postgresReachable();
if (reachable !== true) {
  const line = '!'.repeat(78);
  console.error(`${line}\n!! PostgreSQL is not reachable at ${url}\n!! (${reachable})\n!! Every PostgreSQL test will be SKIPPED; only SQLite is tested.\n${line}`);
  if (process.env.CI) {
    console.error('CI always has PostgreSQL: failing.');
    process.exit(1);
  }
} else {
  console.log(`PostgreSQL tests run against ${url.replace(/:[^:@/]*@/, ':***@')}`);
}

const files = testFiles('dist/src').sort();
const result = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=120000', ...process.argv.slice(2), ...files],
  { stdio: 'inherit', env: { ...process.env, ENGRAM_TEST_DATABASE_URL: url } },
);
process.exit(result.status ?? 1);
