// The recording face's /api/access/: an owner invites another user of the account to read their memory;
// the invitee approves or declines; either side lists and removes. Others' grants answer 404. The owner
// sees every read a member made (reads/); members read through /api/memory/…/?owner_id=.
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccessGrant, AccessRead } from '../../access/service.js';
import type { Core } from '../../app.js';
import { requireUser } from '../../auth/principal.js';
import { toIso } from '../../platform/clock.js';
import type { HttpServer } from '../../platform/http.js';
import { principalOf } from '../principal.js';
import { cloneAuth, cloneSecurity } from './auth.js';
import { listPage, noContent, pageQuery, paginate } from './schemas.js';

const tags = ['recording: access'];

const grantOut = z.object({
  id: z.string(),
  owner_id: z.string().describe('Whose memory is shared'),
  member_id: z.string().describe('Who may read it'),
  role: z.enum(['owner', 'member']).describe("The caller's side of this grant"),
  status: z.enum(['pending', 'active', 'declined']),
  created_at: z.string(),
  responded_at: z.string().nullable(),
});

const inviteBody = z
  .object({ username: z.string().min(1).optional(), email: z.string().min(1).optional() })
  .refine((b) => b.username !== undefined || b.email !== undefined, { message: 'username or email is required', path: ['username'] });

const idParams = z.object({ id: z.string() });

const readOut = z.object({
  id: z.string(),
  grant_id: z.string(),
  member_id: z.string().describe('Who read'),
  path: z.string().describe('What they read: the /api/memory/ path they asked for'),
  read_at: z.string(),
});

const readsQuery = pageQuery.extend({ member_id: z.string().min(1).optional().describe("Only this member's reads") });

const readView = (r: AccessRead): z.infer<typeof readOut> => ({ id: r.id, grant_id: r.grantId, member_id: r.memberUserId, path: r.path, read_at: toIso(r.readAt) });

const grantView = (g: AccessGrant, userId: string): z.infer<typeof grantOut> => ({
  id: g.id,
  owner_id: g.ownerUserId,
  member_id: g.memberUserId,
  role: g.ownerUserId === userId ? 'owner' : 'member',
  status: g.status,
  created_at: toIso(g.createdAt),
  responded_at: g.respondedAt === null ? null : toIso(g.respondedAt),
});

export function registerCloneAccessRoutes(app: HttpServer, core: Core) {
  const security = cloneSecurity;
  app.register(async (instance) => {
    const face = instance.withTypeProvider<ZodTypeProvider>();
    face.addHook('onRequest', cloneAuth(core.auth));

    face.get(
      '/api/access/members/',
      { schema: { tags, security, summary: 'Members of your memory and invitations to read others\'', querystring: pageQuery, response: { 200: listPage(grantOut) } } },
      async (request) => {
        const principal = principalOf(request);
        const userId = requireUser(principal);
        return paginate((await core.access.list(principal)).map((g) => grantView(g, userId)), request.query);
      },
    );

    face.get(
      '/api/access/reads/',
      { schema: { tags, security, summary: "Members' reads of your memory, newest first (kept after a member is removed)", querystring: readsQuery, response: { 200: listPage(readOut) } } },
      async (request) => {
        const { limit, offset, member_id: memberUserId } = request.query;
        const { count, reads } = await core.access.reads(principalOf(request), { ...(memberUserId !== undefined ? { memberUserId } : {}), limit, offset });
        return { count, results: reads.map(readView) };
      },
    );

    face.delete(
      '/api/access/members/:id/',
      { schema: { tags, security, summary: 'End a grant (remove a member, withdraw an invite, or leave)', params: idParams, response: { 204: noContent } } },
      async (request, reply) => {
        await core.access.remove(principalOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    face.post(
      '/api/access/invite/',
      { schema: { tags, security, summary: 'Invite a user of your account (by username or email) to read your memory', body: inviteBody, response: { 201: grantOut } } },
      async (request, reply) => {
        const principal = principalOf(request);
        const who = { ...(request.body.username !== undefined ? { username: request.body.username } : {}), ...(request.body.email !== undefined ? { email: request.body.email } : {}) };
        const grant = await core.access.invite(principal, who);
        return reply.code(201).send(grantView(grant, requireUser(principal)));
      },
    );

    for (const action of ['approve', 'decline'] as const) {
      face.post(
        `/api/access/:id/${action}/`,
        { schema: { tags, security, summary: `${action === 'approve' ? 'Accept' : 'Decline'} an invitation sent to you`, params: idParams, response: { 200: grantOut } } },
        async (request) => {
          const principal = principalOf(request);
          const grant = await core.access[action](principal, request.params.id);
          return grantView(grant, requireUser(principal));
        },
      );
    }
  });
}

