// Beliefs and their evidence: queries and mapping only. Rows are never deleted, only superseded or
// retracted (erasing a whole subject is the one exception, and lives in the subjects room).
import type { Kysely, Selectable } from 'kysely';
import type { BeliefStatus, BeliefsTable, DB } from '../platform/db/schema.js';

export interface Belief {
  id: string;
  tenantId: string;
  subjectId: string;
  about: string;
  predicate: string;
  object: string;
  objectKey: string;
  statement: string;
  positive: boolean;
  category: string;
  confidence: number;
  confirmations: number;
  status: BeliefStatus;
  source: string;
  /** 0 when the start is unknown ("I used to live in Lisbon"). */
  validFrom: number;
  validTo: number | null;
  whenAt: number | null;
  firstSeen: number;
  lastConfirmed: number;
  recordedAt: number;
  supersededAt: number | null;
  supersededBy: string | null;
  contradicts: string | null;
  updatedAt: number;
}

export const toBelief = (r: Selectable<BeliefsTable>): Belief => ({
  id: r.id,
  tenantId: r.tenant_id,
  subjectId: r.subject_id,
  about: r.about,
  predicate: r.predicate,
  object: r.object,
  objectKey: r.object_key,
  statement: r.statement,
  positive: r.positive === 1,
  category: r.category,
  confidence: r.confidence,
  confirmations: r.confirmations,
  status: r.status,
  source: r.source,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  whenAt: r.when_at,
  firstSeen: r.first_seen,
  lastConfirmed: r.last_confirmed,
  recordedAt: r.recorded_at,
  supersededAt: r.superseded_at,
  supersededBy: r.superseded_by,
  contradicts: r.contradicts,
  updatedAt: r.updated_at,
});

export async function insertBelief(db: Kysely<DB>, tenantId: string, b: Omit<Belief, 'tenantId'>): Promise<void> {
  await db
    .insertInto('beliefs')
    .values({
      id: b.id,
      tenant_id: tenantId,
      subject_id: b.subjectId,
      about: b.about,
      predicate: b.predicate,
      object: b.object,
      object_key: b.objectKey,
      statement: b.statement,
      positive: b.positive ? 1 : 0,
      category: b.category,
      confidence: b.confidence,
      confirmations: b.confirmations,
      status: b.status,
      source: b.source,
      valid_from: b.validFrom,
      valid_to: b.validTo,
      when_at: b.whenAt,
      first_seen: b.firstSeen,
      last_confirmed: b.lastConfirmed,
      recorded_at: b.recordedAt,
      superseded_at: b.supersededAt,
      superseded_by: b.supersededBy,
      contradicts: b.contradicts,
      updated_at: b.updatedAt,
    })
    .execute();
}

export type BeliefChanges = Partial<{
  confidence: number;
  confirmations: number;
  status: BeliefStatus;
  valid_to: number | null;
  last_confirmed: number;
  superseded_at: number | null;
  superseded_by: string | null;
  statement: string;
  object: string;
}>;

export async function updateBelief(db: Kysely<DB>, tenantId: string, id: string, changes: BeliefChanges, now: number): Promise<boolean> {
  const r = await db.updateTable('beliefs').set({ ...changes, updated_at: now }).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Every belief of the subject about `about` with this predicate, newest valid time first. */
export async function beliefsFor(db: Kysely<DB>, tenantId: string, subjectId: string, about: string, predicate: string): Promise<Belief[]> {
  const rows = await db
    .selectFrom('beliefs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .where('about', '=', about)
    .where('predicate', '=', predicate)
    .orderBy('valid_from', 'desc')
    .execute();
  return rows.map(toBelief);
}

export async function findBelief(db: Kysely<DB>, tenantId: string, subjectId: string, id: string): Promise<Belief | undefined> {
  const row = await db
    .selectFrom('beliefs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toBelief(row);
}

/** Beliefs that any of `ids` replaced, newest valid time first. */
export async function beliefsSupersededBy(db: Kysely<DB>, tenantId: string, subjectId: string, ids: string[]): Promise<Belief[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('beliefs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .where('superseded_by', 'in', ids)
    .orderBy('valid_from', 'desc')
    .execute();
  return rows.map(toBelief);
}

export async function countBeliefs(db: Kysely<DB>, tenantId: string, subjectId: string, f: Omit<BeliefFilter, 'limit' | 'offset'>): Promise<number> {
  const row = await filtered(db, tenantId, subjectId, f).select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function addEvidence(
  db: Kysely<DB>,
  tenantId: string,
  e: { beliefId: string; eventId: string; subjectId: string; envelopeId: string; createdAt: number },
): Promise<void> {
  await db
    .insertInto('belief_evidence')
    .values({ tenant_id: tenantId, belief_id: e.beliefId, event_id: e.eventId, subject_id: e.subjectId, envelope_id: e.envelopeId, created_at: e.createdAt })
    .onConflict((oc) => oc.columns(['tenant_id', 'belief_id', 'event_id']).doNothing())
    .execute();
}

export interface BeliefFilter {
  status?: BeliefStatus;
  predicate?: string;
  about?: string;
  /** Only beliefs confirmed at or after this instant. */
  since?: number;
  /** Valid-time travel: beliefs that were true at this instant (status other than retracted). */
  asOf?: number;
  limit: number;
  offset: number;
}

function filtered(db: Kysely<DB>, tenantId: string, subjectId: string, f: Omit<BeliefFilter, 'limit' | 'offset'>) {
  return db
    .selectFrom('beliefs')
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .$if(f.status !== undefined, (q) => q.where('status', '=', f.status!))
    .$if(f.predicate !== undefined, (q) => q.where('predicate', '=', f.predicate!))
    .$if(f.about !== undefined, (q) => q.where('about', '=', f.about!))
    .$if(f.since !== undefined, (q) => q.where('last_confirmed', '>=', f.since!))
    .$if(f.asOf !== undefined, (q) =>
      q
        .where('status', '!=', 'retracted')
        .where('valid_from', '<=', f.asOf!)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', f.asOf!)])),
    );
}

export async function listBeliefs(db: Kysely<DB>, tenantId: string, subjectId: string, f: BeliefFilter): Promise<Belief[]> {
  const rows = await filtered(db, tenantId, subjectId, f)
    .selectAll()
    .orderBy('last_confirmed', 'desc')
    .orderBy('id')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  return rows.map(toBelief);
}

/** Envelope ids behind each belief, in the order they arrived. */
export async function evidenceOf(db: Kysely<DB>, tenantId: string, beliefIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!beliefIds.length) return out;
  const rows = await db
    .selectFrom('belief_evidence')
    .select(['belief_id', 'envelope_id'])
    .where('tenant_id', '=', tenantId)
    .where('belief_id', 'in', beliefIds)
    .orderBy('created_at')
    // Links written in the same millisecond come in event order on both engines, not in storage order.
    .orderBy('event_id')
    .execute();
  for (const r of rows) out.set(r.belief_id, [...(out.get(r.belief_id) ?? []), r.envelope_id]);
  return out;
}

/** Several beliefs of one subject by id (search hits), in no particular order. */
export async function beliefsByIds(db: Kysely<DB>, tenantId: string, subjectId: string, ids: string[]): Promise<Belief[]> {
  if (!ids.length) return [];
  const rows = await db.selectFrom('beliefs').selectAll().where('tenant_id', '=', tenantId).where('subject_id', '=', subjectId).where('id', 'in', ids).execute();
  return rows.map(toBelief);
}
