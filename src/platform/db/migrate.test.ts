// The migration runner: applies each migration once, in order, from several processes at once, reads
// databases migrated by Kysely's own Migrator, refuses a database newer than the code, and is not upset by
// other schemas changing at the same moment.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { Migrator, sql } from 'kysely';
import pg from 'pg';
import { type TestDatabase, createTestDatabase, testEngines, testPostgresUrl } from '../../testing/db.js';
import type { Database } from './index.js';
import { migrateTo, migrateToLatest, pendingMigrations } from './migrate.js';
import { migrations } from './migrations/index.js';

const names = Object.keys(migrations).sort();

for (const { engine, skip } of await testEngines()) {
  describe(`migrations (${engine})`, { skip }, () => {
    const open: TestDatabase[] = [];
    const fresh = async () => {
      const t = await createTestDatabase(engine, { migrate: false });
      open.push(t);
      return t;
    };
    after(async () => {
      for (const t of open) await t.cleanup();
    });

    test('a new database has every migration pending, gets them all in order once, then none', async () => {
      const { database } = await fresh();
      assert.deepEqual(await pendingMigrations(database), names);
      assert.deepEqual(await migrateToLatest(database), names);
      assert.deepEqual(await pendingMigrations(database), []);
      assert.deepEqual(await migrateToLatest(database), []);
    });

    test('several processes migrating the same database at once apply each migration once', async () => {
      const t = await fresh();
      const runs = await Promise.all([1, 2, 3].map(() => engramMigrate(t.env)));
      for (const r of runs) assert.equal(r.code, 0, r.stderr);
      const applied = runs.flatMap((r) => r.stdout.match(/applied: (.*)/)?.[1]?.split(', ') ?? []);
      assert.deepEqual(applied.sort(), names);
      const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(t.database.db);
      assert.equal(rows.rows.length, names.length);
    });

    test('migrateTo goes back and forth; a database migrated by Kysely’s Migrator reads the same', async () => {
      const { database } = await fresh();
      const kysely = new Migrator({
        db: database.db,
        provider: { getMigrations: async () => migrations },
        ...(engine === 'postgres' ? { migrationTableSchema: await currentSchema(database) } : {}),
      });
      const { error } = await kysely.migrateTo(names[3]!);
      assert.equal(error, undefined);
      assert.deepEqual(await pendingMigrations(database), names.slice(4));
      await migrateTo(database, names[1]!);
      assert.deepEqual(await pendingMigrations(database), names.slice(2));
      assert.deepEqual(await migrateToLatest(database), names.slice(2));
      assert.deepEqual(await pendingMigrations(database), []);
    });

    test('a database with a migration this code does not know is refused, with its name', async () => {
      const { database } = await fresh();
      await migrateToLatest(database);
      await sql`insert into kysely_migration (name, timestamp) values ('9999_from_the_future', ${new Date().toISOString()})`.execute(database.db);
      await assert.rejects(pendingMigrations(database), /9999_from_the_future/);
      await assert.rejects(migrateToLatest(database), /does not know \(9999_from_the_future\)/);
    });
  });
}

/** `engram migrate` as its own process, as the API and worker processes each run it when they start. */
function engramMigrate(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const main = fileURLToPath(new URL('../../main.js', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, 'migrate'], { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function currentSchema(database: Database): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db);
  return rows[0]!.schema;
}

const [, postgres] = await testEngines();
describe('migrations beside other schemas changing (postgres)', { skip: postgres!.skip }, () => {
  test('migrating and checking readiness read only the own schema, so tables dropped elsewhere meanwhile do no harm', async () => {
    // Another schema's tables are created and dropped over and over while this one migrates and is checked;
    // a runner that lists every table in the database (as Kysely's does) fails here now and then.
    const admin = new pg.Client({ connectionString: testPostgresUrl });
    await admin.connect();
    const other = `engram_churn_${process.pid}`;
    let churning = true;
    const churn = (async () => {
      while (churning) {
        await admin.query(`create schema if not exists ${other}`);
        await admin.query(`create table ${other}.t (id serial primary key, a text, b text)`);
        await admin.query(`drop schema ${other} cascade`);
      }
    })();
    try {
      for (let i = 0; i < 3; i++) {
        const t = await createTestDatabase('postgres', { migrate: false });
        try {
          assert.deepEqual(await migrateToLatest(t.database), names);
          for (let j = 0; j < 20; j++) assert.deepEqual(await pendingMigrations(t.database), []);
        } finally {
          await t.cleanup();
        }
      }
    } finally {
      churning = false;
      await churn;
      await admin.query(`drop schema if exists ${other} cascade`);
      await admin.end();
    }
  });
});
