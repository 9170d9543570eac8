// Source connector rows: queries and row mapping only. `secrets` stays sealed here.
import type { Kysely, Selectable } from 'kysely';
import type { DB, SourceStatus, SourceType, SourcesTable } from '../platform/db/schema.js';

export interface SourceRow {
  tenantId: string;
  id: string;
  userId: string;
  name: string;
  type: SourceType;
  config: Record<string, unknown>;
  sealedSecrets: string | null;
  status: SourceStatus;
  lastError: string | null;
  lastSyncedAt: number | null;
  itemsImported: number;
  createdAt: number;
  updatedAt: number;
}

const toSource = (r: Selectable<SourcesTable>): SourceRow => ({
  tenantId: r.tenant_id,
  id: r.id,
  userId: r.user_id,
  name: r.name,
  type: r.type,
  config: JSON.parse(r.config) as Record<string, unknown>,
  sealedSecrets: r.secrets,
  status: r.status,
  lastError: r.last_error,
  lastSyncedAt: r.last_synced_at,
  itemsImported: Number(r.items_imported),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function insertSource(db: Kysely<DB>, tenantId: string, s: Omit<SourceRow, 'tenantId'>): Promise<void> {
  await db
    .insertInto('sources')
    .values({
      tenant_id: tenantId,
      id: s.id,
      user_id: s.userId,
      name: s.name,
      type: s.type,
      config: JSON.stringify(s.config),
      secrets: s.sealedSecrets,
      status: s.status,
      last_error: s.lastError,
      last_synced_at: s.lastSyncedAt,
      items_imported: s.itemsImported,
      created_at: s.createdAt,
      updated_at: s.updatedAt,
    })
    .execute();
}

export async function findSource(db: Kysely<DB>, tenantId: string, id: string): Promise<SourceRow | undefined> {
  const row = await db.selectFrom('sources').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return row && toSource(row);
}

export async function listSources(db: Kysely<DB>, tenantId: string, userId: string): Promise<SourceRow[]> {
  const rows = await db.selectFrom('sources').selectAll().where('tenant_id', '=', tenantId).where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toSource);
}

export interface SourceChanges {
  name?: string;
  config?: Record<string, unknown>;
  sealedSecrets?: string | null;
  status?: SourceStatus;
  lastError?: string | null;
  lastSyncedAt?: number;
  addImported?: number;
}

export async function updateSource(db: Kysely<DB>, tenantId: string, id: string, changes: SourceChanges, now: number): Promise<void> {
  await db
    .updateTable('sources')
    .set((eb) => ({
      updated_at: now,
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.config !== undefined ? { config: JSON.stringify(changes.config) } : {}),
      ...(changes.sealedSecrets !== undefined ? { secrets: changes.sealedSecrets } : {}),
      ...(changes.status !== undefined ? { status: changes.status } : {}),
      ...(changes.lastError !== undefined ? { last_error: changes.lastError } : {}),
      ...(changes.lastSyncedAt !== undefined ? { last_synced_at: changes.lastSyncedAt } : {}),
      ...(changes.addImported ? { items_imported: eb('items_imported', '+', changes.addImported) } : {}),
    }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function deleteSource(db: Kysely<DB>, tenantId: string, id: string): Promise<void> {
  await db.deleteFrom('sources').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}
