// Database readiness: reachable, and the schema at the latest migration.
import { sql } from 'kysely';
import type { Database } from './index.js';
import { pendingMigrations, relationExists } from './migrate.js';

export interface DatabaseHealth {
  reachable: boolean;
  pendingMigrations: string[];
  error?: string;
}

export async function checkDatabase(database: Database): Promise<DatabaseHealth> {
  try {
    await sql`select 1`.execute(database.db);
    return { reachable: true, pendingMigrations: await pendingMigrations(database) };
  } catch (err) {
    return { reachable: false, pendingMigrations: [], error: (err as Error).message };
  }
}

/**
 * PostgreSQL without btree_gin (migration 0013 could not install it): full-text search matches through
 * the words-only index, correct but several times slower at scale. False on SQLite.
 */
export async function missingSubjectTextIndex(database: Database): Promise<boolean> {
  return database.engine === 'postgres' && !(await relationExists(database, database.db, 'search_docs_subject_tsv'));
}
