// The call log: every authenticated call recorded off the request path, in batches; read under SystemLogView.
import type { Kysely } from 'kysely';
import { type Principal, requirePermission } from '../auth/principal.js';
import type { DB } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { Logger } from '../platform/log.js';
import { type CallLogEntry, type CallLogFilter, findCallLogEntry, insertCallLogBatch, listCallLog } from './store.js';

export type { CallLogEntry, CallLogFilter };

export class CallLogService {
  private buffer: CallLogEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: { db: Kysely<DB>; logger: Logger; flushEveryMs?: number; maxBatch?: number },
  ) {}

  /** Queues an entry; it reaches the database within flushEveryMs (or sooner when the batch is full). */
  record(entry: CallLogEntry): void {
    this.buffer.push(entry);
    if (this.buffer.length >= (this.deps.maxBatch ?? 500)) {
      void this.flush();
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.deps.flushEveryMs ?? 1000);
      this.timer.unref();
    }
  }

  /** Writes what is buffered. A failed write is logged and dropped: the call log must not take requests down. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    this.flushing = this.flushing.then(async () => {
      if (!batch.length) return;
      try {
        await insertCallLogBatch(this.deps.db, batch);
      } catch (err) {
        this.deps.logger.error({ err, dropped: batch.length }, 'could not write call log batch');
      }
    });
    return this.flushing;
  }

  list(principal: Principal, filter: CallLogFilter) {
    requirePermission(principal, 'SystemLogView');
    return listCallLog(this.deps.db, principal.tenantId, filter);
  }

  async get(principal: Principal, id: string): Promise<CallLogEntry> {
    requirePermission(principal, 'SystemLogView');
    const entry = await findCallLogEntry(this.deps.db, principal.tenantId, id);
    if (!entry) throw new AppError('not_found', { resource: 'Log entry', id });
    return entry;
  }
}
