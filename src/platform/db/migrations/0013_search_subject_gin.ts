// Migration 0013 (PostgreSQL only): one GIN index over subject and words together, so that matching a
// subject's turns reads only that subject's share of each word's postings. A plain GIN index over the
// words knows no subject: the planner intersected the subject's rows with every subject's postings of the
// words (1.1M documents, three words, a 1,000-row subject: 6–16 ms a query; with this index 1.4 ms;
// ../shared/MEASUREMENTS.md measured the same). Text columns in a GIN index need btree_gin, an extension
// that ships with PostgreSQL and that any user allowed to create objects in the database may install.
// Where it cannot be installed, the plain index stays and search works as before, only slower.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

async function hasBtreeGin(db: Kysely<any>): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`select exists (select 1 from pg_extension where extname = 'btree_gin') as found`.execute(db);
  return rows[0]?.found === true;
}

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  if (!(await hasBtreeGin(db))) {
    // Migrations run in one transaction: a refused CREATE EXTENSION must not abort it.
    await sql`savepoint btree_gin`.execute(db);
    try {
      await sql`create extension if not exists btree_gin`.execute(db);
      await sql`release savepoint btree_gin`.execute(db);
    } catch {
      await sql`rollback to savepoint btree_gin`.execute(db);
    }
  }
  if (!(await hasBtreeGin(db))) return;
  await sql`create index search_docs_subject_tsv on search_docs using gin (tenant_id, subject_id, tsv)`.execute(db);
  // Every match names its subject, so the words-only index has nothing left to do.
  await sql`drop index search_docs_tsv`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`create index if not exists search_docs_tsv on search_docs using gin (tsv)`.execute(db);
  await sql`drop index if exists search_docs_subject_tsv`.execute(db);
}
