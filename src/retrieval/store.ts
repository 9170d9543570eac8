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
 * One opaque full-text token per (tenant, subject, kind): put inside every SQLite FTS5 query, it scopes
 * the index lookup itself (PostgreSQL's tsvector holds it too, but its queries name tenant and subject
 * instead: see postgresPostings). Turns' tokens start with z, beliefs' with b (migration 0012 split them).
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
  /** What the same search has already read; a search asks for the question's words more than once. */
  memo?: LexicalMemo;
}

/**
 * What one search reads once and asks again (with feedback words, within a time window): the subject's
 * size, the words' postings, the documents read, and (PostgreSQL, large subjects) how many sampled
 * documents hold each word.
 */
export class LexicalMemo {
  readonly docs = new Map<number, SearchDoc>();
  readonly totals = new Map<string, number>();
  readonly postings = new Map<string, number[]>();
  readonly counts = new Map<string, { body: number; any: number }>();
}

/**
 * How much a turn's own words count against its passage's (which holds them too): the passage weighs
 * more, since an answer's words are often in the turns around it. On LoCoMo, body 1 : passage 2 found
 * more evidence in the top 10 than either column alone.
 */
const weight = { body: 1, passage: 2 };

/**
 * Bounded work in a large subject. SQLite, from 10,000 documents of a kind: only the rarest words, as
 * many as together appear in the own words of at most 2% of the subject's turns (at least 2,000 turns'
 * worth, and always the rarest word), are matched in passages; the others count in turns' own words
 * only. Measured on a 26,000-turn subject (LoCoMo's ten conversations among LongMemEval turns): recall@10
 * 55.1% against 56.7% with every word in passages, and the 100,000-turn subject's search p95 about 100 ms
 * instead of 140.
 */
const largeSubject = 10_000;
const candidateShare = 0.02;
const candidateFloor = 2_000;
/**
 * PostgreSQL reads the postings of a subject of up to 2,000 documents of a kind whole. A larger subject
 * counts its words over its latest 2,000 documents and draws candidates from its rarest words only, as
 * many as together hold at most 2% of those (always the rarest word); the other words add to the
 * candidates' scores.
 */
const pgSample = 2_000;

/** At most this many ids of a time window are read up front (see lexicalSearch). */
const windowRead = 5_000;

/** The ids of a subject's documents of a kind said within [after, before], or null if more than `max`. */
async function idsWithin(database: Database, tenantId: string, subjectId: string, kind: DocKind, after: number, before: number, max: number): Promise<Set<number> | null> {
  const rows = await database.db
    .selectFrom('search_docs')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .where('kind', '=', kind)
    .where('occurred_at', '>=', after)
    .where('occurred_at', '<=', before)
    .limit(max + 1)
    .execute();
  return rows.length > max ? null : new Set(rows.map((r) => Number(r.id)));
}

const safeTerm = (t: string) => t.replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * The rarest words, as many as together are held by at most `budget` documents (by `count`), and always
 * the rarest one: what a large subject matches in full (see largeSubject, pgSample).
 */
function rarestWithin(terms: string[], count: (term: string) => number, budget: number): string[] {
  const chosen: string[] = [];
  let covered = 0;
  for (const term of [...terms].sort((a, b) => count(a) - count(b))) {
    covered += count(term);
    if (chosen.length && covered > budget) break;
    chosen.push(term);
  }
  return chosen;
}

/** Inverse document frequency, as BM25 has it. */
const idf = (total: number, df: number) => Math.log(1 + (total - df + 0.5) / (df + 0.5));

/** One word of a search: the documents holding it in their own words and in their passage, and what each counts. */
interface WordPostings {
  body: number[];
  passage: number[];
  /** The word's inverse document frequency within the subject. */
  idf: number;
  /** A word matched in own words only, in a large subject, counts there as body and passage both. */
  bodyWeight: number;
}

/**
 * Best-matching documents of one subject for any of the terms, each scoring the inverse document
 * frequency within the subject of the terms it holds (what BM25 weighs most), its own words weighing
 * less than its passage's. Each engine reads the words' postings within the subject (scoped inside the
 * index lookup); the ranking is one, here.
 */
export async function lexicalSearch(database: Database, tenantId: string, subjectId: string, q: LexicalQuery): Promise<LexicalHit[]> {
  const terms = [...new Set(q.terms.map(safeTerm).filter(Boolean))];
  if (!terms.length) return [];
  const own = q.ownWordsOnly ?? false;
  const memo = q.memo ?? new LexicalMemo();
  const before = q.before ?? Number.MAX_SAFE_INTEGER;
  const after = q.after ?? Number.MIN_SAFE_INTEGER;
  const words =
    database.engine === 'sqlite'
      ? await sqlitePostings(database, scopeToken(tenantId, subjectId, q.kind), terms, own, memo)
      : await postgresPostings(database, tenantId, subjectId, q.kind, terms, own, memo, { limit: q.limit, before, after });
  const scores = new Map<number, number>();
  for (const w of words) {
    for (const id of w.body) scores.set(id, (scores.get(id) ?? 0) + w.idf * w.bodyWeight);
    for (const id of w.passage) scores.set(id, (scores.get(id) ?? 0) + w.idf * weight.passage);
  }
  // The best of the wanted time, read a page at a time until enough are found. Pages grow (to at most
  // 10,000 ids, well under SQLite's limit of bound values), so a time filter that keeps few of the best
  // costs a few reads, not hundreds.
  let ranked = [...scores.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0]);
  // A time window ("last May") keeps few of the best: the ids said within it come first, from the
  // subject's time index, and only those are read (unless the window holds very many of them).
  if (q.after !== undefined) {
    const within = await idsWithin(database, tenantId, subjectId, q.kind, after, before, windowRead);
    if (within) ranked = ranked.filter(([id]) => within.has(id));
  }
  const hits: LexicalHit[] = [];
  for (let from = 0, page = Math.max(q.limit * 2, 100); from < ranked.length && hits.length < q.limit; from += page, page = Math.min(page * 4, 10_000)) {
    const slice = ranked.slice(from, from + page);
    // Documents this search already read are not read again (feedback words and the time window rank
    // mostly the same turns); the others by primary key only: the ids come from the subject's own postings
    // (a tenant condition here makes SQLite walk the tenant's index instead, a million rows at scale).
    const unread = slice.map(([id]) => id).filter((id) => !memo.docs.has(id));
    if (unread.length) {
      const rows = await database.db
        .selectFrom('search_docs')
        .select(columns)
        .where('id', 'in', unread)
        .where('occurred_at', '<=', before)
        .where('occurred_at', '>=', after)
        .execute();
      for (const r of rows) memo.docs.set(Number(r.id), toDoc(r as DocRow));
    }
    for (const [id, score] of slice) {
      const doc = memo.docs.get(id);
      if (doc && doc.occurredAt <= before && doc.occurredAt >= after && hits.length < q.limit) hits.push({ doc, score });
    }
  }
  return hits;
}

/**
 * SQLite: FTS5's own bm25() counts, for every query term, the rows that hold it in the whole index,
 * which costs tens of milliseconds per common word at a million documents. Matching within one
 * subject's scope is cheap (measured: 0.8 ms for a 1,000-document subject against 21 ms with bm25()), so
 * each term's postings in the subject are read (BM25's IDF without term frequency and length, which
 * measured the same recall on LoCoMo). In a large subject the more common words are matched in turns'
 * own words only (see largeSubject): their passage postings are five times longer and weigh little.
 */
async function sqlitePostings(database: Database, scope: string, terms: string[], own: boolean, memo: LexicalMemo): Promise<WordPostings[]> {
  const postings = async (column: 'body' | 'passage', term: string) => {
    const match = `scope : "${scope}" AND ${column} : "${term}"`;
    const known = memo.postings.get(match);
    if (known) return known;
    const { rows } = await sql<{ id: number }>`select rowid as id from search_fts where search_fts match ${match}`.execute(database.db);
    const ids = rows.map((r) => r.id);
    memo.postings.set(match, ids);
    return ids;
  };
  if (!memo.totals.has(scope)) {
    const { rows: counted } = await sql<{ n: number }>`select count(*) as n from search_fts where search_fts match ${`scope : "${scope}"`}`.execute(database.db);
    memo.totals.set(scope, counted[0]?.n ?? 0);
  }
  const total = memo.totals.get(scope)!;
  // Every word's own-words postings first: how many turns say a word orders the words by rarity.
  const inBody = new Map<string, number[]>();
  for (const term of terms) inBody.set(term, await postings('body', term));
  const inPassages = new Set<string>(
    own ? [] : total >= largeSubject ? rarestWithin(terms, (t) => inBody.get(t)!.length, Math.max(total * candidateShare, candidateFloor)) : terms,
  );
  const words: WordPostings[] = [];
  for (const term of terms) {
    const body = inBody.get(term)!;
    const passage = inPassages.has(term) ? await postings('passage', term) : [];
    const df = Math.min(total, Math.max(body.length, passage.length));
    if (df) words.push({ body, passage, idf: idf(total, df), bodyWeight: own || inPassages.has(term) ? weight.body : weight.body + weight.passage });
  }
  return words;
}

/**
 * PostgreSQL: the queries name tenant and subject, and one GIN index covers (tenant, subject, words)
 * (migration 0013, with btree_gin), so a match reads only the subject's share of each word's postings
 * (measured at 1.1M documents, three words in a 1,000-row subject: 1.4 ms; 6–16 ms with a words-only GIN
 * index, which the planner intersects with the subject's rows; 13 ms through a scope token in the
 * tsvector). One query reads, for every row of the subject holding any of the words, which words its body
 * (lexemes weighted A) and its passage (B) hold: each word's postings. A subject larger than `pgSample`
 * counts its words over its latest rows first, matches only its rarest words (see pgSample) and sends the
 * best-ranked candidates' postings only.
 */
async function postgresPostings(
  database: Database,
  tenantId: string,
  subjectId: string,
  kind: DocKind,
  terms: string[],
  own: boolean,
  memo: LexicalMemo,
  { limit, before, after }: { limit: number; before: number; after: number },
): Promise<WordPostings[]> {
  const subject = sql`tenant_id = ${tenantId} and subject_id = ${subjectId} and kind = ${kind}`;
  // The engine's own stemming: what to_tsquery makes of a word is what the index holds (nothing for a
  // stopword). As a sub-select it is made once per query, not once per row; the match keeps the plain
  // call, which the planner reads to choose between the subject's rows and the GIN index.
  const tsquery = (text: string) => sql`(select to_tsquery('english', ${text}))`;
  /** How many documents of a kind the subject has, counted up to one more than `pgSample`. */
  const size = (k: DocKind) => sql`(select count(*) from (select 1 from search_docs where tenant_id = ${tenantId} and subject_id = ${subjectId} and kind = ${k} limit ${pgSample + 1}) s)`;
  /**
   * Per row holding any `matching` word, whether its body (a) and passage (b) hold each `flagged` word;
   * each row's tsvector read out of TOAST once. With `best` (the words' IDFs), only the search's `limit`
   * best rows of its time span, ranked here as lexicalSearch ranks them (a large subject's candidates are
   * too many to send whole).
   */
  const readRows = async (flagged: string[], matching: string[], best?: { idf: number[] }) => {
    const flags = flagged.flatMap((t, i) => [sql`tsv @@ ${tsquery(`${t}:A`)} as ${sql.ref(`a${i}`)}`, sql`tsv @@ ${tsquery(`${t}:B`)} as ${sql.ref(`b${i}`)}`]);
    // A search's first read does not know yet whether the subject is small: it counts it in the same
    // query and matches its rows only if it is (one round trip instead of two for most subjects).
    const sizing = !best && !memo.totals.has(kind);
    const matched = sql`
      select ${sql.join([sql`id`, ...flags])}
      from (select id, tsv || ''::tsvector as tsv from search_docs
            where ${subject} and tsv @@ to_tsquery('english', ${matching.map((t) => (own ? `${t}:A` : t)).join(' | ')})
            ${best ? sql`and occurred_at <= ${before} and occurred_at >= ${after}` : sql``}
            ${sizing ? sql`and ${size(kind)} <= ${pgSample}` : sql``} offset 0) m`;
    const rank = (b: NonNullable<typeof best>) =>
      sql.join(
        flagged.map((_, i) => sql`${b.idf[i]!}::float8 * (case when ${sql.ref(`a${i}`)} then ${weight.body} else 0 end + case when ${sql.ref(`b${i}`)} then ${own ? 0 : weight.passage} else 0 end)`),
        sql` + `,
      );
    if (best) {
      const { rows } = await sql<Record<string, number | boolean>>`select * from (${matched}) f order by ${rank(best)} desc, id desc limit ${limit}`.execute(database.db);
      return flagged.map((_, i) => ({
        body: rows.filter((r) => r[`a${i}`]).map((r) => Number(r.id)),
        passage: own ? [] : rows.filter((r) => r[`b${i}`]).map((r) => Number(r.id)),
      }));
    }
    // Each word's postings as two arrays in one row: hundreds of rows of flags cost more to send and parse.
    const lists = flagged.flatMap((_, i) => [
      sql`coalesce(array_agg(id) filter (where ${sql.ref(`a${i}`)}), '{}') as ${sql.ref(`a${i}`)}`,
      sql`coalesce(array_agg(id) filter (where ${sql.ref(`b${i}`)}), '{}') as ${sql.ref(`b${i}`)}`,
    ]);
    // Both kinds' sizes at once: a search asks for turns and then for beliefs.
    const sizes = sizing ? [sql`${size('event')} as size_event`, sql`${size('belief')} as size_belief`] : [];
    const { rows } = await sql<Record<string, (number | string)[] | number | string>>`select ${sql.join([...lists, ...sizes])} from (${matched}) f`.execute(database.db);
    const row = rows[0]!;
    if (sizing) {
      memo.totals.set('event', Number(row.size_event));
      memo.totals.set('belief', Number(row.size_belief));
    }
    const ids = (column: string) => (row[column] as (number | string)[]).map(Number);
    return flagged.map((_, i) => ({ body: ids(`a${i}`), passage: own ? [] : ids(`b${i}`) }));
  };
  // The whole subject, when it is small: exact postings, kept for the rest of the search. Own-words
  // searches match bodies only, so their passage lists are partial: kept apart.
  const key = (column: 'A' | 'B', t: string) => `${kind} ${own ? 'own' : 'all'} ${column} ${t}`;
  const readWhole = async (unknown: string[]) => {
    const read = await readRows(unknown, unknown);
    if (memo.totals.get(kind)! > pgSample) return;
    unknown.forEach((t, i) => {
      memo.postings.set(key('A', t), read[i]!.body);
      memo.postings.set(key('B', t), read[i]!.passage);
    });
  };
  if (!memo.totals.has(kind)) await readWhole(terms);
  const total = memo.totals.get(kind)!;
  if (total === 0) return [];
  if (total <= pgSample) {
    const unknown = terms.filter((t) => !memo.postings.has(key('A', t)));
    if (unknown.length) await readWhole(unknown);
    return terms.flatMap((t) => {
      const body = memo.postings.get(key('A', t))!;
      const passage = own ? [] : memo.postings.get(key('B', t))!;
      const df = Math.max(body.length, passage.length);
      return df ? [{ body, passage, idf: idf(total, df), bodyWeight: weight.body }] : [];
    });
  }
  // A large subject: how many of its latest rows hold each word, then the rows holding the rarest words.
  const countKey = (t: string) => `${kind} ${t}`;
  const uncounted = terms.filter((t) => !memo.counts.has(countKey(t)));
  if (uncounted.length || !memo.totals.has(`${kind} sample`)) {
    const perTerm = uncounted.flatMap((t, i) => [
      sql`count(*) filter (where tsv @@ ${tsquery(`${t}:A`)}) as ${sql.ref(`a${i}`)}`,
      // Anywhere: a belief has no passage, and a turn's passage holds its body.
      sql`count(*) filter (where tsv @@ ${tsquery(t)}) as ${sql.ref(`b${i}`)}`,
    ]);
    const { rows } = await sql<Record<string, number | string>>`
      select ${sql.join([sql`count(*) as total`, ...perTerm])}
      from (select tsv || ''::tsvector as tsv from search_docs where ${subject} order by occurred_at desc limit ${pgSample}) latest`.execute(database.db);
    memo.totals.set(`${kind} sample`, Number(rows[0]?.total ?? 0));
    uncounted.forEach((t, i) => memo.counts.set(countKey(t), { body: Number(rows[0]?.[`a${i}`] ?? 0), any: Number(rows[0]?.[`b${i}`] ?? 0) }));
  }
  const sampled = memo.totals.get(`${kind} sample`)!;
  const df = new Map(terms.map((t) => [t, own ? memo.counts.get(countKey(t))!.body : memo.counts.get(countKey(t))!.any]));
  // Words the sample lacks may still be in older rows: they are the rarest of all, so they stay.
  const matching = rarestWithin(terms, (t) => df.get(t)!, sampled * candidateShare);
  const idfs = terms.map((t) => idf(sampled, df.get(t)!));
  const read = await readRows(terms, matching, { idf: idfs });
  return terms.map((t, i) => ({ ...read[i]!, idf: idfs[i]!, bodyWeight: weight.body }));
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
