// Migration 0010: the search index over a subject's memory (events at turn level and beliefs), with
// the engine's own full-text index, and the optional vectors kept beside it.
//
// Every document carries `scope`, one opaque token per (tenant, subject), and search puts it inside the
// full-text query itself: measured 20–35× faster than matching everything and filtering afterwards
// (../shared/MEASUREMENTS.md), and a query can never see another subject's rows.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('search_docs')
    .addColumn('id', postgres ? 'bigserial' : 'integer', (c) => (postgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // 'event' | 'belief'
    .addColumn('ref_id', 'text', (c) => c.notNull()) // events.id or beliefs.id
    .addColumn('envelope_id', 'text') // the event's envelope; beliefs find theirs in belief_evidence
    .addColumn('session_id', 'text')
    .addColumn('speaker', 'text')
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('search_docs_ref').on('search_docs').columns(['tenant_id', 'kind', 'ref_id']).unique().execute();
  // Turns without a session, time windows and erasure read one subject's documents in time order.
  await db.schema.createIndex('search_docs_subject').on('search_docs').columns(['tenant_id', 'subject_id', 'kind', 'occurred_at']).execute();
  // The turns around a hit, in its session: (session, time, id) ranges read a few rows each.
  await db.schema.createIndex('search_docs_session').on('search_docs').columns(['tenant_id', 'session_id', 'occurred_at', 'id']).execute();
  await db.schema.createIndex('search_docs_speaker').on('search_docs').columns(['tenant_id', 'subject_id', 'speaker']).execute();

  if (postgres) {
    // The scope token is one 'simple' lexeme inside the same tsvector, so one GIN lookup scopes and matches.
    await sql`alter table search_docs add column tsv tsvector generated always as (to_tsvector('simple', scope) || to_tsvector('english', body)) stored`.execute(db);
    await sql`create index search_docs_tsv on search_docs using gin (tsv)`.execute(db);
  } else {
    // External content: the text is stored once, in search_docs; triggers keep the index in step.
    await sql`create virtual table search_fts using fts5(scope, body, content='search_docs', content_rowid='id', tokenize='porter unicode61')`.execute(db);
    await sql`create trigger search_docs_ai after insert on search_docs begin
      insert into search_fts(rowid, scope, body) values (new.id, new.scope, new.body); end`.execute(db);
    await sql`create trigger search_docs_ad after delete on search_docs begin
      insert into search_fts(search_fts, rowid, scope, body) values ('delete', old.id, old.scope, old.body); end`.execute(db);
    await sql`create trigger search_docs_au after update of scope, body on search_docs begin
      insert into search_fts(search_fts, rowid, scope, body) values ('delete', old.id, old.scope, old.body);
      insert into search_fts(rowid, scope, body) values (new.id, new.scope, new.body); end`.execute(db);
  }

  // One vector per document and embedding model; a new model's vectors are written beside the old ones
  // by a background job, and search reads only the configured model's.
  await db.schema
    .createTable('search_vectors')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('doc_id', 'bigint', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('dims', 'integer', (c) => c.notNull())
    .addColumn('vector', postgres ? sql`bytea` : 'blob', (c) => c.notNull()) // float32 little-endian
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('search_vectors_pkey', ['doc_id', 'model'])
    .execute();
  await db.schema.createIndex('search_vectors_subject').on('search_vectors').columns(['tenant_id', 'subject_id', 'model']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.dropTable('search_vectors').execute();
  if (!postgres) await sql`drop table search_fts`.execute(db);
  await db.schema.dropTable('search_docs').execute();
}
