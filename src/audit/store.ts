// The call log: one row per authenticated call. Queries and mapping only.
import type { Kysely, Selectable } from 'kysely';
import type { CallLogTable, DB } from '../platform/db/schema.js';

export interface CallLogEntry {
  id: string;
  tenantId: string;
  at: number;
  level: 'info' | 'warn' | 'error';
  method: string;
  route: string;
  status: number;
  latencyMs: number;
  credentialId: string | null;
  userId: string | null;
  identityId: string | null;
  pluginId: string | null;
  correlationId: string;
  requestId: string;
}

export interface CallLogFilter {
  level?: string;
  userId?: string;
  identityId?: string;
  apiKeyId?: string;
  correlationId?: string;
  from?: number;
  to?: number;
  limit: number;
  offset: number;
}

const toEntry = (r: Selectable<CallLogTable>): CallLogEntry => ({
  id: r.id,
  tenantId: r.tenant_id,
  at: r.at,
  level: r.level as CallLogEntry['level'],
  method: r.method,
  route: r.route,
  status: r.status,
  latencyMs: r.latency_ms,
  credentialId: r.credential_id,
  userId: r.user_id,
  identityId: r.identity_id,
  pluginId: r.plugin_id,
  correlationId: r.correlation_id,
  requestId: r.request_id,
});

/** Many entries, possibly of several tenants, in one multi-row insert (the batch writer's flush). */
export async function insertCallLogBatch(db: Kysely<DB>, entries: CallLogEntry[]): Promise<void> {
  if (!entries.length) return;
  await db
    .insertInto('call_log')
    .values(
      entries.map((e) => ({
        id: e.id,
        tenant_id: e.tenantId,
        at: e.at,
        level: e.level,
        method: e.method,
        route: e.route,
        status: e.status,
        latency_ms: e.latencyMs,
        credential_id: e.credentialId,
        user_id: e.userId,
        identity_id: e.identityId,
        plugin_id: e.pluginId,
        correlation_id: e.correlationId,
        request_id: e.requestId,
      })),
    )
    .execute();
}

export async function listCallLog(db: Kysely<DB>, tenantId: string, f: CallLogFilter) {
  const base = db
    .selectFrom('call_log')
    .where('tenant_id', '=', tenantId)
    .$if(f.level !== undefined, (q) => q.where('level', '=', f.level!))
    .$if(f.userId !== undefined, (q) => q.where('user_id', '=', f.userId!))
    .$if(f.identityId !== undefined, (q) => q.where('identity_id', '=', f.identityId!))
    .$if(f.apiKeyId !== undefined, (q) => q.where('credential_id', '=', f.apiKeyId!))
    .$if(f.correlationId !== undefined, (q) => q.where('correlation_id', '=', f.correlationId!))
    .$if(f.from !== undefined, (q) => q.where('at', '>=', f.from!))
    .$if(f.to !== undefined, (q) => q.where('at', '<', f.to!));
  const rows = await base.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute();
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { entries: rows.map(toEntry), total: Number(total.n) };
}

export async function findCallLogEntry(db: Kysely<DB>, tenantId: string, id: string): Promise<CallLogEntry | undefined> {
  const row = await db.selectFrom('call_log').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return row && toEntry(row);
}
