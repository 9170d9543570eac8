// The durable job queue: rows in the `jobs` table, claimed with a lease, retried with backoff, then dead.
// Every state change is one statement fenced by the lease token, so a worker that lost its lease
// (killed, stalled) can never complete or fail a job another worker now holds.
import { type Kysely, sql, type Selectable } from 'kysely';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { Database } from './db/index.js';
import type { DB, JobStatus, JobsTable } from './db/schema.js';
import type { Ids } from './ids.js';
import { createIds } from './ids.js';

export const jobStatuses: readonly JobStatus[] = ['queued', 'running', 'completed', 'dead'];

export interface Job {
  id: string;
  tenantId: string;
  kind: string;
  payload: unknown;
  status: JobStatus;
  priority: number;
  idempotencyKey: string | null;
  attempts: number;
  maxAttempts: number;
  runAt: number;
  leaseUntil: number | null;
  leaseToken: string | null;
  lockedBy: string | null;
  lastError: string | null;
  result: unknown;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface JobFilter {
  status?: JobStatus;
  kind?: string;
  /** Only jobs whose payload names this user (`{"userId": …}`). */
  userId?: string;
}

/** What a worker holds after a claim: enough to prove it still owns the job. */
export type Lease = Pick<Job, 'id' | 'leaseToken'>;

export interface EnqueueInput {
  tenantId: string;
  kind: string;
  payload: unknown;
  /** Same tenant + kind + key → the existing job is returned, nothing new is queued. */
  idempotencyKey?: string;
  /** Lower runs first; 0 is the default. */
  priority?: number;
  maxAttempts?: number;
  runAt?: number;
}

export interface QueueOptions {
  clock?: Clock;
  ids?: Ids;
  defaultMaxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

const maxErrorLength = 4000;
const leaseExpired = 'lease expired: the worker stopped heartbeating (crashed or stalled)';

/** The columns that put a job back in the queue, due at `runAt`, held by nobody. */
const backInQueue = (now: number, runAt: number) =>
  ({ status: 'queued', run_at: runAt, lease_until: null, lease_token: null, locked_by: null, updated_at: now }) as const;

/** The columns that end a job for good (completed or dead). */
const ended = (status: 'completed' | 'dead', now: number) =>
  ({ status, lease_until: null, lease_token: null, finished_at: now, updated_at: now }) as const;

function toJob(row: Selectable<JobsTable>): Job {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind,
    payload: JSON.parse(row.payload),
    status: row.status,
    priority: row.priority,
    idempotencyKey: row.idempotency_key,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: row.run_at,
    leaseUntil: row.lease_until,
    leaseToken: row.lease_token,
    lockedBy: row.locked_by,
    lastError: row.last_error,
    result: row.result === null ? null : JSON.parse(row.result),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export class Queue {
  private readonly clock: Clock;
  private readonly ids: Ids;
  private readonly defaultMaxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly listeners = new Set<() => void>();
  private lastReap = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly database: Database,
    options: QueueOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.ids = options.ids ?? createIds(this.clock);
    this.defaultMaxAttempts = options.defaultMaxAttempts ?? 5;
    this.backoffBaseMs = options.backoffBaseMs ?? 1000;
    this.backoffMaxMs = options.backoffMaxMs ?? 3_600_000;
  }

  private get db() {
    return this.database.db;
  }

  /** Called after every enqueue in this process, so an in-process worker can start at once. */
  onEnqueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Queues a job. Pass the caller's transaction as `executor` to make the job part of the same commit as
   * the rows it will work on (nothing accepted without its job, no job without its rows).
   */
  async enqueue(input: EnqueueInput, executor: Kysely<DB> = this.db): Promise<{ job: Job; created: boolean }> {
    const now = this.clock.now();
    const inserted = await executor
      .insertInto('jobs')
      .values({
        id: this.ids.next(),
        tenant_id: input.tenantId,
        kind: input.kind,
        payload: JSON.stringify(input.payload ?? null),
        status: 'queued',
        priority: input.priority ?? 0,
        idempotency_key: input.idempotencyKey ?? null,
        max_attempts: input.maxAttempts ?? this.defaultMaxAttempts,
        run_at: input.runAt ?? now,
        lease_until: null,
        lease_token: null,
        locked_by: null,
        last_error: null,
        result: null,
        created_at: now,
        updated_at: now,
        started_at: null,
        finished_at: null,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'kind', 'idempotency_key']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) {
      for (const listener of this.listeners) listener();
      return { job: toJob(inserted), created: true };
    }
    const existing = await executor
      .selectFrom('jobs')
      .selectAll()
      .where('tenant_id', '=', input.tenantId)
      .where('kind', '=', input.kind)
      .where('idempotency_key', '=', input.idempotencyKey ?? '')
      .executeTakeFirstOrThrow();
    return { job: toJob(existing), created: false };
  }

  /**
   * Claims up to `limit` runnable jobs of the given kinds for `workerId`, leased for `leaseMs`.
   * PostgreSQL skips rows another transaction is claiming; SQLite has one writer at a time anyway.
   */
  async claim(opts: { workerId: string; kinds: readonly string[]; limit: number; leaseMs: number }): Promise<Job[]> {
    if (opts.kinds.length === 0 || opts.limit <= 0) return [];
    const now = this.clock.now();
    // Reaping takes the write lock (SQLite) and scans running jobs; once a second is plenty for leases
    // measured in tens of seconds.
    if (now - this.lastReap >= 1000 || now < this.lastReap) {
      this.lastReap = now;
      await this.reapExpiredLeases();
    }
    const runnable = this.db
      .selectFrom('jobs')
      .select('id')
      // A literal, not a bound parameter: only then can SQLite use the partial index jobs_claim
      // (WHERE status = 'queued'); with `status = ?` it sorted every queued row on each claim.
      .where(sql<boolean>`status = 'queued'`)
      .where('run_at', '<=', now)
      .where('kind', 'in', opts.kinds)
      .orderBy('priority')
      .orderBy('run_at')
      .orderBy('id')
      .limit(opts.limit)
      .$if(this.database.engine === 'postgres', (q) => q.forUpdate().skipLocked());
    const rows = await this.db
      .updateTable('jobs')
      .set({
        status: 'running',
        attempts: sql`attempts + 1`,
        lease_until: now + opts.leaseMs,
        lease_token: this.ids.next(),
        locked_by: opts.workerId,
        started_at: now,
        updated_at: now,
      })
      .where('id', 'in', runnable)
      .returningAll()
      .execute();
    return rows.map(toJob).sort((a, b) => a.priority - b.priority || a.runAt - b.runAt);
  }

  /** Extends the lease; false means the lease was lost and the worker must stop working on the job. */
  async heartbeat(lease: Lease, leaseMs: number): Promise<boolean> {
    const now = this.clock.now();
    const r = await this.ownedRunning(lease).set({ lease_until: now + leaseMs, updated_at: now }).executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async complete(lease: Lease, result: unknown = null): Promise<boolean> {
    const now = this.clock.now();
    const r = await this.ownedRunning(lease)
      .set({ ...ended('completed', now), result: JSON.stringify(result ?? null) })
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /** Records a failed attempt: back to the queue after an exponential backoff, or dead when out of attempts. */
  async fail(lease: Lease, error: string): Promise<'retry' | 'dead' | 'lost'> {
    const now = this.clock.now();
    const current = await this.db
      .selectFrom('jobs')
      .select(['attempts', 'max_attempts'])
      .where('id', '=', lease.id)
      .where('lease_token', '=', lease.leaseToken)
      .executeTakeFirst();
    if (!current) return 'lost';
    const lastError = error.slice(0, maxErrorLength);
    const dead = current.attempts >= current.max_attempts;
    const r = await this.ownedRunning(lease)
      .set(
        dead
          ? { ...ended('dead', now), last_error: lastError }
          : { ...backInQueue(now, now + this.backoffMs(current.attempts)), last_error: lastError },
      )
      .executeTakeFirst();
    if (r.numUpdatedRows === 0n) return 'lost';
    return dead ? 'dead' : 'retry';
  }

  /** Gives a leased job back untouched (graceful shutdown): the attempt does not count. */
  async release(lease: Lease): Promise<boolean> {
    const now = this.clock.now();
    const r = await this.ownedRunning(lease)
      .set({ ...backInQueue(now, now), attempts: sql`attempts - 1` })
      .executeTakeFirst();
    if (r.numUpdatedRows > 0n) for (const listener of this.listeners) listener();
    return r.numUpdatedRows > 0n;
  }

  /** Jobs whose worker vanished: back to the queue (the attempt counts), or dead when none are left. */
  async reapExpiredLeases(): Promise<number> {
    const now = this.clock.now();
    const dead = await this.expiredLeases(now)
      .where('attempts', '>=', sql<number>`max_attempts`)
      .set({ ...ended('dead', now), last_error: leaseExpired })
      .executeTakeFirst();
    const requeued = await this.expiredLeases(now)
      .set({ ...backInQueue(now, now), last_error: leaseExpired })
      .executeTakeFirst();
    return Number(dead.numUpdatedRows + requeued.numUpdatedRows);
  }

  /**
   * Records work the caller does itself, right now (an LLM call inside a request), as a job already running
   * with a single attempt: the caller completes or fails it with the returned lease, and one failure makes it
   * dead. If the process dies first the lease runs out and the reaper marks it dead. No worker ever claims it.
   */
  async startInline(input: { tenantId: string; kind: string; payload: unknown; workerId: string; leaseMs: number }): Promise<Job> {
    const now = this.clock.now();
    const row = await this.db
      .insertInto('jobs')
      .values({
        id: this.ids.next(),
        tenant_id: input.tenantId,
        kind: input.kind,
        payload: JSON.stringify(input.payload ?? null),
        status: 'running',
        priority: 0,
        idempotency_key: null,
        attempts: 1,
        max_attempts: 1,
        run_at: now,
        lease_until: now + input.leaseMs,
        lease_token: this.ids.next(),
        locked_by: input.workerId,
        last_error: null,
        result: null,
        created_at: now,
        updated_at: now,
        started_at: now,
        finished_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toJob(row);
  }

  /** One job of the tenant; with `userId`, only when its payload names that user (see list). */
  async get(tenantId: string, id: string, owner: { userId?: string } = {}): Promise<Job | undefined> {
    const row = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .$if(owner.userId !== undefined, (q) => q.where(this.payloadUserId(), '=', owner.userId!))
      .executeTakeFirst();
    return row ? toJob(row) : undefined;
  }

  /** The tenant's jobs, newest first; `userId` keeps those whose payload carries `userId` equal to it. */
  async list(tenantId: string, filter: JobFilter & { limit: number; offset: number }): Promise<Job[]> {
    const rows = await this.filtered(tenantId, filter)
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute();
    return rows.map(toJob);
  }

  /** How many jobs list would return across all pages. */
  async count(tenantId: string, filter: JobFilter): Promise<number> {
    const row = await this.filtered(tenantId, filter)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Queue depth by state across all tenants (for /metrics). */
  async countByStatus(): Promise<Record<JobStatus, number>> {
    const rows = await this.db
      .selectFrom('jobs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const counts = Object.fromEntries(jobStatuses.map((s) => [s, 0])) as Record<JobStatus, number>;
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts;
  }

  /**
   * A dead job back in the queue with a fresh set of attempts, due now; its last error stays for the record.
   * One conditional statement, so two operators pressing retry at once requeue it once. False: not dead (or gone).
   */
  async retryDead(id: string): Promise<boolean> {
    const now = this.clock.now();
    const r = await this.db
      .updateTable('jobs')
      .set({ ...backInQueue(now, now), attempts: 0, finished_at: null })
      .where('id', '=', id)
      .where('status', '=', 'dead')
      .executeTakeFirst();
    if (r.numUpdatedRows > 0n) for (const listener of this.listeners) listener();
    return r.numUpdatedRows > 0n;
  }

  /** Dead jobs of every tenant, most recently ended first: staff tools only (/admin/). */
  async listDead(limit: number): Promise<Job[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('status', '=', 'dead')
      .orderBy('finished_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toJob);
  }

  backoffMs(attempts: number): number {
    return Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** Math.max(0, attempts - 1));
  }

  private filtered(tenantId: string, filter: JobFilter) {
    return this.db
      .selectFrom('jobs')
      .where('tenant_id', '=', tenantId)
      .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status!))
      .$if(filter.kind !== undefined, (q) => q.where('kind', '=', filter.kind!))
      .$if(filter.userId !== undefined, (q) => q.where(this.payloadUserId(), '=', filter.userId!));
  }

  /** The payload's `userId`, read with each engine's JSON function (payload is JSON text). */
  private payloadUserId() {
    return this.database.engine === 'postgres' ? sql<string>`(payload::jsonb ->> 'userId')` : sql<string>`json_extract(payload, '$.userId')`;
  }

  private ownedRunning(lease: Lease) {
    return this.db
      .updateTable('jobs')
      .where('id', '=', lease.id)
      .where('status', '=', 'running')
      .where('lease_token', '=', lease.leaseToken);
  }

  private expiredLeases(now: number) {
    // A literal, so the partial index jobs_lease (WHERE status = 'running') applies on SQLite too.
    return this.db.updateTable('jobs').where(sql<boolean>`status = 'running'`).where('lease_until', '<', now);
  }
}
