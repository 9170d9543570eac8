// Episodes: one per processed event, with its time and an extractive summary. Queries and mapping only.
import type { Kysely, Selectable } from 'kysely';
import type { DB, EpisodesTable } from '../platform/db/schema.js';

export interface Episode {
  id: string;
  tenantId: string;
  subjectId: string;
  eventId: string;
  sessionId: string | null;
  occurredAt: number;
  summary: string;
  createdAt: number;
}

const toEpisode = (r: Selectable<EpisodesTable>): Episode => ({
  id: r.id,
  tenantId: r.tenant_id,
  subjectId: r.subject_id,
  eventId: r.event_id,
  sessionId: r.session_id,
  occurredAt: r.occurred_at,
  summary: r.summary,
  createdAt: r.created_at,
});

/** One episode per event: a second call for the same event returns the first one's id. */
export async function insertEpisodeOnce(db: Kysely<DB>, tenantId: string, e: Omit<Episode, 'tenantId'>): Promise<string> {
  await db
    .insertInto('episodes')
    .values({
      id: e.id,
      tenant_id: tenantId,
      subject_id: e.subjectId,
      event_id: e.eventId,
      session_id: e.sessionId,
      occurred_at: e.occurredAt,
      summary: e.summary,
      created_at: e.createdAt,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'event_id']).doNothing())
    .execute();
  const row = await db.selectFrom('episodes').select('id').where('tenant_id', '=', tenantId).where('event_id', '=', e.eventId).executeTakeFirstOrThrow();
  return row.id;
}

export async function recentEpisodes(
  db: Kysely<DB>,
  tenantId: string,
  subjectId: string,
  options: { limit: number; offset?: number; before?: number; since?: number },
): Promise<Episode[]> {
  const rows = await db
    .selectFrom('episodes')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .$if(options.before !== undefined, (q) => q.where('occurred_at', '<=', options.before!))
    .$if(options.since !== undefined, (q) => q.where('occurred_at', '>=', options.since!))
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit)
    .offset(options.offset ?? 0)
    .execute();
  return rows.map(toEpisode);
}

/** A session's episodes in time order. */
export async function episodesOfSession(db: Kysely<DB>, tenantId: string, sessionId: string): Promise<Episode[]> {
  const rows = await db
    .selectFrom('episodes')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('session_id', '=', sessionId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
  return rows.map(toEpisode);
}

/** One episode of this subject; another subject's is not found. */
export async function findEpisode(db: Kysely<DB>, tenantId: string, subjectId: string, id: string): Promise<Episode | undefined> {
  const row = await db
    .selectFrom('episodes')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toEpisode(row);
}

export async function countEpisodes(db: Kysely<DB>, tenantId: string, subjectId: string, options: { before?: number; since?: number }): Promise<number> {
  const row = await db
    .selectFrom('episodes')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .$if(options.before !== undefined, (q) => q.where('occurred_at', '<=', options.before!))
    .$if(options.since !== undefined, (q) => q.where('occurred_at', '>=', options.since!))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
