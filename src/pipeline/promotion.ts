// Promotion on request: "process what I recorded now" (raw events → episodes → facts) as one job per
// state of the log. Asking again before anything new arrived returns the same job.
import type { Kysely } from 'kysely';
import { eventIdsInStatus } from '../events/store.js';
import type { DB } from '../platform/db/schema.js';
import type { Job, Queue } from '../platform/queue.js';

export const promoteJob = 'memory.promote';

/** How many waiting events one promotion job processes; more wait for the next one (or their own jobs). */
export const promoteBatch = 1000;

export class PromotionService {
  constructor(private readonly deps: { db: Kysely<DB>; queue: Queue }) {}

  async request(tenantId: string, subjectId: string): Promise<{ job: Job; created: boolean; pending: number }> {
    const pending = await eventIdsInStatus(this.deps.db, tenantId, subjectId, 'received', promoteBatch);
    // Keyed by the newest waiting event: the same backlog gives the same job, a new event a new one.
    const marker = pending.length ? pending[pending.length - 1]! : 'idle';
    const { job, created } = await this.deps.queue.enqueue({
      tenantId,
      kind: promoteJob,
      payload: { subjectId },
      idempotencyKey: `${subjectId}:${marker}`,
    });
    return { job, created, pending: pending.length };
  }
}
