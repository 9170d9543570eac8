// The worker loop: claims jobs of the kinds it has handlers for, runs them under a heartbeated lease,
// and records the outcome. Used in-process by `engram serve` and alone by `engram worker`.
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Job, Queue } from './queue.js';
import { uuidv7 } from './ids.js';

export interface JobContext {
  /** Aborted when the lease is lost or the worker is stopping past its grace period. */
  signal: AbortSignal;
}

/** A job handler must be idempotent: after a crash the same job may run again. */
export type JobHandler = (job: Job, ctx: JobContext) => Promise<unknown>;

export type JobOutcome = 'completed' | 'retry' | 'dead' | 'lost';

export interface WorkerOptions {
  queue: Queue;
  handlers: Record<string, JobHandler>;
  logger: Logger;
  concurrency: number;
  leaseMs: number;
  /** How often an idle worker looks for new jobs. */
  pollMs?: number;
  workerId?: string;
  onJobFinished?: (kind: string, outcome: JobOutcome, durationMs: number) => void;
}

/** One execution of a job in this worker; the same job may be re-claimed while an old run winds down. */
interface Run {
  job: Job;
  done: Promise<void>;
  abort: AbortController;
}

export class Worker {
  readonly id: string;
  private readonly running = new Set<Run>();
  private stopping = false;
  private started = false;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly opts: WorkerOptions) {
    this.id = opts.workerId ?? `${hostname()}:${process.pid}:${uuidv7(Date.now()).slice(-8)}`;
  }

  get inFlight(): number {
    return this.running.size;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.unsubscribe = this.opts.queue.onEnqueued(() => this.wake());
    this.wake();
  }

  /** Look for work now rather than at the next poll. */
  wake(): void {
    if (!this.started || this.stopping) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    clearTimeout(this.timer);
    this.polling = this.poll().finally(() => {
      this.polling = undefined;
      if (this.pollAgain) {
        this.pollAgain = false;
        this.wake();
      } else {
        this.schedule();
      }
    });
  }

  /**
   * Stops claiming, waits up to `graceMs` for running jobs to finish, then gives the rest back to the
   * queue so another worker can take them at once instead of waiting for their leases to expire.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    clearTimeout(this.timer);
    await this.polling;
    const all = Promise.all([...this.running].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const result = await Promise.race([all.then(() => 'done' as const), graceOver]);
    clearTimeout(timer);
    if (result === 'done') return;
    for (const { job, abort } of this.running) {
      abort.abort(new Error('worker stopping'));
      const released = await this.opts.queue.release(job).catch(() => false);
      this.opts.logger.warn({ jobId: job.id, kind: job.kind, released }, 'released job at shutdown');
    }
  }

  /** The poll timer keeps the process alive: a started worker runs until stop(), even with nothing else to do. */
  private schedule(): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => this.wake(), this.opts.pollMs ?? 500);
  }

  private async poll(): Promise<void> {
    const free = this.opts.concurrency - this.running.size;
    if (free <= 0) return;
    let jobs: Job[];
    try {
      jobs = await this.opts.queue.claim({
        workerId: this.id,
        kinds: Object.keys(this.opts.handlers),
        limit: free,
        leaseMs: this.opts.leaseMs,
      });
    } catch (err) {
      this.opts.logger.error({ err }, 'could not claim jobs');
      return;
    }
    for (const job of jobs) this.run(job);
    if (jobs.length === free) this.pollAgain = true;
  }

  private run(job: Job): void {
    const abort = new AbortController();
    const run: Run = { job, abort, done: Promise.resolve() };
    run.done = this.execute(job, abort).finally(() => {
      this.running.delete(run);
      this.wake();
    });
    this.running.add(run);
  }

  private async execute(job: Job, abort: AbortController): Promise<void> {
    const { queue, logger, leaseMs } = this.opts;
    const started = performance.now();
    const log = logger.child({ jobId: job.id, kind: job.kind, tenantId: job.tenantId, attempt: job.attempts });
    const heartbeat = setInterval(() => {
      queue.heartbeat(job, leaseMs).then(
        (held) => {
          if (!held) abort.abort(new Error('lease lost'));
        },
        (err) => log.warn({ err }, 'heartbeat failed'),
      );
    }, Math.max(50, Math.floor(leaseMs / 3)));
    let outcome: JobOutcome;
    try {
      const handler = this.opts.handlers[job.kind]!;
      const result = await handler(job, { signal: abort.signal });
      outcome = (await queue.complete(job, result)) ? 'completed' : 'lost';
    } catch (err) {
      if (abort.signal.aborted) {
        outcome = 'lost';
      } else {
        const message = err instanceof Error ? err.message : String(err);
        outcome = await queue.fail(job, message).catch((e: unknown) => {
          log.error({ err: e }, 'could not record job failure; its lease will expire');
          return 'lost' as const;
        });
        log.warn({ err, outcome }, 'job attempt failed');
      }
    } finally {
      clearInterval(heartbeat);
    }
    const durationMs = performance.now() - started;
    this.opts.onJobFinished?.(job.kind, outcome, durationMs);
    log.debug({ outcome, durationMs }, 'job finished');
  }
}
