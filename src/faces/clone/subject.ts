// Whose memory a recording-face request reads and writes: the signed-in account user's own subject, or on
// /api/memory/ the subject of the user named by `owner_id` when that user shared their memory with the caller.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
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

export const ownerQuery = z.object({
  owner_id: z
    .string()
    .min(1)
    .optional()
    .describe('Whose memory: default your own; the id of a user who shared theirs with you to read it (each read is logged for them; writes answer 403)'),
});

/**
 * The memory a /api/memory/ route works on: the caller's own, or with `owner_id` another user's that the
 * caller is an active member of. Members only read; core.access refuses and logs (see AccessService.openMemory).
 */
export async function sharedMemory(core: Core, request: FastifyRequest, mode: 'read' | 'write'): Promise<{ tenantId: string; subject: Subject }> {
  const ownerId = (request.query as { owner_id?: string } | undefined)?.owner_id;
  const principal = principalOf(request);
  if (ownerId === undefined || ownerId === requireUser(principal)) return callerMemory(core, request);
  await core.access.openMemory(principal, ownerId, { write: mode === 'write', path: request.url.split('?', 1)[0]! });
  return { tenantId: principal.tenantId, subject: await core.subjects.forAccountUser(principal.tenantId, ownerId, null) };
}
