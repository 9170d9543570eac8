// Monitoring queries: per-tenant row counts and queue depth. Queries only.
import type { Kysely } from 'kysely';
import type { DB, JobStatus } from '../platform/db/schema.js';
import { jobStatuses } from '../platform/queue.js';

export type CountedTable = 'users' | 'subjects' | 'events' | 'beliefs';

export async function countRows(db: Kysely<DB>, table: CountedTable, tenantId: string): Promise<number> {
  // Deleted users are not counted; the other tables have no soft delete.
  const query = db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId);
  const row = await (table === 'users' ? query.where(db.dynamic.ref('deleted_at'), 'is', null) : query).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function tenantQueueDepth(db: Kysely<DB>, tenantId: string): Promise<Record<JobStatus, number>> {
  const rows = await db
    .selectFrom('jobs')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('tenant_id', '=', tenantId)
    .groupBy('status')
    .execute();
  const counts = Object.fromEntries(jobStatuses.map((s) => [s, 0])) as Record<JobStatus, number>;
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}
