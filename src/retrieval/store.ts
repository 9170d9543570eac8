// The search index: documents (a subject's turns and beliefs) and the engine's full-text index over
// them. Queries and row mapping only; the ranking rules live in service.ts.
import { createHash } from 'node:crypto';
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { Database } from '../platform/db/index.js';
import type { DB } from '../platform/db/schema.js';

export type DocKind = 'event' | 'belief';

export interface SearchDoc {
  id: number;
  kind: DocKind;
  refId: string;
  envelopeId: string | null;
  sessionId: string | null;
  speaker: string | null;
  occurredAt: number;
  body: string;
}

export interface NewDoc {
  kind: DocKind;
  refId: string;
  subjectId: string;
  envelopeId: string | null;
  sessionId: string | null;
  speaker: string | null;
  occurredAt: number;
  body: string;
  /** An event's body with the turns around it (see indexing.ts); null for beliefs. */
  passage?: string | null;
}

/**
 * One opaque full-text token per (tenant, subject, kind): put inside every query, it scopes the index
 * lookup itself. Turns' tokens start with z, beliefs' with b (migration 0012 split them).
 */
export function scopeToken(tenantId: string, subjectId: string, kind: DocKind): string {
  return `${kind === 'belief' ? 'b' : 'z'}${createHash('sha256').update(`${tenantId}\u0000${subjectId}`).digest('hex').slice(0, 24)}`;
}

const columns = ['id', 'kind', 'ref_id', 'envelope_id', 'session_id', 'speaker', 'occurred_at', 'body'] as const;

type DocRow = { id: number | string; kind: DocKind; ref_id: string; envelope_id: string | null; session_id: string | null; speaker: string | null; occurred_at: number | string; body: string };

const toDoc = (r: DocRow): SearchDoc => ({
  id: Number(r.id),
  kind: r.kind,
  refId: r.ref_id,
  envelopeId: r.envelope_id,
  sessionId: r.session_id,
  speaker: r.speaker,
  occurredAt: Number(r.occurred_at),
  body: r.body,
});

/** Adds documents; one that is already indexed (same kind and ref) is left as it is. */
export async function indexDocs(db: Kysely<DB>, tenantId: string, docs: NewDoc[]): Promise<void> {
  if (!docs.length) return;
  await db
    .insertInto('search_docs')
    .values(
      docs.map((d) => ({
        tenant_id: tenantId,
        subject_id: d.subjectId,
        scope: scopeToken(tenantId, d.subjectId, d.kind),
        kind: d.kind,
        ref_id: d.refId,
        envelope_id: d.envelopeId,
        session_id: d.sessionId,
        speaker: d.speaker,
        occurred_at: d.occurredAt,
        body: d.body,
        passage: d.passage ?? null,
      })),
    )
    .onConflict((oc) => oc.columns(['tenant_id', 'kind', 'ref_id']).doNothing())
    .execute();
}

export interface LexicalHit {
  doc: SearchDoc;
  /** Higher is better; comparable only within one result list. */
  score: number;
}

export interface LexicalQuery {
  /** Content words, already without stopwords; the engine stems them as it stems the documents. */
  terms: string[];
  kind: DocKind;
  limit: number;
  /** Only documents from before this instant (valid-time travel). */
  before?: number;
  /** Only documents from this instant on (a time window). */
  after?: number;
  /** Match a turn's own words, not its passage's: a passage holds turns said later, which time travel must not see. */
  ownWordsOnly?: boolean;
  /**
   * Postings already read during the same search (SQLite), filled as they are read: a search asks for
   * the question's words more than once (again with feedback words, again within a time window).
   */
  memo?: Map<string, number[]>;
}

/**
 * How much a turn's own words count against its passage's (which holds them too): the passage weighs
 * more, since an answer's words are often in the turns around it. On LoCoMo, body 1 : passage 2 found
 * more evidence in the top 10 than either column alone.
 */
const weight = { body: 1, passage: 2 };
/** ts_rank's weights are {D, C, B, A}: the passage's lexemes are B, the body's A (migration 0012). */
const pgWeights = (ownWordsOnly: boolean) => (ownWordsOnly ? '{0,0,0,1}' : `{0,0,1,${weight.body / weight.passage}}`);

/** A subject this large (documents of one kind) skips the passage postings of words in more than this share of its turns. */
const largeSubject = 10_000;
const commonShare = 0.05;

const safeTerm = (t: string) => t.replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * Best-matching documents of one subject for any of the terms. SQLite: FTS5's bm25 with the scope
 * column weighted 0. PostgreSQL: ts_rank has no notion of rarity, so each term's rank is weighted by
 * its inverse document frequency within the subject (what BM25 does), counted in the same query.
 */
export async function lexicalSearch(database: Database, tenantId: string, subjectId: string, q: LexicalQuery): Promise<LexicalHit[]> {
  const terms = [...new Set(q.terms.map(safeTerm).filter(Boolean))];
  if (!terms.length) return [];
  const scope = scopeToken(tenantId, subjectId, q.kind);
  const before = q.before ?? Number.MAX_SAFE_INTEGER;
  const after = q.after ?? Number.MIN_SAFE_INTEGER;
  const own = q.ownWordsOnly ?? false;
  if (database.engine === 'sqlite') return sqliteLexical(database, scope, terms, q, own, before, after);
  // A lexeme marked :A matches the body's words only (the passage's are B).
  const lexeme = (t: string) => (own ? `${t}:A` : t);
  const anyTerm = terms.map(lexeme).join(' | ');
  const perTerm = terms.map((t, i) => sql`count(*) filter (where tsv @@ to_tsquery('english', ${lexeme(t)})) as ${sql.ref(`df${i}`)}`);
  const { rows: stats } = await sql<Record<string, number | string>>`
    select (select count(*) from search_docs where tenant_id = ${tenantId} and subject_id = ${subjectId} and kind = ${q.kind}) as total,
      ${sql.join(perTerm)} from search_docs
    where tsv @@ (to_tsquery('simple', ${scope}) && to_tsquery('english', ${anyTerm})) and kind = ${q.kind}`.execute(database.db);
  const total = Number(stats[0]?.total ?? 0);
  const weighted = terms.map((t, i) => {
    const df = Number(stats[0]?.[`df${i}`] ?? 0);
    const idf = Math.log(1 + (total - df + 0.5) / (df + 0.5));
    return sql`${idf} * ts_rank(${pgWeights(own)}::float4[], tsv, to_tsquery('english', ${lexeme(t)}), 1)`;
  });
  const { rows } = await sql<DocRow & { rank: number }>`
    select id, kind, ref_id, envelope_id, session_id, speaker, occurred_at, body, ${sql.join(weighted, sql` + `)} as rank
    from search_docs
    where tsv @@ (to_tsquery('simple', ${scope}) && to_tsquery('english', ${anyTerm})) and kind = ${q.kind} and occurred_at <= ${before} and occurred_at >= ${after}
    order by rank desc limit ${q.limit}`.execute(database.db);
  return rows.map((r) => ({ doc: toDoc(r), score: Number(r.rank) }));
}

/**
 * SQLite: FTS5's own bm25() counts, for every query term, the rows that hold it in the whole index,
 * which costs tens of milliseconds per common word at a million documents. Matching within one
 * subject's scope is cheap (measured: 0.8 ms for a 1,000-document subject against 21 ms with bm25()), so
 * each term's postings in the subject are read and each document scores the IDF, within the subject, of
 * the terms it holds (BM25 without term frequency and length, which measured the same recall on LoCoMo).
 * In a large subject a word most turns say is matched in turns' own words only: nearly every passage
 * holds it, so its passage postings are long and weigh next to nothing.
 */
async function sqliteLexical(database: Database, scope: string, terms: string[], q: LexicalQuery, own: boolean, before: number, after: number): Promise<LexicalHit[]> {
  const memo = q.memo ?? new Map<string, number[]>();
  const read = async (match: string) => {
    const known = memo.get(match);
    if (known) return known;
    const { rows } = await sql<{ id: number }>`select rowid as id from search_fts where search_fts match ${match}`.execute(database.db);
    const ids = rows.map((r) => r.id);
    memo.set(match, ids);
    return ids;
  };
  const postings = (column: 'body' | 'passage', term: string) => read(`scope : "${scope}" AND ${column} : "${term}"`);
  const countKey = `count ${scope}`;
  if (!memo.has(countKey)) {
    const { rows: counted } = await sql<{ n: number }>`select count(*) as n from search_fts where search_fts match ${`scope : "${scope}"`}`.execute(database.db);
    memo.set(countKey, [counted[0]?.n ?? 0]);
  }
  const total = memo.get(countKey)![0]!;
  const scores = new Map<number, number>();
  for (const term of terms) {
    const inBody = await postings('body', term);
    const common = total >= largeSubject && inBody.length > total * commonShare;
    const inPassage = own || common ? [] : await postings('passage', term);
    const df = Math.min(total, Math.max(inBody.length, inPassage.length));
    if (!df) continue;
    const idf = Math.log(1 + (total - df + 0.5) / (df + 0.5));
    for (const id of inBody) scores.set(id, (scores.get(id) ?? 0) + idf * (common ? weight.body + weight.passage : weight.body));
    for (const id of inPassage) scores.set(id, (scores.get(id) ?? 0) + idf * weight.passage);
  }
  // The best of the wanted time, read a page at a time until enough are found. Pages grow (to at most
  // 10,000 ids, well under SQLite's limit of bound values), so a time filter that keeps few of the best
  // costs a few reads, not hundreds.
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0]);
  const hits: LexicalHit[] = [];
  for (let from = 0, page = Math.max(q.limit * 2, 100); from < ranked.length && hits.length < q.limit; from += page, page = Math.min(page * 4, 10_000)) {
    const slice = ranked.slice(from, from + page);
    const rows = await database.db
      .selectFrom('search_docs')
      .select(columns)
      .where('id', 'in', slice.map(([id]) => id))
      .where('occurred_at', '<=', before)
      .where('occurred_at', '>=', after)
      .execute();
    const byId = new Map(rows.map((r) => [Number(r.id), toDoc(r as DocRow)]));
    for (const [id, score] of slice) {
      const doc = byId.get(id);
      if (doc && hits.length < q.limit) hits.push({ doc, score });
    }
  }
  return hits;
}

/** The turns just before and after a given one in its session (or in the subject's time line, without a session), in order. */
export async function neighbours(db: Kysely<DB>, tenantId: string, subjectId: string, doc: Pick<SearchDoc, 'id' | 'sessionId' | 'occurredAt'>, span: number): Promise<SearchDoc[]> {
  const base = () => {
    const q = db.selectFrom('search_docs').select(columns).where('tenant_id', '=', tenantId);
    return doc.sessionId !== null
      ? q.where('session_id', '=', doc.sessionId).where('subject_id', '=', subjectId)
      : q.where('subject_id', '=', subjectId).where('kind', '=', 'event').where('session_id', 'is', null);
  };
  // Row-value comparisons keep each side one short range of the (…, occurred_at, id) index.
  const after = await base()
    .where(sql<boolean>`(occurred_at, id) > (${doc.occurredAt}, ${doc.id})`)
    .orderBy('occurred_at')
    .orderBy('id')
    .limit(span)
    .execute();
  const prior = await base()
    .where(sql<boolean>`(occurred_at, id) < (${doc.occurredAt}, ${doc.id})`)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(span)
    .execute();
  return [...prior.reverse(), ...after].map((r) => toDoc(r as DocRow));
}

/** Writes documents' passages. */
export async function setPassages(db: Kysely<DB>, tenantId: string, passages: { id: number; passage: string }[]): Promise<void> {
  for (const p of passages) await db.updateTable('search_docs').set({ passage: p.passage }).where('tenant_id', '=', tenantId).where('id', '=', p.id).execute();
}

/**
 * Holds, until the transaction ends, the right to rewrite the passages of one session (or of a subject's
 * turns without a session): two turns of one session accepted at once would otherwise each miss the
 * other. PostgreSQL: a transaction-scoped advisory lock; SQLite has one writer at a time already.
 */
export async function lockPassages(trx: Kysely<DB>, tenantId: string, subjectId: string, sessionId: string | null): Promise<void> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`select pg_advisory_xact_lock(hashtextextended(${`passages/${tenantId}/${subjectId}/${sessionId ?? ''}`}, 0))`.execute(trx);
}

/** Which of these names are speakers in the subject's conversations, as they are spelled there. */
export async function speakersNamed(db: Kysely<DB>, tenantId: string, subjectId: string, names: string[]): Promise<string[]> {
  if (!names.length) return [];
  const rows = await db
    .selectFrom('search_docs')
    .select('speaker')
    .distinct()
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .where('speaker', 'in', names)
    .execute();
  return rows.map((r) => r.speaker).filter((s): s is string => s !== null);
}

/** Documents of one subject by id (for hits found another way, e.g. by vector). */
export async function docsByIds(db: Kysely<DB>, tenantId: string, subjectId: string, ids: number[]): Promise<SearchDoc[]> {
  if (!ids.length) return [];
  const rows = await db.selectFrom('search_docs').select(columns).where('tenant_id', '=', tenantId).where('subject_id', '=', subjectId).where('id', 'in', ids).execute();
  return rows.map((r) => toDoc(r as DocRow));
}

/** The belief documents of a subject whose beliefs have one of these predicates and are current. */
export async function currentBeliefDocs(db: Kysely<DB>, tenantId: string, subjectId: string, predicates: string[], limit: number): Promise<SearchDoc[]> {
  if (!predicates.length) return [];
  const rows = await db
    .selectFrom('beliefs as b')
    .innerJoin('search_docs as d', (j) => j.onRef('d.tenant_id', '=', 'b.tenant_id').onRef('d.ref_id', '=', 'b.id').on('d.kind', '=', 'belief'))
    .select(['d.id', 'd.kind', 'd.ref_id', 'd.envelope_id', 'd.session_id', 'd.speaker', 'd.occurred_at', 'd.body'])
    .where('b.tenant_id', '=', tenantId)
    .where('b.subject_id', '=', subjectId)
    .where('b.predicate', 'in', predicates)
    .where('b.status', '=', 'active')
    .orderBy('b.last_confirmed', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => toDoc(r as DocRow));
}

/** A subject's turns within a time window (by the named speakers, when there are any), earliest first. */
export async function eventsInWindow(
  db: Kysely<DB>,
  tenantId: string,
  subjectId: string,
  window: { from: number; to: number },
  speakers: string[],
  limit: number,
): Promise<SearchDoc[]> {
  const rows = await db
    .selectFrom('search_docs')
    .select(columns)
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .where('kind', '=', 'event')
    .where('occurred_at', '>=', window.from)
    .where('occurred_at', '<', window.to)
    .$if(speakers.length > 0, (w) => w.where('speaker', 'in', speakers))
    .orderBy('occurred_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => toDoc(r as DocRow));
}
