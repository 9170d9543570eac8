// Embedding in the background: the `retrieval.embed` job gives a tenant's search documents a vector of
// the configured model. The scheduler queues it for documents just indexed; the start-up check queues it
// over all documents when some lack a vector (a new model), and that job then drops the old models' vectors.
import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/index.js';
import type { DB } from '../platform/db/schema.js';
import { isAppError } from '../platform/errors.js';
import type { Logger } from '../platform/log.js';
import type { Queue } from '../platform/queue.js';
import type { JobHandler } from '../platform/worker.js';
import type { Embedder } from '../providers/embeddings.js';
import { type DocToEmbed, type NewVector, deleteOtherModels, docsLackingVector, tenantsToEmbed, writeVectors } from './vectors.js';

export const embedJob = 'retrieval.embed';

/** Calls within one window collapse into one job, due when the window has passed. */
export const embedWindowMs = 1000;
/** Batches one job embeds before it hands the rest to a follow-up job, so tenants take turns. */
const batchesPerJob = 50;
/**
 * How far behind the last job's end a job for new documents starts looking: PostgreSQL hands out ids
 * before commit, so a document can become visible behind newer ones. Anything further behind is found
 * by the start-up check, which looks at every document.
 */
const lateCommitIds = 1000;
/** Answers that mean "these inputs were refused" (too long, too many tokens), not "the server is down". */
const refusedInput = new Set([400, 413, 422]);

/** What one job looks at: the documents indexed since the last job, or every document of the tenant. */
export type EmbedScope = 'new' | 'all';

interface EmbedPayload {
  model: string;
  scope: EmbedScope;
  /** A follow-up job starts after this document id. */
  afterId?: number;
}

interface EmbedResult {
  model: string;
  scope: EmbedScope;
  embedded: number;
  refused: number;
  /** Every document up to this id lacking a vector was looked at (by this job or those before). */
  reached: number;
  continuesAfter?: number;
  removedOtherModels?: number;
}

/**
 * Queues the tenant's embedding job. Every call in the same window (per model and scope) returns the same
 * job, by its idempotency key; the job runs when the window has passed, so documents indexed during it are there.
 */
export async function enqueueEmbedding(queue: Queue, executor: Kysely<DB>, tenantId: string, model: string, now: number, scope: EmbedScope = 'new'): Promise<void> {
  const window = Math.floor(now / embedWindowMs);
  const payload: EmbedPayload = { model, scope };
  await queue.enqueue({ tenantId, kind: embedJob, payload, idempotencyKey: `${model}:${scope}:${window}`, runAt: (window + 1) * embedWindowMs }, executor);
}

/**
 * Collects the tenants whose documents were just indexed and queues their embedding jobs once per window,
 * outside the indexing transactions: a job row keyed per tenant and window, inserted inside them, would
 * make concurrent PostgreSQL transactions of one tenant wait on each other (and deadlock with their other locks).
 * A note lost to a crash before the flush is found by the start-up check.
 */
export class EmbeddingScheduler {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: { database: Database; queue: Queue; clock: Clock; model: string; logger: Logger }) {}

  /** The tenant has new documents; its job is queued at the end of the window. */
  noteIndexed(tenantId: string): void {
    this.pending.add(tenantId);
    // Unref'd: a pending note never keeps a process alive; the start-up check covers what it would have queued.
    this.timer ??= setTimeout(() => void this.flush(), embedWindowMs).unref();
  }

  /** Queues the jobs of every noted tenant now. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const tenants = [...this.pending];
    this.pending.clear();
    const { database, queue, clock, model, logger } = this.deps;
    for (const tenantId of tenants) {
      try {
        await enqueueEmbedding(queue, database.db, tenantId, model, clock.now());
      } catch (err) {
        logger.warn({ err, tenantId }, 'could not queue embedding; the next indexing or restart will');
      }
    }
  }
}

/** The start-up check: queues a job over all documents for every tenant with some lacking a vector of `model` (or old vectors to drop). */
export async function queueEmbeddingBackfill(deps: { database: Database; queue: Queue; clock: Clock }, model: string): Promise<string[]> {
  const tenants = await tenantsToEmbed(deps.database.db, model);
  for (const tenantId of tenants) await enqueueEmbedding(deps.queue, deps.database.db, tenantId, model, deps.clock.now(), 'all');
  return tenants;
}

export interface EmbeddingJobDeps {
  database: Database;
  queue: Queue;
  clock: Clock;
  embedder: Embedder;
  /** Documents read and embedded at a time (the client splits further by ENGRAM_EMBEDDINGS_BATCH). */
  batchSize: number;
}

export function createEmbeddingJobs(deps: EmbeddingJobDeps): Record<string, JobHandler> {
  const { database, queue, clock, embedder, batchSize } = deps;
  const db = database.db;
  const model = embedder.model;

  /** Where the tenant's last finished job got to; a job for new documents starts a little before it. */
  const lastReached = async (tenantId: string): Promise<number> => {
    const [last] = await queue.list(tenantId, { kind: embedJob, status: 'completed', limit: 1, offset: 0 });
    const reached = (last?.result as Partial<EmbedResult> | null)?.reached;
    return typeof reached === 'number' ? reached : 0;
  };

  /** Once every document has a vector of this model (none refused, none committed late), the old models' go. */
  const dropOtherModels = async (tenantId: string): Promise<number> => {
    const complete = (await docsLackingVector(db, tenantId, model, 0, 1)).length === 0;
    return complete ? deleteOtherModels(db, tenantId, model) : 0;
  };

  // Idempotent: it only reads documents still lacking a vector and writes with "do nothing" on conflict,
  // so a second run (or two at once) writes nothing twice; each batch is one statement.
  const embed: JobHandler = async (job, { signal }): Promise<EmbedResult> => {
    const tenantId = job.tenantId;
    const payload = (job.payload ?? {}) as Partial<EmbedPayload>;
    const scope: EmbedScope = payload.scope === 'all' ? 'all' : 'new';
    const before = Math.max(payload.afterId ?? 0, await lastReached(tenantId));
    let afterId = payload.afterId ?? (scope === 'all' ? 0 : Math.max(0, before - lateCommitIds));
    const result: EmbedResult = { model, scope, embedded: 0, refused: 0, reached: before };
    for (let batch = 0; batch < batchesPerJob; batch++) {
      signal.throwIfAborted();
      const docs = await docsLackingVector(db, tenantId, model, afterId, batchSize);
      if (!docs.length) return scope === 'all' ? { ...result, removedOtherModels: await dropOtherModels(tenantId) } : result;
      const vectors = await embedDocs(embedder, docs, signal);
      result.refused += docs.length - vectors.length;
      result.embedded += await writeVectors(db, tenantId, model, vectors, clock.now());
      afterId = docs[docs.length - 1]!.id;
      result.reached = Math.max(result.reached, afterId);
    }
    // Keyed by where it starts: a re-run of this job finds the follow-up queued and queues no second one.
    const next: EmbedPayload = { model, scope, afterId };
    await queue.enqueue({ tenantId, kind: embedJob, payload: next, idempotencyKey: `${model}:${scope}:after:${afterId}` });
    return { ...result, continuesAfter: afterId };
  };

  return { [embedJob]: embed };
}

/**
 * Vectors for the documents the server accepts. When it refuses a batch's input (a text too long for a
 * small local model), each text is tried alone and the refused ones are left without a vector. When it
 * refuses them all, a one-word probe tells a bad document from a bad request (a wrong model name), which
 * fails the job with the server's reason.
 */
async function embedDocs(embedder: Embedder, docs: DocToEmbed[], signal: AbortSignal): Promise<NewVector[]> {
  const toVector = (d: DocToEmbed, vector: Float32Array): NewVector => ({ docId: d.id, subjectId: d.subjectId, vector });
  try {
    const vectors = await embedder.embed(docs.map((d) => d.text), { signal });
    return docs.map((d, i) => toVector(d, vectors[i]!));
  } catch (err) {
    if (!isRefusal(err)) throw err;
  }
  const out: NewVector[] = [];
  for (const d of docs.length > 1 ? docs : []) {
    try {
      out.push(toVector(d, (await embedder.embed([d.text], { signal }))[0]!));
    } catch (err) {
      if (!isRefusal(err)) throw err;
    }
  }
  if (!out.length) await embedder.embed(['probe'], { signal });
  return out;
}

function isRefusal(err: unknown): boolean {
  return isAppError(err) && err.code === 'upstream_failed' && refusedInput.has(err.details.status as number);
}
