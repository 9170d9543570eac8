// Subjects: whose memory it is. Queries and mapping only; every function takes the tenant first.
import type { Kysely, Selectable } from 'kysely';
import type { DB, SubjectKind, SubjectsTable } from '../platform/db/schema.js';

export interface Subject {
  id: string;
  tenantId: string;
  kind: SubjectKind;
  externalId: string | null;
  email: string | null;
  appId: string | null;
  userId: string | null;
  displayName: string | null;
  selfModelId: string;
  metadata: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

const toSubject = (r: Selectable<SubjectsTable>): Subject => ({
  id: r.id,
  tenantId: r.tenant_id,
  kind: r.kind,
  externalId: r.external_id,
  email: r.email,
  appId: r.app_id,
  userId: r.user_id,
  displayName: r.display_name,
  selfModelId: r.self_model_id,
  metadata: JSON.parse(r.metadata) as Record<string, unknown>,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function insertSubject(db: Kysely<DB>, tenantId: string, s: Omit<Subject, 'tenantId'>): Promise<void> {
  await db
    .insertInto('subjects')
    .values({
      id: s.id,
      tenant_id: tenantId,
      kind: s.kind,
      external_id: s.externalId,
      email: s.email,
      app_id: s.appId,
      user_id: s.userId,
      display_name: s.displayName,
      self_model_id: s.selfModelId,
      metadata: JSON.stringify(s.metadata),
      created_at: s.createdAt,
      updated_at: s.updatedAt,
    })
    .execute();
}

export async function findSubject(
  db: Kysely<DB>,
  tenantId: string,
  by: { id: string } | { selfModelId: string } | { kind: SubjectKind; externalId: string } | { kind: SubjectKind; email: string } | { kind: SubjectKind; userId: string },
): Promise<Subject | undefined> {
  let q = db.selectFrom('subjects').selectAll().where('tenant_id', '=', tenantId);
  if ('id' in by) q = q.where('id', '=', by.id);
  else if ('selfModelId' in by) q = q.where('self_model_id', '=', by.selfModelId);
  else {
    q = q.where('kind', '=', by.kind);
    if ('externalId' in by) q = q.where('external_id', '=', by.externalId);
    else if ('email' in by) q = q.where('email', '=', by.email);
    else q = q.where('user_id', '=', by.userId);
  }
  const row = await q.executeTakeFirst();
  return row && toSubject(row);
}

/** Deletes a subject and every row derived from it, in one transaction; returns counts per table. */
export async function eraseSubjectRows(db: Kysely<DB>, tenantId: string, id: string): Promise<Record<string, number>> {
  return db.transaction().execute(async (trx) => {
    const receipt: Record<string, number> = {};
    for (const table of ['search_vectors', 'search_docs', 'belief_evidence', 'beliefs', 'episodes', 'events', 'memory_sessions'] as const) {
      const r = await trx.deleteFrom(table).where('tenant_id', '=', tenantId).where('subject_id', '=', id).executeTakeFirst();
      receipt[table] = Number(r.numDeletedRows);
    }
    const r = await trx.deleteFrom('subjects').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    receipt.subjects = Number(r.numDeletedRows);
    return receipt;
  });
}

/** Keeps a subject's display name in step with what it belongs to (an identity's display name). */
export async function renameSubject(db: Kysely<DB>, tenantId: string, id: string, displayName: string | null, now: number): Promise<void> {
  await db.updateTable('subjects').set({ display_name: displayName, updated_at: now }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}
