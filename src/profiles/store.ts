// User-authored profile fields: queries and mapping only.
import type { Kysely } from 'kysely';
import type { DB } from '../platform/db/schema.js';

export async function profileFieldsOf(db: Kysely<DB>, tenantId: string, subjectId: string): Promise<Record<string, unknown>> {
  const rows = await db
    .selectFrom('profile_fields')
    .select(['field', 'value'])
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .orderBy('field')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.field, JSON.parse(r.value) as unknown]));
}

export async function upsertProfileField(db: Kysely<DB>, tenantId: string, subjectId: string, field: string, value: unknown, now: number): Promise<void> {
  await db
    .insertInto('profile_fields')
    .values({ tenant_id: tenantId, subject_id: subjectId, field, value: JSON.stringify(value), updated_at: now })
    .onConflict((oc) => oc.columns(['tenant_id', 'subject_id', 'field']).doUpdateSet({ value: JSON.stringify(value), updated_at: now }))
    .execute();
}

export async function deleteProfileField(db: Kysely<DB>, tenantId: string, subjectId: string, field: string): Promise<void> {
  await db.deleteFrom('profile_fields').where('tenant_id', '=', tenantId).where('subject_id', '=', subjectId).where('field', '=', field).execute();
}
