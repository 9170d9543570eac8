// Test databases: a fresh SQLite file, or a fresh PostgreSQL schema, per test file; both real.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Config } from '../platform/config.js';
import { type Database, type Engine, openDatabase } from '../platform/db/index.js';
import { migrateToLatest } from '../platform/db/migrate.js';
import { uuidv7 } from '../platform/ids.js';

/** The PostgreSQL server tests use: ENGRAM_TEST_DATABASE_URL, else DATABASE_URL, else the local one. */
export const testPostgresUrl =
  process.env.ENGRAM_TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let postgresReachable: Promise<boolean> | undefined;

export function isPostgresReachable(): Promise<boolean> {
  postgresReachable ??= (async () => {
    const client = new pg.Client({ connectionString: testPostgresUrl, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      return false;
    }
  })();
  return postgresReachable;
}

/** Engines to run a contract suite against; PostgreSQL is skipped (loudly) only when unreachable. */
export async function testEngines(): Promise<{ engine: Engine; skip: string | false }[]> {
  const pgUp = await isPostgresReachable();
  return [
    { engine: 'sqlite', skip: false },
    { engine: 'postgres', skip: pgUp ? false : `PostgreSQL unreachable at ${testPostgresUrl} — POSTGRES TESTS SKIPPED` },
  ];
}

export interface TestDatabase {
  engine: Engine;
  database: Database;
  /** The database config, e.g. to build a Config for the app under test. */
  config: Config['database'];
  /** Environment for a child process that must use the same database. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

export function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/**
 * btree_gin (migration 0013) lives in `public`, installed once for every test schema: were a migration to
 * install it, it would land in that test's schema, and dropping the schema would drop it, and with it the
 * indexes of every other test schema using it. Concurrent test processes may race to install it.
 */
async function installBtreeGin(admin: pg.Client): Promise<void> {
  try {
    await admin.query('create extension if not exists btree_gin schema public');
  } catch (err) {
    const { rows } = await admin.query(`select 1 from pg_extension where extname = 'btree_gin'`);
    if (!rows.length) throw err;
  }
}

/** A migrated, empty database of the given engine, private to the caller. */
export async function createTestDatabase(engine: Engine, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'engram-test-'));
    const config = { engine: 'sqlite' as const, file: join(dir, 'engram.db') };
    const database = await openDatabase(config);
    if (migrate) await migrateToLatest(database);
    return {
      engine,
      database,
      config,
      env: { ENGRAM_DATA_DIR: dir },
      cleanup: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `engram_test_${uuidv7(Date.now()).replace(/-/g, '').slice(-16)}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await installBtreeGin(admin);
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = withSearchPath(testPostgresUrl, schema);
  const config = { engine: 'postgres' as const, url };
  const database = await openDatabase(config, { poolSize: 4 });
  const cleanup = async () => {
    await database.close();
    const client = new pg.Client({ connectionString: testPostgresUrl });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  };
  try {
    if (migrate) await migrateToLatest(database);
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { engine, database, config, env: { DATABASE_URL: url }, cleanup };
}
