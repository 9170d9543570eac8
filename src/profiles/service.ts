// Profiles: who a subject is, as one object. Derived from current beliefs about them (one value for a
// single-valued predicate, a list otherwise), overlaid with fields the user wrote themselves, which win.
import type { Kysely } from 'kysely';
import type { BeliefService, BeliefWithEvidence } from '../beliefs/service.js';
import { singleValuedPredicates } from '../extraction/types.js';
import type { Clock } from '../platform/clock.js';
import type { DB } from '../platform/db/schema.js';
import { deleteProfileField, profileFieldsOf, upsertProfileField } from './store.js';

export interface Profile {
  /** Derived values with the user's own fields laid over them. */
  fields: Record<string, unknown>;
  derived: Record<string, unknown>;
  authored: Record<string, unknown>;
}

/** Current positive beliefs about the subject itself, by predicate; the most recent value wins a single-valued one. */
export function deriveProfile(beliefs: BeliefWithEvidence[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const own = beliefs.filter((b) => b.about === 'self' && b.positive && b.status === 'active').sort((a, b) => b.validFrom - a.validFrom);
  for (const b of own) {
    if (singleValuedPredicates.has(b.predicate)) {
      if (!(b.predicate in out)) out[b.predicate] = b.object;
      continue;
    }
    const list = (out[b.predicate] as string[] | undefined) ?? [];
    if (!list.includes(b.object)) list.push(b.object);
    out[b.predicate] = list;
  }
  return out;
}

export class ProfileService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock; beliefs: BeliefService }) {}

  async get(tenantId: string, subjectId: string): Promise<Profile> {
    const derived = deriveProfile(await this.deps.beliefs.current(tenantId, subjectId));
    const authored = await profileFieldsOf(this.deps.db, tenantId, subjectId);
    return { fields: { ...derived, ...authored }, derived, authored };
  }

  /** Writes the user's own fields; a null value removes that field (the derived value shows again). */
  async write(tenantId: string, subjectId: string, fields: Record<string, unknown>): Promise<Profile> {
    const now = this.deps.clock.now();
    await this.deps.db.transaction().execute(async (trx) => {
      for (const [field, value] of Object.entries(fields)) {
        if (value === null) await deleteProfileField(trx, tenantId, subjectId, field);
        else await upsertProfileField(trx, tenantId, subjectId, field, value, now);
      }
    });
    return this.get(tenantId, subjectId);
  }
}
