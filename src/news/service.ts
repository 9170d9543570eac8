// The server-wide news feed: any signed-in user reads it; only staff post.
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.js';
import { requireUser } from '../auth/principal.js';
import type { Clock } from '../platform/clock.js';
import type { DB } from '../platform/db/schema.js';
import type { Ids } from '../platform/ids.js';
import type { StaffService } from '../staff/service.js';
import { type NewsItem, insertNews, listNews } from './store.js';

export type { NewsItem };

export class NewsService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock; ids: Ids; staff: StaffService }) {}

  list(page: { limit: number; offset: number }): Promise<{ count: number; items: NewsItem[] }> {
    return listNews(this.deps.db, this.deps.clock.now(), page);
  }

  async post(principal: Principal, input: { title: string; body: string; url?: string | null; publishedAt?: number }): Promise<NewsItem> {
    const userId = requireUser(principal);
    await this.deps.staff.requireStaff(principal);
    const now = this.deps.clock.now();
    const item: NewsItem = {
      id: this.deps.ids.next(),
      title: input.title,
      body: input.body,
      url: input.url ?? null,
      authorTenantId: principal.tenantId,
      authorUserId: userId,
      publishedAt: input.publishedAt ?? now,
      createdAt: now,
    };
    await insertNews(this.deps.db, item);
    return item;
  }
}
