// /api/jobs/…/ on the recording face: the background-job records of work done for the caller (one per LLM call etc.).
// A user sees the jobs whose payload names them (`userId`), whatever their role: the tenant-wide queue,
// other users' work included, belongs to the staff dashboard, not to this per-user API.
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Core } from '../../app.js';
import { requireUser } from '../../auth/principal.js';
import { AppError } from '../../platform/errors.js';
import type { HttpServer } from '../../platform/http.js';
import type { JobStatus } from '../../platform/db/schema.js';
import { principalOf } from '../principal.js';
import { cloneAuth, cloneSecurity } from './auth.js';
import { idParams, jobListQuery, jobOut, jobView } from './prediction-schemas.js';
import { listPage } from './schemas.js';

const tags = ['recording: jobs'];
const security = cloneSecurity;

export function registerCloneJobRoutes(app: HttpServer, core: Core) {
  app.register(async (instance) => {
    const face = instance.withTypeProvider<ZodTypeProvider>();
    face.addHook('onRequest', cloneAuth(core.auth));

    face.get(
      '/api/jobs/',
      { schema: { tags, security, summary: 'Jobs run for you, newest first', querystring: jobListQuery, response: { 200: listPage(jobOut) } } },
      async (request) => {
        const principal = principalOf(request);
        const { limit, offset, status, kind } = request.query;
        const filter = {
          userId: requireUser(principal),
          ...(status !== undefined ? { status: status as JobStatus } : {}),
          ...(kind !== undefined ? { kind } : {}),
        };
        const [count, jobs] = await Promise.all([
          core.queue.count(principal.tenantId, filter),
          core.queue.list(principal.tenantId, { ...filter, limit, offset }),
        ]);
        return { count, results: jobs.map(jobView) };
      },
    );

    face.get(
      '/api/jobs/:id/',
      { schema: { tags, security, summary: 'One job run for you', params: idParams, response: { 200: jobOut } } },
      async (request) => {
        const principal = principalOf(request);
        const job = await core.queue.get(principal.tenantId, request.params.id, { userId: requireUser(principal) });
        if (!job) throw new AppError('not_found', { resource: 'Job', id: request.params.id });
        return jobView(job);
      },
    );
  });
}
