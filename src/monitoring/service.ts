// Health and usage figures for /api/monitoring/: database readiness, queue depth, per-tenant counts, latency.
import { type DatabaseHealth, checkDatabase } from '../platform/db/health.js';
import type { Database } from '../platform/db/index.js';
import type { JobStatus } from '../platform/db/schema.js';
import type { Metrics } from '../platform/metrics.js';
import { countRows, tenantQueueDepth } from './store.js';

export interface Health {
  ok: boolean;
  database: DatabaseHealth;
  /** Queue depth by state, all tenants; null when the database cannot be read. */
  queue: Record<JobStatus, number> | null;
}

export interface TenantStats {
  counts: { users: number; subjects: number; events: number; beliefs: number };
  queue: Record<JobStatus, number>;
  latency: Awaited<ReturnType<Metrics['requestLatency']>>;
}

export class MonitoringService {
  constructor(private readonly deps: { database: Database; metrics: Metrics; queueDepth: () => Promise<Record<JobStatus, number>> }) {}

  async health(): Promise<Health> {
    const database = await checkDatabase(this.deps.database);
    const queue = database.reachable ? await this.deps.queueDepth().catch(() => null) : null;
    return { ok: database.reachable && database.pendingMigrations.length === 0 && queue !== null, database, queue };
  }

  async stats(tenantId: string): Promise<TenantStats> {
    const db = this.deps.database.db;
    const [users, subjects, events, beliefs, queue, latency] = await Promise.all([
      countRows(db, 'users', tenantId),
      countRows(db, 'subjects', tenantId),
      countRows(db, 'events', tenantId),
      countRows(db, 'beliefs', tenantId),
      tenantQueueDepth(db, tenantId),
      this.deps.metrics.requestLatency(),
    ]);
    return { counts: { users, subjects, events, beliefs }, queue, latency };
  }
}
