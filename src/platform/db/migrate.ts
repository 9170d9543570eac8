// Runs the numbered migrations and reports whether the schema is current (for /readyz).
import { Migrator, type MigrationProvider, sql } from 'kysely';
import type { Database } from './index.js';
import { migrations } from './migrations/index.js';

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * On PostgreSQL the migration tables live in the current schema, named explicitly: without a schema,
 * Kysely looks for its tables in every schema and, finding another schema's, skips creating its own.
 */
async function migrator(database: Database): Promise<Migrator> {
  if (database.engine !== 'postgres') return new Migrator({ db: database.db, provider });
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(database.db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('PostgreSQL has no current schema: check search_path');
  return new Migrator({ db: database.db, provider, migrationTableSchema: schema });
}

/** Applies every pending migration; returns the names applied. Safe to run from several processes. */
export async function migrateToLatest(database: Database): Promise<string[]> {
  const { error, results } = await (await migrator(database)).migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Applies (or undoes) migrations up to and including the named one; for tests of a migration's data changes. */
export async function migrateTo(database: Database, name: string): Promise<void> {
  const { error } = await (await migrator(database)).migrateTo(name);
  if (error) throw error;
}

/** Names of known migrations not yet applied to this database. */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const all = await (await migrator(database)).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
