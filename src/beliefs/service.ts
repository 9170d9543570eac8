// Beliefs: applying what extraction found (reinforce, supersede, contradict, keep history) with evidence,
// and reading them back — current, as of a time, or filtered — with decayed confidence.
import type { Kysely } from 'kysely';
import type { ExtractedBelief } from '../extraction/types.js';
import type { Clock } from '../platform/clock.js';
import type { DB } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { Ids } from '../platform/ids.js';
import type { SearchIndex } from '../retrieval/indexing.js';
import { decayed, decide, objectKey, reinforce } from './lifecycle.js';
import * as store from './store.js';
import type { Belief, BeliefFilter } from './store.js';

export type { Belief, BeliefFilter };

export interface BeliefWithEvidence extends Belief {
  /** Confidence now, after decay since the last confirmation. */
  effectiveConfidence: number;
  /** Envelope ids this belief was learned from. */
  evidence: string[];
}

/** A fact the user states directly (recording face): no extraction, full confidence, no evidence. */
export interface UserFact {
  about: string;
  predicate: string;
  object: string;
  statement: string;
  positive: boolean;
  category: ExtractedBelief['category'];
}

export interface EvidenceSource {
  eventId: string;
  envelopeId: string;
  occurredAt: number;
}

export class BeliefService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock; ids: Ids; halfLifeMs: number; index: SearchIndex }) {}

  /**
   * Applies extracted beliefs from one event, inside the caller's transaction. Re-applying the same event
   * changes nothing but evidence links that already exist, so a re-run after a crash is harmless.
   */
  async apply(
    executor: Kysely<DB>,
    tenantId: string,
    subjectId: string,
    source: EvidenceSource,
    extracted: ExtractedBelief[],
    extractor: string,
  ): Promise<string[]> {
    const touched: string[] = [];
    const now = this.deps.clock.now();
    for (const incoming of extracted) {
      const validFrom = incoming.validFrom ?? (incoming.validTo != null ? 0 : source.occurredAt);
      const existing = await store.beliefsFor(executor, tenantId, subjectId, incoming.about, incoming.predicate);
      const decision = decide(incoming, validFrom, existing, source.occurredAt);
      let beliefId: string;
      if (decision.kind === 'reinforce') {
        beliefId = decision.belief.id;
        await store.updateBelief(
          executor,
          tenantId,
          beliefId,
          {
            confidence: reinforce(decision.belief.confidence, incoming.confidence),
            confirmations: decision.belief.confirmations + 1,
            last_confirmed: Math.max(decision.belief.lastConfirmed, source.occurredAt),
          },
          now,
        );
      } else if (decision.kind === 'end') {
        beliefId = decision.belief.id;
        await store.updateBelief(
          executor,
          tenantId,
          beliefId,
          { status: 'superseded', valid_to: decision.validTo, superseded_at: now, ...(decision.supersededBy ? { superseded_by: decision.supersededBy } : {}) },
          now,
        );
      } else {
        beliefId = this.deps.ids.next();
        const belief: Omit<Belief, 'tenantId'> = {
          id: beliefId,
          subjectId,
          about: incoming.about,
          predicate: incoming.predicate,
          object: incoming.object,
          objectKey: objectKey(incoming.object),
          statement: incoming.statement,
          positive: incoming.positive,
          category: incoming.category,
          confidence: incoming.confidence,
          confirmations: 1,
          status: decision.status,
          source: incoming.engine ?? extractor,
          validFrom: decision.validFrom,
          validTo: decision.validTo,
          whenAt: incoming.when ?? null,
          firstSeen: source.occurredAt,
          lastConfirmed: source.occurredAt,
          recordedAt: now,
          supersededAt: decision.status === 'superseded' ? now : null,
          supersededBy: decision.supersededBy,
          contradicts: decision.contradicts,
          updatedAt: now,
        };
        await store.insertBelief(executor, tenantId, belief);
        await this.deps.index.addBelief(executor, tenantId, belief);
        for (const ended of decision.follows) {
          await store.updateBelief(executor, tenantId, ended.id, { superseded_by: beliefId }, now);
        }
        for (const old of decision.supersede) {
          await store.updateBelief(
            executor,
            tenantId,
            old.id,
            { status: 'superseded', valid_to: decision.validFrom, superseded_at: now, superseded_by: beliefId },
            now,
          );
        }
      }
      await store.addEvidence(executor, tenantId, { beliefId, eventId: source.eventId, subjectId, envelopeId: source.envelopeId, createdAt: now });
      if (!touched.includes(beliefId)) touched.push(beliefId);
    }
    return touched;
  }

  /**
   * Records a fact the user stated, as of now, through the same lifecycle as extracted ones: the same
   * fact again is confirmed (at full confidence), a new value of a single-valued predicate supersedes the old.
   */
  async createUserFact(tenantId: string, subjectId: string, fact: UserFact): Promise<BeliefWithEvidence> {
    const now = this.deps.clock.now();
    const incoming: ExtractedBelief = { ...fact, confidence: 1, validFrom: now };
    const id = await this.deps.db.transaction().execute(async (trx) => {
      const existing = await store.beliefsFor(trx, tenantId, subjectId, fact.about, fact.predicate);
      const decision = decide(incoming, now, existing, now);
      if (decision.kind === 'reinforce' || decision.kind === 'end') {
        const b = decision.belief;
        await store.updateBelief(trx, tenantId, b.id, { confidence: 1, confirmations: b.confirmations + 1, last_confirmed: now }, now);
        return b.id;
      }
      const beliefId = this.deps.ids.next();
      await this.insertUserBelief(trx, tenantId, subjectId, beliefId, fact, now, decision.contradicts);
      for (const old of decision.supersede) {
        await store.updateBelief(trx, tenantId, old.id, { status: 'superseded', valid_to: now, superseded_at: now, superseded_by: beliefId }, now);
      }
      return beliefId;
    });
    return this.get(tenantId, subjectId, id);
  }

  /**
   * Changes a current fact by superseding it: the new value is a new belief from now on, the old one is
   * kept as history with its valid_to and superseded_by. Only an active fact can change.
   */
  async updateFact(tenantId: string, subjectId: string, id: string, changes: Partial<Omit<UserFact, 'about' | 'predicate'>>): Promise<BeliefWithEvidence> {
    const old = await this.get(tenantId, subjectId, id);
    if (old.status !== 'active') throw new AppError('conflict', { reason: `Fact ${id} is ${old.status}; only a current fact can change` });
    const now = this.deps.clock.now();
    const object = changes.object ?? old.object;
    const next: UserFact = {
      about: old.about,
      predicate: old.predicate,
      object,
      statement: changes.statement ?? (changes.object === undefined ? old.statement : `${old.predicate.replace(/_/g, ' ')} ${object}`),
      positive: changes.positive ?? old.positive,
      category: changes.category ?? (old.category as UserFact['category']),
    };
    const newId = this.deps.ids.next();
    await this.deps.db.transaction().execute(async (trx) => {
      const changed = await trx
        .updateTable('beliefs')
        .set({ status: 'superseded', valid_to: now, superseded_at: now, superseded_by: newId, updated_at: now })
        .where('tenant_id', '=', tenantId)
        .where('subject_id', '=', subjectId)
        .where('id', '=', id)
        .where('status', '=', 'active')
        .executeTakeFirst();
      if (changed.numUpdatedRows === 0n) throw new AppError('conflict', { reason: `Fact ${id} changed meanwhile; reload it` });
      await this.insertUserBelief(trx, tenantId, subjectId, newId, next, now, null);
    });
    return this.get(tenantId, subjectId, newId);
  }

  /** One belief of this subject, whatever its status; another subject's is not found. */
  async get(tenantId: string, subjectId: string, id: string): Promise<BeliefWithEvidence> {
    const belief = await store.findBelief(this.deps.db, tenantId, subjectId, id);
    if (!belief) throw new AppError('not_found', { resource: 'Fact', id });
    return (await this.withEvidence(tenantId, [belief]))[0]!;
  }

  /** The earlier versions a belief replaced, newest first (following superseded_by back). */
  async history(tenantId: string, subjectId: string, id: string): Promise<BeliefWithEvidence[]> {
    const out: Belief[] = [];
    const seen = new Set([id]);
    let frontier = [id];
    while (frontier.length && out.length < 100) {
      const older = await store.beliefsSupersededBy(this.deps.db, tenantId, subjectId, frontier);
      const fresh = older.filter((b) => !seen.has(b.id));
      for (const b of fresh) seen.add(b.id);
      out.push(...fresh);
      frontier = fresh.map((b) => b.id);
    }
    return this.withEvidence(tenantId, out);
  }

  async list(tenantId: string, subjectId: string, filter: BeliefFilter): Promise<BeliefWithEvidence[]> {
    return this.withEvidence(tenantId, await store.listBeliefs(this.deps.db, tenantId, subjectId, filter));
  }

  count(tenantId: string, subjectId: string, filter: Omit<BeliefFilter, 'limit' | 'offset'>): Promise<number> {
    return store.countBeliefs(this.deps.db, tenantId, subjectId, filter);
  }

  /** What is believed now, or what was true at `asOf` (valid time). Superseded beliefs are never current. */
  current(tenantId: string, subjectId: string, options: { asOf?: number; limit?: number } = {}): Promise<BeliefWithEvidence[]> {
    const filter: BeliefFilter =
      options.asOf === undefined
        ? { status: 'active', limit: options.limit ?? 1000, offset: 0 }
        : { asOf: options.asOf, limit: options.limit ?? 1000, offset: 0 };
    return this.list(tenantId, subjectId, filter);
  }

  async retract(tenantId: string, subjectId: string, id: string): Promise<void> {
    const now = this.deps.clock.now();
    const changed = await this.deps.db
      .updateTable('beliefs')
      .set({ status: 'retracted', valid_to: now, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('subject_id', '=', subjectId)
      .where('id', '=', id)
      .where('status', '!=', 'retracted')
      .executeTakeFirst();
    if (changed.numUpdatedRows === 0n) throw new AppError('not_found', { resource: 'Belief', id });
  }

  private async insertUserBelief(
    executor: Kysely<DB>,
    tenantId: string,
    subjectId: string,
    id: string,
    fact: UserFact,
    now: number,
    contradicts: string | null,
  ): Promise<void> {
    const belief: Omit<Belief, 'tenantId'> = {
      id,
      subjectId,
      ...fact,
      objectKey: objectKey(fact.object),
      confidence: 1,
      confirmations: 1,
      status: 'active',
      source: 'user',
      validFrom: now,
      validTo: null,
      whenAt: null,
      firstSeen: now,
      lastConfirmed: now,
      recordedAt: now,
      supersededAt: null,
      supersededBy: null,
      contradicts,
      updatedAt: now,
    };
    await store.insertBelief(executor, tenantId, belief);
    await this.deps.index.addBelief(executor, tenantId, belief);
  }

  private async withEvidence(tenantId: string, beliefs: Belief[]): Promise<BeliefWithEvidence[]> {
    const evidence = await store.evidenceOf(this.deps.db, tenantId, beliefs.map((b) => b.id));
    const now = this.deps.clock.now();
    return beliefs.map((b) => ({
      ...b,
      effectiveConfidence: decayed(b, now, this.deps.halfLifeMs),
      evidence: evidence.get(b.id) ?? [],
    }));
  }
}
