// Whose memory a recording-face request reads and writes: the signed-in account user's own subject.
import type { FastifyRequest } from 'fastify';
import type { Core } from '../../app.js';
import { requireUser } from '../../auth/principal.js';
import type { Subject } from '../../subjects/service.js';
import { principalOf } from '../principal.js';

export async function callerMemory(core: Core, request: FastifyRequest): Promise<{ tenantId: string; subject: Subject }> {
  const principal = principalOf(request);
  const user = await core.users.get(principal, requireUser(principal));
  const subject = await core.subjects.forAccountUser(principal.tenantId, user.id, user.displayName ?? user.username);
  return { tenantId: principal.tenantId, subject };
}
