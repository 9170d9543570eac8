// Documents: the memory events of input type `document`, read from the event log. Queries and mapping only.
import type { Kysely, Selectable } from 'kysely';
import type { DB, EventsTable } from '../platform/db/schema.js';

export const documentInputType = 'document';

export interface Document {
  /** The id of the event that carried it. */
  id: string;
  tenantId: string;
  subjectId: string;
  title: string | null;
  text: string;
  occurredAt: number;
  receivedAt: number;
}

export interface DocumentPage {
  limit: number;
  offset: number;
  subjectId?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

// The envelope's data is {title, text}; `content` and `body` are accepted as the text, as the event log does.
function toDocument(row: Selectable<EventsTable>): Document {
  const data = JSON.parse(row.data) as Record<string, unknown>;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    subjectId: row.subject_id,
    title: str(data.title) ?? null,
    text: str(data.text) ?? str(data.content) ?? str(data.body) ?? '',
    occurredAt: row.occurred_at,
    receivedAt: row.received_at,
  };
}

function documentsOf(db: Kysely<DB>, tenantId: string) {
  return db.selectFrom('events').where('tenant_id', '=', tenantId).where('input_type', '=', documentInputType);
}

/** A tenant's documents, newest first, with the total count. */
export async function listDocuments(db: Kysely<DB>, tenantId: string, page: DocumentPage) {
  const base = documentsOf(db, tenantId).$if(page.subjectId !== undefined, (q) => q.where('subject_id', '=', page.subjectId!));
  const rows = await base.selectAll().orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { documents: rows.map(toDocument), total: Number(total.n) };
}

export async function findDocument(db: Kysely<DB>, tenantId: string, id: string): Promise<Document | undefined> {
  const row = await documentsOf(db, tenantId).selectAll().where('id', '=', id).executeTakeFirst();
  return row && toDocument(row);
}
