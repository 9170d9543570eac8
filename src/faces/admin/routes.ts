// /admin/: the staff dashboard, server-rendered HTML behind a login form (no front-end build step).
// Form posts are parsed here only, so every other face keeps refusing form bodies with 415.
import { parse as parseQuery } from 'node:querystring';
import type { FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Core } from '../../app.js';
import { toIso } from '../../platform/clock.js';
import { AppError, isAppError } from '../../platform/errors.js';
import type { HttpServer } from '../../platform/http.js';
import type { Job } from '../../platform/queue.js';
import { adminAuth, adminSecurity, clearAdminCookie, setAdminCookie } from './auth.js';
import { type SafeHtml, contentSecurityPolicy, html, page } from './html.js';

const tags = ['admin'];
const listLimit = 50;
const htmlPage = z.string().describe('HTML page');

const loginBody = z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1000) });
const jobParams = z.object({ id: z.string().min(1).max(100) });

function sendPage(reply: FastifyReply, status: number, title: string, body: SafeHtml) {
  return reply.code(status).type('text/html; charset=utf-8').header('content-security-policy', contentSecurityPolicy).send(page(title, body));
}

const loginForm = (message?: string) => html`${message ? html`<p class="error">${message}</p>` : ''}
<form method="post" action="/admin/login/">
<p><label>Username <input name="username" autocomplete="username" required></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">Sign in</button></p></form>`;

const time = (ms: number | null) => (ms === null ? '' : toIso(ms));

function deadJobRow(job: Job) {
  return html`<tr><td>${job.id}</td><td>${job.tenantId}</td><td>${job.kind}</td><td>${job.attempts}/${job.maxAttempts}</td>
<td>${time(job.finishedAt)}</td><td>${job.lastError ?? ''}</td>
<td><form class="inline" method="post" action="/admin/jobs/${encodeURIComponent(job.id)}/retry/"><button type="submit">Retry</button></form></td></tr>`;
}

async function dashboard(core: Core): Promise<SafeHtml> {
  const [tenants, users, counts, dead] = await Promise.all([
    core.staff.tenantsWithUserCounts(listLimit),
    core.staff.recentUsers(listLimit),
    core.queue.countByStatus(),
    core.queue.listDead(listLimit),
  ]);
  return html`<form method="post" action="/admin/logout/"><button type="submit">Sign out</button></form>
<h2>Queue</h2><table><tr>${Object.keys(counts).map((s) => html`<th>${s}</th>`)}</tr>
<tr>${Object.values(counts).map((n) => html`<td>${n}</td>`)}</tr></table>
<h2>Dead jobs</h2>${
    dead.length === 0
      ? html`<p>None.</p>`
      : html`<table><tr><th>id</th><th>tenant</th><th>kind</th><th>attempts</th><th>ended</th><th>last error</th><th></th></tr>${dead.map(deadJobRow)}</table>`
  }
<h2>Tenants</h2><table><tr><th>id</th><th>name</th><th>users</th><th>created</th></tr>
${tenants.map((t) => html`<tr><td>${t.id}</td><td>${t.name}</td><td>${t.users}</td><td>${time(t.createdAt)}</td></tr>`)}</table>
<h2>Recent users</h2><table><tr><th>username</th><th>email</th><th>tenant</th><th>status</th><th>staff</th><th>created</th></tr>
${users.map(
  (u) => html`<tr><td>${u.username}</td><td>${u.email}</td><td>${u.tenantId}</td><td>${u.status}</td><td>${u.staff ? 'yes' : ''}</td><td>${time(u.createdAt)}</td></tr>`,
)}</table>`;
}

export function registerAdminRoutes(app: HttpServer, core: Core) {
  app.register(async (instance) => {
    const face = instance.withTypeProvider<ZodTypeProvider>();
    face.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, parseQuery(body as string));
    });

    face.get(
      '/admin/login/',
      { config: { public: true }, schema: { tags, summary: 'Staff sign-in form', response: { 200: htmlPage } } },
      async (_request, reply) => sendPage(reply, 200, 'Sign in', loginForm()),
    );

    face.post(
      '/admin/login/',
      {
        config: { public: true },
        schema: {
          tags,
          summary: 'Staff sign-in (form post): sets the engram_admin cookie, 303 to /admin/; 401/403 as an HTML page',
          consumes: ['application/x-www-form-urlencoded'],
          body: loginBody,
        },
      },
      async (request, reply) => {
        await core.accounts.limitByIp('auth', request.ip);
        const session = await core.accounts.login(request.body.username, request.body.password).catch((err: unknown) => {
          if (isAppError(err) && err.code === 'unauthorized') return undefined;
          throw err;
        });
        if (!session) return sendPage(reply, 401, 'Sign in', loginForm('Invalid username or password.'));
        if (!(await core.staff.isStaff(session.user.id))) return sendPage(reply, 403, 'Not staff', html`<p class="error">This account is not staff.</p>`);
        const maxAge = Math.max(1, Math.floor((Date.parse(session.expiresAt) - core.clock.now()) / 1000));
        setAdminCookie(request, reply, session.accessToken, maxAge);
        return reply.code(303).header('location', '/admin/').send();
      },
    );

    face.post(
      '/admin/logout/',
      { config: { public: true }, schema: { tags, summary: 'Sign out: clears the cookie and redirects (303) to the sign-in form' } },
      async (_request, reply) => {
        clearAdminCookie(reply);
        return reply.code(303).header('location', '/admin/login/').send();
      },
    );

    face.register(async (staffOnly) => {
      const routes = staffOnly.withTypeProvider<ZodTypeProvider>();
      routes.addHook('onRequest', adminAuth(core));
      const security = adminSecurity;

      routes.get(
        '/admin/',
        { schema: { tags, security, summary: 'Staff dashboard: tenants, users, queue, dead jobs (cookie or Bearer; staff only)', response: { 200: htmlPage } } },
        async (_request, reply) => sendPage(reply, 200, 'Engram admin', await dashboard(core)),
      );

      routes.post(
        '/admin/jobs/:id/retry/',
        { schema: { tags, security, summary: 'Requeue a dead job (form post), then redirect (303) to /admin/', params: jobParams } },
        async (request, reply) => {
          if (!(await core.queue.retryDead(request.params.id))) throw new AppError('not_found', { resource: 'Dead job', id: request.params.id });
          return reply.code(303).header('location', '/admin/').send();
        },
      );
    });
  });
}
