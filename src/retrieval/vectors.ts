// The optional vector side of search: one vector per document and embedding model in `search_vectors`
// (float32 little-endian, unit length), and nearest-neighbour search by exact cosine over one subject.
//
// Both scans read only the rows of one (tenant, subject, model) through the search_vectors_subject index,
// so they never see another subject's vectors:
// - 'sqlite-vec' (SQLite, where the extension loads): the rows are scored inside the query by sqlite-vec's
//   vec_distance_cosine; nothing is held in memory between searches.
// - 'portable' (PostgreSQL, and SQLite without the extension): the rows are read, decoded and scored in JS,
//   kept decoded in an LRU cache. pgvector is not used: it is not packaged for Debian 12, the platform
//   Engram is built and tested on, so no path through it could be tested here.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../platform/db/index.js';
import type { DB } from '../platform/db/schema.js';
import type { EmbedOptions, Embedder } from '../providers/embeddings.js';

export interface VectorHit {
  docId: number;
  score: number;
}

/** What search uses: the model its vectors are of, and the documents nearest a query. Throws when the embedder fails. */
export interface VectorSearch {
  readonly model: string;
  nearest(tenantId: string, subjectId: string, query: string, k: number): Promise<VectorHit[]>;
}

export interface DocToEmbed {
  id: number;
  subjectId: string;
  /** What its vector is made of: see embeddingText. */
  text: string;
}

export interface NewVector {
  docId: number;
  subjectId: string;
  vector: Float32Array;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The vector scaled to unit length, so that cosine is a dot product. */
export function unitLength(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return vector.map((x) => x * scale);
}

/** A vector as stored: unit length, float32 little-endian. */
export function encodeVector(vector: Float32Array): Buffer {
  const unit = unitLength(vector);
  const out = Buffer.alloc(unit.length * 4);
  for (let i = 0; i < unit.length; i++) out.writeFloatLE(unit[i]!, i * 4);
  return out;
}

/** Copies a stored vector into `target` at `offset` (in floats). */
function decodeInto(bytes: Uint8Array, target: Float32Array, offset: number): void {
  if (littleEndian) {
    new Uint8Array(target.buffer, target.byteOffset + offset * 4, bytes.byteLength).set(bytes);
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < bytes.byteLength / 4; i++) target[offset + i] = view.getFloat32(i * 4, true);
}

export function decodeVector(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.byteLength / 4);
  decodeInto(bytes, out, 0);
  return out;
}

/** Writes vectors of `model`; a document that already has one of this model keeps it. */
export async function writeVectors(db: Kysely<DB>, tenantId: string, model: string, vectors: NewVector[], now: number): Promise<number> {
  if (!vectors.length) return 0;
  const rows = vectors.map((v) => ({
    tenant_id: tenantId,
    subject_id: v.subjectId,
    doc_id: v.docId,
    model,
    dims: v.vector.length,
    vector: encodeVector(v.vector),
    created_at: now,
  }));
  const r = await db
    .insertInto('search_vectors')
    .values(rows)
    .onConflict((oc) => oc.columns(['doc_id', 'model']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n);
}

/**
 * What a document's vector is made of: its own text, then the turn before it in its session when someone
 * else said it (the turn it replies to). A reply means little alone ("Yes, the beach one!") and a question
 * is often asked in the words of the turn it answers. A speaker's own earlier turn is not added: it is a
 * statement of its own, with its own vector, and when only one side of a conversation is sent (a user's
 * messages without the assistant's) it is not what the turn answered; measured on LongMemEval_S, whose
 * bench indexes user turns only, adding it cost all-sessions recall@5 0.2 points and preference any@5 3.4.
 * Turns whose speaker is not known are taken as replies. Measured with the bench's local encoder, vectors
 * alone ranking LoCoMo's 5,882 turns for its questions: evidence recall@10 36.3% with each turn alone,
 * 49.2% with the turn before it after it (47.2% before it; the turn comes first so that an encoder's
 * length limit cuts the previous turn, not the turn). Only the turn before, not the one after: an earlier
 * turn is there when the vector is made (turns arrive in order) and never changes, so a vector never needs
 * making again; a turn that arrives after the one it preceded is not in that one's vector.
 */
export function embeddingText(body: string, previous: string | null): string {
  return previous ? `${body}\n${previous}` : body;
}

/** The tenant's documents without a vector of `model`, in id order after `afterId`, with what to embed. */
export async function docsLackingVector(db: Kysely<DB>, tenantId: string, model: string, afterId: number, limit: number): Promise<DocToEmbed[]> {
  // The page is chosen first, so that the turn before is looked up for its rows only.
  const page = db
    .selectFrom('search_docs as d')
    .select(['d.id', 'd.subject_id', 'd.session_id', 'd.kind', 'd.speaker', 'd.occurred_at', 'd.body'])
    .where('d.tenant_id', '=', tenantId)
    .where('d.id', '>', afterId)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('search_vectors as v').select('v.doc_id').whereRef('v.doc_id', '=', 'd.id').where('v.model', '=', model))),
    )
    .orderBy('d.id')
    .limit(limit);
  const rows = await db
    .selectFrom(page.as('d'))
    .select(['d.id', 'd.subject_id', 'd.body'])
    // The turn said just before it, as `neighbours` (store.ts) finds it: in its session (a session holds one
    // subject's turns: accepting an envelope checks it), or among its subject's turns without one. Each
    // branch walks one index backwards from the turn and stops at the first row (search_docs_session,
    // search_docs_subject); a belief has no turn before it and looks for none. A turn before by the same
    // speaker gives nothing (see embeddingText).
    .select((eb) => {
      const previous = eb
        .selectFrom('search_docs as p')
        .select(sql<string | null>`case when p.speaker = d.speaker then null else p.body end`.as('body'))
        .where('p.tenant_id', '=', tenantId)
        .where(sql<boolean>`(p.occurred_at, p.id) < (d.occurred_at, d.id)`)
        .orderBy('p.occurred_at', 'desc')
        .orderBy('p.id', 'desc')
        .limit(1);
      return eb
        .case()
        .when('d.kind', '<>', 'event')
        .then(null)
        .when('d.session_id', 'is', null)
        .then(previous.whereRef('p.subject_id', '=', 'd.subject_id').where('p.kind', '=', 'event').where('p.session_id', 'is', null))
        .else(previous.whereRef('p.session_id', '=', 'd.session_id'))
        .end()
        .as('previous');
    })
    .orderBy('d.id')
    .execute();
  return rows.map((r) => ({ id: Number(r.id), subjectId: r.subject_id, text: embeddingText(r.body, r.previous ?? null) }));
}

/** Deletes the tenant's vectors of every model but `model`; returns how many. */
export async function deleteOtherModels(db: Kysely<DB>, tenantId: string, model: string): Promise<number> {
  const r = await db.deleteFrom('search_vectors').where('tenant_id', '=', tenantId).where('model', '<>', model).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Tenants with embedding work for `model`: documents without its vector, or vectors of another model
 * still to remove. Across tenants by design: the start-up check of a worker (see embedding-jobs.ts).
 */
export async function tenantsToEmbed(db: Kysely<DB>, model: string): Promise<string[]> {
  const lacking = db
    .selectFrom('search_docs as d')
    .select('d.tenant_id')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('search_vectors as v').select('v.doc_id').whereRef('v.doc_id', '=', 'd.id').where('v.model', '=', model))),
    );
  const stale = db.selectFrom('search_vectors').select('tenant_id').where('model', '<>', model);
  const rows = await lacking.union(stale).execute();
  return rows.map((r) => r.tenant_id).sort();
}

/** One subject's vectors of one model, as a row-major matrix. */
export interface SubjectVectors {
  docIds: number[];
  dims: number;
  matrix: Float32Array;
}

export async function subjectVectors(db: Kysely<DB>, tenantId: string, subjectId: string, model: string): Promise<SubjectVectors> {
  const rows = await db
    .selectFrom('search_vectors')
    .select(['doc_id', 'dims', 'vector'])
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .where('model', '=', model)
    .execute();
  const dims = rows[0]?.dims ?? 0;
  const matrix = new Float32Array(rows.length * dims);
  const docIds: number[] = [];
  for (const r of rows) {
    // A model that changed its output size under the same name: those vectors cannot be compared.
    if (r.dims !== dims) throw new Error(`search vectors of model ${model} have ${dims} and ${r.dims} dimensions; re-embed with one model`);
    decodeInto(r.vector, matrix, docIds.length * dims);
    docIds.push(Number(r.doc_id));
  }
  return { docIds, dims, matrix };
}

/** How many vectors of `model` the subject has: the cache's check that nothing was added or removed. */
export async function countVectors(db: Kysely<DB>, tenantId: string, subjectId: string, model: string): Promise<number> {
  const row = await db
    .selectFrom('search_vectors')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .where('model', '=', model)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Subjects' vectors kept decoded between searches, up to a byte budget, least recently used out first.
 * Reading and decoding a 1,000-vector subject costs 6–14 ms on SQLite and 14–23 ms on PostgreSQL (384
 * dimensions); counting its rows, which is how an entry is checked, under 1 ms. The count is a sound check
 * because a subject's vectors of one model are only ever added (the job) or removed all at once (erasure).
 */
class VectorCache {
  private readonly entries = new Map<string, { count: number; vectors: SubjectVectors }>();
  private bytes = 0;

  constructor(private readonly budgetBytes: number) {}

  get(key: string, count: number): SubjectVectors | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.drop(key);
    if (entry.count !== count) return undefined;
    this.add(key, entry.count, entry.vectors);
    return entry.vectors;
  }

  set(key: string, count: number, vectors: SubjectVectors): void {
    this.drop(key);
    if (vectors.matrix.byteLength > this.budgetBytes) return;
    this.add(key, count, vectors);
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.budgetBytes) break;
      this.drop(oldest);
    }
  }

  private add(key: string, count: number, vectors: SubjectVectors): void {
    this.entries.set(key, { count, vectors });
    this.bytes += vectors.matrix.byteLength;
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.vectors.matrix.byteLength;
  }
}

/**
 * Query vectors recently embedded, per tenant and text, least recently used out first. Asking the same
 * question again is common (a client searches, then asks for context with the same words, or retries),
 * and each embedding is a round trip to the embedder (25–45 ms with the bench's local encoder). A request
 * still in flight is shared, and a failed one is forgotten, so the next search asks again. Keyed by tenant
 * too: one tenant's questions never change another's timings.
 */
class QueryVectors {
  private readonly entries = new Map<string, Promise<Float32Array>>();

  constructor(
    private readonly embed: (text: string) => Promise<Float32Array>,
    private readonly capacity: number,
  ) {}

  get(tenantId: string, text: string): Promise<Float32Array> {
    const key = `${tenantId}\u0000${text}`;
    const known = this.entries.get(key);
    if (known) {
      this.entries.delete(key);
      this.entries.set(key, known);
      return known;
    }
    const pending = this.embed(text);
    pending.catch(() => {
      if (this.entries.get(key) === pending) this.entries.delete(key);
    });
    if (this.capacity <= 0) return pending;
    this.entries.set(key, pending);
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(oldest);
    }
    return pending;
  }
}

/** The k rows of `vectors` nearest `query` (unit length) by cosine, best first. */
export function topByCosine(vectors: SubjectVectors, query: Float32Array, k: number): VectorHit[] {
  const { docIds, dims, matrix } = vectors;
  if (query.length !== dims) throw new Error(`the query vector has ${query.length} dimensions, the stored ones ${dims}`);
  const top: VectorHit[] = [];
  for (let row = 0; row < docIds.length; row++) {
    let score = 0;
    const base = row * dims;
    for (let i = 0; i < dims; i++) score += matrix[base + i]! * query[i]!;
    if (top.length === k && score <= top[k - 1]!.score) continue;
    let at = top.length === k ? k - 1 : top.length;
    while (at > 0 && top[at - 1]!.score < score) at--;
    top.splice(at, 0, { docId: docIds[row]!, score });
    if (top.length > k) top.pop();
  }
  return top;
}

/** The k vectors of the subject nearest `query`, scored in SQL by sqlite-vec (the extension must be loaded). */
export async function nearestInSqlite(db: Kysely<DB>, tenantId: string, subjectId: string, model: string, query: Float32Array, k: number): Promise<VectorHit[]> {
  // Stored vectors are unit length, so cosine distance is 1 − the dot product; a zero vector has none (null).
  const rows = await sql<{ doc_id: number; distance: number | null }>`
    select doc_id, vec_distance_cosine(vector, ${encodeVector(query)}) as distance
    from search_vectors
    where tenant_id = ${tenantId} and subject_id = ${subjectId} and model = ${model}
    order by distance nulls last
    limit ${k}`.execute(db);
  return rows.rows.filter((r) => r.distance !== null).map((r) => ({ docId: Number(r.doc_id), score: 1 - r.distance! }));
}

export interface VectorSearchOptions {
  /** How the query is embedded; by default one attempt within 2 s, since search can answer lexically instead. */
  query?: EmbedOptions;
  /** Decoded vectors kept in memory between searches by the portable scan (default 64 MiB; 0: read them every time). */
  cacheBytes?: number;
  /** The scan to use; by default the database's own (see Database.vectorScan). */
  scan?: Database['vectorScan'];
  /** Query vectors remembered per tenant and text (default 512, a few MiB at most; 0: embed every query). */
  queryCache?: number;
}

export function createVectorSearch(database: Database, embedder: Embedder, options: VectorSearchOptions = {}): VectorSearch {
  const model = embedder.model;
  const queryOptions = options.query ?? { maxRetries: 0, timeoutMs: 2000 };
  const queries = new QueryVectors(async (text) => unitLength((await embedder.embed([text], queryOptions))[0]!), options.queryCache ?? 512);
  if ((options.scan ?? database.vectorScan) === 'sqlite-vec') {
    return {
      model,
      async nearest(tenantId, subjectId, query, k) {
        if (k <= 0 || !query.trim()) return [];
        return nearestInSqlite(database.db, tenantId, subjectId, model, await queries.get(tenantId, query), k);
      },
    };
  }
  const cache = new VectorCache(options.cacheBytes ?? 64 * 1024 * 1024);
  const load = async (tenantId: string, subjectId: string): Promise<SubjectVectors> => {
    const key = `${tenantId}\u0000${subjectId}`;
    const count = await countVectors(database.db, tenantId, subjectId, model);
    const cached = cache.get(key, count);
    if (cached) return cached;
    const vectors = await subjectVectors(database.db, tenantId, subjectId, model);
    cache.set(key, count, vectors);
    return vectors;
  };
  return {
    model,
    async nearest(tenantId, subjectId, query, k) {
      if (k <= 0 || !query.trim()) return [];
      // The query's embedding and the subject's vectors are fetched side by side: each is a round trip.
      const [vector, stored] = await Promise.all([queries.get(tenantId, query), load(tenantId, subjectId)]);
      if (!stored.docIds.length) return [];
      return topByCosine(stored, vector, k);
    },
  };
}
