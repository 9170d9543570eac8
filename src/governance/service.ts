// Governance events (002): model calls, prompts, incidents and evidence sent with an ingestion key,
// stored append-only per tenant. A retry with the same Idempotency-Key returns the first event.
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.js';
import type { Clock } from '../platform/clock.js';
import type { DB } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { Ids } from '../platform/ids.js';
import type { GovernanceEventInput } from './schemas.js';
import { contentHash } from '../platform/content-hash.js';
import {
  type GovernanceEvent,
  type GovernanceEventFilter,
  appendGovernanceEvent,
  findGovernanceEvent,
  findGovernanceEventByKey,
  listGovernanceEvents,
} from './store.js';

export type { GovernanceEvent, GovernanceEventFilter, GovernanceEventInput };

const field = (input: GovernanceEventInput, name: string): string | null => {
  const value = (input as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
};

export class GovernanceService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock; ids: Ids }) {}

  /** Stores an event sent with an ingestion key; `created` is false when an idempotent retry found the first one. */
  async record(
    principal: Principal,
    input: GovernanceEventInput,
    options: { idempotencyKey?: string } = {},
  ): Promise<{ event: GovernanceEvent; created: boolean }> {
    const { db, clock, ids } = this.deps;
    if (principal.credentialKind !== 'ingestion' || !principal.credentialId) {
      throw new AppError('forbidden', { reason: 'Governance events are sent with an ingestion key' });
    }
    const key = options.idempotencyKey ?? null;
    const hash = contentHash(input);
    if (key !== null) {
      const known = await findGovernanceEventByKey(db, principal.tenantId, key);
      if (known) return this.replay(known, hash);
    }
    const now = clock.now();
    const result = await appendGovernanceEvent(db, principal.tenantId, {
      id: ids.next(),
      credentialId: principal.credentialId,
      type: input.type,
      occurredAt: input.occurred_at ? Date.parse(input.occurred_at) : now,
      receivedAt: now,
      idempotencyKey: key,
      contentHash: hash,
      systemId: field(input, 'system_id'),
      teamId: field(input, 'team_id'),
      actorId: field(input, 'actor_id'),
      subjectId: field(input, 'subject_id'),
      level: field(input, 'level'),
      body: input,
    });
    // Lost a race with a concurrent retry: same rules as a retry that came later.
    return result.created ? result : this.replay(result.event, hash);
  }

  list(tenantId: string, filter: GovernanceEventFilter): Promise<{ events: GovernanceEvent[]; total: number }> {
    return listGovernanceEvents(this.deps.db, tenantId, filter);
  }

  async get(tenantId: string, id: string): Promise<GovernanceEvent> {
    const event = await findGovernanceEvent(this.deps.db, tenantId, id);
    if (!event) throw new AppError('not_found', { resource: 'Governance event', id });
    return event;
  }

  private replay(existing: GovernanceEvent, hash: string): { event: GovernanceEvent; created: boolean } {
    if (existing.contentHash !== hash) {
      throw new AppError('conflict', { reason: `Idempotency-Key ${existing.idempotencyKey} was already used with a different event` });
    }
    return { event: existing, created: false };
  }
}
