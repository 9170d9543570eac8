// Read access to one's memory: an owner invites another user of the same account, who approves or
// declines; either party can end it. `openMemory` is what every memory route checks: an active member
// may read (and each read is logged for the owner), never write; to anyone else the memory does not exist.
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.js';
import { requireUser } from '../auth/principal.js';
import type { Clock } from '../platform/clock.js';
import type { DB } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { Ids } from '../platform/ids.js';
import * as store from './store.js';
import type { AccessGrant, AccessRead } from './store.js';

export type { AccessGrant, AccessRead };

const notFound = (id: string) => new AppError('not_found', { resource: 'Access grant', id });

export class AccessService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock; ids: Ids }) {}

  /**
   * Lets the caller into `ownerUserId`'s memory for one request. Their own memory is always open and not
   * logged. An active member may read, and the read (`path`) is logged for the owner; a member's write is
   * refused (403). Without an active grant, pending, declined or removed, the memory is not found (404).
   */
  async openMemory(principal: Principal, ownerUserId: string, access: { write: boolean; path: string }): Promise<void> {
    const readerUserId = requireUser(principal);
    if (ownerUserId === readerUserId) return;
    const { db, clock, ids } = this.deps;
    const grant = await store.findGrantByPair(db, principal.tenantId, ownerUserId, readerUserId);
    if (grant?.status !== 'active') throw new AppError('not_found', { resource: 'Shared memory', id: ownerUserId });
    if (access.write) throw new AppError('forbidden', { reason: 'A shared memory is read-only for its members: only its owner changes it' });
    await store.insertRead(db, principal.tenantId, { id: ids.next(), grantId: grant.id, ownerUserId, memberUserId: readerUserId, path: access.path, readAt: clock.now() });
  }

  /** The log of members' reads of the caller's memory, newest first; kept after a grant ends. */
  reads(principal: Principal, page: { memberUserId?: string; limit: number; offset: number }): Promise<{ count: number; reads: AccessRead[] }> {
    return store.listReadsOf(this.deps.db, principal.tenantId, requireUser(principal), page);
  }

  /** Grants the caller is a party to: members of their memory, and invitations to read others'. */
  list(principal: Principal): Promise<AccessGrant[]> {
    return store.listGrantsOf(this.deps.db, principal.tenantId, requireUser(principal));
  }

  async invite(principal: Principal, who: { username?: string; email?: string }): Promise<AccessGrant> {
    const ownerUserId = requireUser(principal);
    const { db, clock, ids } = this.deps;
    const memberUserId = await store.findActiveUserId(db, principal.tenantId, who);
    if (!memberUserId) throw new AppError('not_found', { resource: 'User', id: who.username ?? who.email });
    if (memberUserId === ownerUserId) throw validation('username', 'You already read your own memory');
    const now = clock.now();
    const existing = await store.findGrantByPair(db, principal.tenantId, ownerUserId, memberUserId);
    if (existing && existing.status !== 'declined') {
      throw new AppError('conflict', { reason: `This user is already ${existing.status === 'active' ? 'a member' : 'invited'}` });
    }
    if (existing) {
      // A declined invitation may be sent again; it becomes pending once more.
      await store.setGrantStatus(db, principal.tenantId, existing.id, { status: 'pending', now, respondedAt: null }, ['declined']);
      return { ...existing, status: 'pending', updatedAt: now, respondedAt: null };
    }
    const grant: Omit<AccessGrant, 'tenantId'> = { id: ids.next(), ownerUserId, memberUserId, status: 'pending', createdAt: now, updatedAt: now, respondedAt: null };
    try {
      await store.insertGrant(db, principal.tenantId, grant);
    } catch (err) {
      if (await store.findGrantByPair(db, principal.tenantId, ownerUserId, memberUserId)) throw new AppError('conflict', { reason: 'This user is already invited' });
      throw err;
    }
    return { ...grant, tenantId: principal.tenantId };
  }

  approve(principal: Principal, id: string): Promise<AccessGrant> {
    return this.respond(principal, id, 'active');
  }

  decline(principal: Principal, id: string): Promise<AccessGrant> {
    return this.respond(principal, id, 'declined');
  }

  /** Either party ends the grant (an owner removes a member, a member leaves, an owner withdraws an invite). */
  async remove(principal: Principal, id: string): Promise<void> {
    const userId = requireUser(principal);
    const grant = await store.findGrant(this.deps.db, principal.tenantId, id);
    if (!grant || (grant.ownerUserId !== userId && grant.memberUserId !== userId)) throw notFound(id);
    await store.deleteGrant(this.deps.db, principal.tenantId, id);
  }

  private async respond(principal: Principal, id: string, status: 'active' | 'declined'): Promise<AccessGrant> {
    const userId = requireUser(principal);
    const grant = await store.findGrant(this.deps.db, principal.tenantId, id);
    // Only the invited user answers; to anyone else the invitation does not exist.
    if (!grant || grant.memberUserId !== userId) throw notFound(id);
    const now = this.deps.clock.now();
    const changed = await store.setGrantStatus(this.deps.db, principal.tenantId, id, { status, now, respondedAt: now }, ['pending']);
    if (!changed) throw new AppError('conflict', { reason: `This invitation is no longer pending (${grant.status})` });
    return { ...grant, status, updatedAt: now, respondedAt: now };
  }
}

function validation(path: string, message: string): AppError {
  return new AppError('validation_failed', { summary: `${path}: ${message}`, issues: [{ location: 'body', path, message }] });
}
