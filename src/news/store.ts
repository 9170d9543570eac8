// News rows: queries and row mapping only. News is server-wide, so no tenant argument.
import type { Kysely, Selectable } from 'kysely';
import type { DB, NewsTable } from '../platform/db/schema.js';

export interface NewsItem {
  id: string;
  title: string;
  body: string;
  url: string | null;
  authorTenantId: string;
  authorUserId: string;
  publishedAt: number;
  createdAt: number;
}

const toNews = (r: Selectable<NewsTable>): NewsItem => ({
  id: r.id,
  title: r.title,
  body: r.body,
  url: r.url,
  authorTenantId: r.author_tenant_id,
  authorUserId: r.author_user_id,
  publishedAt: r.published_at,
  createdAt: r.created_at,
});

export async function insertNews(db: Kysely<DB>, item: NewsItem): Promise<void> {
  await db
    .insertInto('news')
    .values({
      id: item.id,
      title: item.title,
      body: item.body,
      url: item.url,
      author_tenant_id: item.authorTenantId,
      author_user_id: item.authorUserId,
      published_at: item.publishedAt,
      created_at: item.createdAt,
    })
    .execute();
}

/** Published items, newest first, up to `now` (items dated later are scheduled). */
export async function listNews(db: Kysely<DB>, now: number, page: { limit: number; offset: number }): Promise<{ count: number; items: NewsItem[] }> {
  const count = await db.selectFrom('news').select((eb) => eb.fn.countAll<number>().as('n')).where('published_at', '<=', now).executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('news')
    .selectAll()
    .where('published_at', '<=', now)
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { count: Number(count.n), items: rows.map(toNews) };
}
