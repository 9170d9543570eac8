// The recording face's /api/news/: the server-wide news feed; any signed-in user lists it, staff post.
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Core } from '../../app.js';
import { toIso } from '../../platform/clock.js';
import type { HttpServer } from '../../platform/http.js';
import type { NewsItem } from '../../news/service.js';
import { principalOf } from '../principal.js';
import { cloneAuth, cloneSecurity } from './auth.js';
import { listPage, pageQuery } from './schemas.js';

const tags = ['recording: news'];

const newsOut = z.object({ id: z.string(), title: z.string(), body: z.string(), url: z.string().nullable(), published_at: z.string(), created_at: z.string() });

const newsBody = z.object({
  title: z.string().trim().min(1).max(300),
  body: z.string().trim().min(1).max(20_000),
  url: z.url({ protocol: /^https?$/ }).nullable().optional(),
  published_at: z.iso.datetime({ offset: true }).optional().describe('Default now; a later time schedules the item'),
});

const newsView = (n: NewsItem): z.infer<typeof newsOut> => ({
  id: n.id,
  title: n.title,
  body: n.body,
  url: n.url,
  published_at: toIso(n.publishedAt),
  created_at: toIso(n.createdAt),
});

export function registerCloneNewsRoutes(app: HttpServer, core: Core) {
  const security = cloneSecurity;
  app.register(async (instance) => {
    const face = instance.withTypeProvider<ZodTypeProvider>();
    face.addHook('onRequest', cloneAuth(core.auth));

    face.get('/api/news/', { schema: { tags, security, summary: 'Published news, newest first', querystring: pageQuery, response: { 200: listPage(newsOut) } } }, async (request) => {
      const { count, items } = await core.news.list(request.query);
      return { count, results: items.map(newsView) };
    });

    face.post(
      '/api/news/',
      { schema: { tags, security, summary: 'Post a news item (staff only: 403 otherwise)', body: newsBody, response: { 201: newsOut } } },
      async (request, reply) => {
        const { published_at: publishedAt, ...rest } = request.body;
        const item = await core.news.post(principalOf(request), {
          title: rest.title,
          body: rest.body,
          url: rest.url ?? null,
          ...(publishedAt !== undefined ? { publishedAt: Date.parse(publishedAt) } : {}),
        });
        return reply.code(201).send(newsView(item));
      },
    );
  });
}
