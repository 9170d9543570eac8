// Governance events: append-only rows per tenant. Queries and mapping only.
import type { Kysely, Selectable } from 'kysely';
import type { DB, GovernanceEventsTable } from '../platform/db/schema.js';

export interface GovernanceEvent {
  id: string;
  tenantId: string;
  /** The ingestion key that sent it. */
  credentialId: string;
  type: string;
  occurredAt: number;
  receivedAt: number;
  idempotencyKey: string | null;
  contentHash: string;
  systemId: string | null;
  teamId: string | null;
  actorId: string | null;
  subjectId: string | null;
  level: string | null;
  /** The event as received (after validation). */
  body: Record<string, unknown>;
}

export interface GovernanceEventFilter {
  type?: string;
  systemId?: string;
  teamId?: string;
  actorId?: string;
  subjectId?: string;
  level?: string;
  limit: number;
  offset: number;
}

const toEvent = (r: Selectable<GovernanceEventsTable>): GovernanceEvent => ({
  id: r.id,
  tenantId: r.tenant_id,
  credentialId: r.credential_id,
  type: r.type,
  occurredAt: r.occurred_at,
  receivedAt: r.received_at,
  idempotencyKey: r.idempotency_key,
  contentHash: r.content_hash,
  systemId: r.system_id,
  teamId: r.team_id,
  actorId: r.actor_id,
  subjectId: r.subject_id,
  level: r.level,
  body: JSON.parse(r.body) as Record<string, unknown>,
});

/** Appends an event unless its idempotency key is already taken; returns the stored row either way. */
export async function appendGovernanceEvent(
  db: Kysely<DB>,
  tenantId: string,
  e: Omit<GovernanceEvent, 'tenantId'>,
): Promise<{ event: GovernanceEvent; created: boolean }> {
  const inserted = await db
    .insertInto('governance_events')
    .values({
      id: e.id,
      tenant_id: tenantId,
      credential_id: e.credentialId,
      type: e.type,
      occurred_at: e.occurredAt,
      received_at: e.receivedAt,
      idempotency_key: e.idempotencyKey,
      content_hash: e.contentHash,
      system_id: e.systemId,
      team_id: e.teamId,
      actor_id: e.actorId,
      subject_id: e.subjectId,
      level: e.level,
      body: JSON.stringify(e.body),
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'idempotency_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { event: toEvent(inserted), created: true };
  const existing = await findGovernanceEventByKey(db, tenantId, e.idempotencyKey!);
  return { event: existing!, created: false };
}

export async function findGovernanceEventByKey(db: Kysely<DB>, tenantId: string, key: string): Promise<GovernanceEvent | undefined> {
  const row = await db
    .selectFrom('governance_events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  return row && toEvent(row);
}

export async function findGovernanceEvent(db: Kysely<DB>, tenantId: string, id: string): Promise<GovernanceEvent | undefined> {
  const row = await db.selectFrom('governance_events').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return row && toEvent(row);
}

/** A tenant's governance events, newest first, with the total count. */
export async function listGovernanceEvents(db: Kysely<DB>, tenantId: string, f: GovernanceEventFilter) {
  const base = db
    .selectFrom('governance_events')
    .where('tenant_id', '=', tenantId)
    .$if(f.type !== undefined, (q) => q.where('type', '=', f.type!))
    .$if(f.systemId !== undefined, (q) => q.where('system_id', '=', f.systemId!))
    .$if(f.teamId !== undefined, (q) => q.where('team_id', '=', f.teamId!))
    .$if(f.actorId !== undefined, (q) => q.where('actor_id', '=', f.actorId!))
    .$if(f.subjectId !== undefined, (q) => q.where('subject_id', '=', f.subjectId!))
    .$if(f.level !== undefined, (q) => q.where('level', '=', f.level!));
  const rows = await base.selectAll().orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute();
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { events: rows.map(toEvent), total: Number(total.n) };
}
