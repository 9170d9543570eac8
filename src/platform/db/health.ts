// Database readiness: reachable, and the schema at the latest migration.
import { sql } from 'kysely';
import type { Database } from './index.js';
import { pendingMigrations } from './migrate.js';

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
