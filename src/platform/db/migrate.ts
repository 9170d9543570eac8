// Runs the numbered migrations and reports whether the schema is current (for /readyz).
//
// Kysely's Migrator is not used. Before each run it lists every column of every table in every schema
// of the database (calling pg_get_serial_sequence on each), and that listing fails when another schema's
// tables change meanwhile — as they do when several deployments or test processes share one PostgreSQL
// database (CI met it: "column … does not exist", raised in a parallel worker). This runner reads its
// own table in the current schema only. It keeps Kysely's table (`kysely_migration`: name, timestamp as
// ISO text) and Kysely's PostgreSQL lock, so databases migrated before read the same and a process of an
// older version still waits its turn.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from './index.js';
import { migrations } from './migrations/index.js';

const TABLE = 'kysely_migration';
/** The advisory lock Kysely's PostgreSQL migrator takes; the same one, so old and new runners exclude each other. */
const POSTGRES_LOCK = '3853314791062309107';

const known = Object.keys(migrations).sort();

/** Whether a table or index of this name exists: on PostgreSQL in the current schema, never another's. */
export async function relationExists(database: Database, db: Kysely<any>, name: string): Promise<boolean> {
  const { rows } =
    database.engine === 'postgres'
      ? await sql<{ found: unknown }>`select to_regclass(quote_ident(current_schema()) || '.' || ${name}) as found`.execute(db)
      : await sql<{ found: unknown }>`select name as found from sqlite_master where name = ${name}`.execute(db);
  return rows[0]?.found != null;
}

/** Names of applied migrations, checked against the known ones: an unknown name means this is older code than the database. */
async function applied(database: Database, db: Kysely<any>): Promise<string[]> {
  if (!(await relationExists(database, db, TABLE))) return [];
  const rows = await db.selectFrom(TABLE).select('name').execute();
  const names = rows.map((r) => r.name as string).sort();
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length) {
    throw new Error(`the database has migrations this version of Engram does not know (${unknown.join(', ')}): run a newer Engram against it`);
  }
  const gap = known.slice(0, names.length).findIndex((n, i) => n !== names[i]);
  if (gap >= 0) throw new Error(`the database skipped migration ${known[gap]} but has later ones applied; it cannot be migrated in order`);
  return names;
}

/** Moves the schema to `target` migrations applied (the first `target` known ones), in one transaction under a lock. */
async function moveTo(database: Database, target: number): Promise<string[]> {
  return database.db.transaction().execute(async (trx: Transaction<any>) => {
    // SQLite transactions here begin IMMEDIATE, which already holds the file's write lock.
    if (database.engine === 'postgres') await sql`select pg_advisory_xact_lock(${sql.lit(POSTGRES_LOCK)}::bigint)`.execute(trx);
    await trx.schema
      .createTable(TABLE)
      .ifNotExists()
      .addColumn('name', 'varchar(255)', (col) => col.notNull().primaryKey())
      .addColumn('timestamp', 'varchar(255)', (col) => col.notNull())
      .execute();
    const done = await applied(database, trx);
    const changed: string[] = [];
    for (const name of known.slice(done.length, target)) {
      await migrations[name]!.up(trx);
      await trx.insertInto(TABLE).values({ name, timestamp: new Date().toISOString() }).execute();
      changed.push(name);
    }
    for (const name of done.slice(target).reverse()) {
      const down = migrations[name]!.down;
      if (!down) throw new Error(`migration ${name} cannot be undone`);
      await down(trx);
      await trx.deleteFrom(TABLE).where('name', '=', name).execute();
      changed.push(name);
    }
    return changed;
  });
}

/** Applies every pending migration; returns the names applied. Safe to run from several processes at once. */
export function migrateToLatest(database: Database): Promise<string[]> {
  return moveTo(database, known.length);
}

/** Applies (or undoes) migrations up to and including the named one; for tests of a migration's data changes. */
export async function migrateTo(database: Database, name: string): Promise<void> {
  const index = known.indexOf(name);
  if (index < 0) throw new Error(`no migration named ${name}`);
  await moveTo(database, index + 1);
}

/** Names of known migrations not yet applied to this database. Reads only; creates nothing. */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const done = await applied(database, database.db);
  return known.slice(done.length);
}
