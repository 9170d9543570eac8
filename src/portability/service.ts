// Moving a user's memory: export one subject as a document, and import a document as a new subject with
// fresh ids, in one transaction. Envelope ids and idempotency keys survive, so a client re-sending an
// envelope after a restore is told it is a duplicate.
import type { Kysely } from 'kysely';
import { envelopeHash, processEventJob } from '../events/service.js';
import type { Clock } from '../platform/clock.js';
import { toIso } from '../platform/clock.js';
import { isUniqueViolation } from '../platform/db/index.js';
import type { DB } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { Ids } from '../platform/ids.js';
import type { Queue } from '../platform/queue.js';
import type { SearchIndex } from '../retrieval/indexing.js';
import {
  type EventRecord,
  type SubjectDocument,
  type SubjectRecords,
  subjectDocumentFormat,
  subjectDocumentVersion,
} from './schemas.js';
import { insertSubjectRecords, readSubjectRecords, takenIdempotencyKey, takenIdentity } from './store.js';

export type { SubjectDocument };

export interface ImportOptions {
  /**
   * Import a copy beside the original instead of restoring it: no external_id, email or account link
   * (so it never collides), and idempotency keys scoped to the copy (envelope ids are kept).
   */
  asNewUser?: boolean;
}

export interface ImportResult {
  subjectId: string;
  selfModelId: string;
  counts: { sessions: number; events: number; episodes: number; beliefs: number; evidence: number };
}

type IdMap = Map<string, string>;

/** Fresh ids in the same order as the old ones, so every "order by id" reads the rows as before. */
function freshIdsInOrder(ids: Ids, old: string[]): IdMap {
  const fresh = old.map(() => ids.next()).sort();
  return new Map([...old].sort().map((id, i) => [id, fresh[i]!]));
}

function lookup(map: IdMap, what: string) {
  return (old: string): string => {
    const id = map.get(old);
    if (id === undefined) throw new AppError('validation_failed', { summary: `${what} ${old} is not in the document` });
    return id;
  };
}

const orNull = (to: (old: string) => string) => (old: string | null) => (old === null ? null : to(old));

/** Replaces every string that is a known id, anywhere in a JSON value. */
function rewriteIds(value: unknown, map: IdMap): unknown {
  if (typeof value === 'string') return map.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => rewriteIds(v, map));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteIds(v, map)]));
  return value;
}

/**
 * The content hash names the subject and session, so it is recomputed for the new ones. Which form was
 * hashed (with the envelope's timestamp, or without one) is found by reproducing the stored hash; a hash
 * that cannot be reproduced is kept as it is.
 */
function rehash(e: EventRecord, oldSubjectId: string, subjectId: string, sessionId: string | null): string {
  const envelope = { inputType: e.input_type, schemaVersion: e.schema_version, data: e.data };
  for (const occurredAt of [Date.parse(e.occurred_at), null]) {
    if (envelopeHash({ ...envelope, occurredAt, subjectId: oldSubjectId, sessionId: e.session_id }) === e.content_hash) {
      return envelopeHash({ ...envelope, occurredAt, subjectId, sessionId });
    }
  }
  return e.content_hash;
}

export class PortabilityService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock; ids: Ids; queue: Queue; index: SearchIndex }) {}

  /** One subject of this tenant and everything derived from it; another tenant's subject is not found. */
  async exportSubject(tenantId: string, subjectId: string): Promise<SubjectDocument> {
    const records = await readSubjectRecords(this.deps.db, tenantId, subjectId);
    if (!records) throw new AppError('not_found', { resource: 'User', id: subjectId });
    return { format: subjectDocumentFormat, version: subjectDocumentVersion, exported_at: toIso(this.deps.clock.now()), ...records };
  }

  /**
   * Creates the document's subject and all its rows with fresh ids, or nothing (409) when its identity or
   * one of its envelopes is already in the tenant. Processed and failed events keep their status and get
   * no job; events that were still waiting when exported are queued again so they are not stranded.
   */
  async importSubject(tenantId: string, document: SubjectDocument, options: ImportOptions = {}): Promise<ImportResult> {
    const asNewUser = options.asNewUser ?? false;
    const records = this.withFreshIds(document, asNewUser);
    const waiting = records.events.filter((e) => e.status === 'received' || e.status === 'processing');
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        await this.refuseTaken(trx, tenantId, records, asNewUser);
        await insertSubjectRecords(trx, tenantId, records);
        await this.deps.index.addSubject(
          trx,
          tenantId,
          records.subject.id,
          records.events.map((e) => ({ id: e.id, envelopeId: e.envelope_id, sessionId: e.session_id, speaker: e.speaker, occurredAt: Date.parse(e.occurred_at), text: e.text, data: e.data })),
          records.beliefs.map((b) => ({ id: b.id, about: b.about, statement: b.statement, firstSeen: Date.parse(b.first_seen) })),
        );
        for (const e of waiting) {
          await this.deps.queue.enqueue({ tenantId, kind: processEventJob, payload: { eventId: e.id }, idempotencyKey: e.id }, trx);
        }
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      throw new AppError('conflict', { reason: 'The user or one of its envelopes was stored in this tenant while importing' }, { cause: err });
    }
    return {
      subjectId: records.subject.id,
      selfModelId: records.subject.self_model_id,
      counts: {
        sessions: records.sessions.length,
        events: records.events.length,
        episodes: records.episodes.length,
        beliefs: records.beliefs.length,
        evidence: records.evidence.length,
      },
    };
  }

  private async refuseTaken(trx: Kysely<DB>, tenantId: string, r: SubjectRecords, asNewUser: boolean): Promise<void> {
    const s = r.subject;
    const taken = asNewUser
      ? undefined
      : await takenIdentity(trx, tenantId, { kind: s.kind, externalId: s.external_id, email: s.email, userId: s.user_id });
    if (taken) {
      const value = taken === 'external_id' ? s.external_id : taken === 'email' ? s.email : s.user_id;
      throw new AppError('conflict', { reason: `A user with ${taken} ${value} already exists in this tenant` });
    }
    const key = await takenIdempotencyKey(trx, tenantId, r.events.map((e) => e.idempotency_key));
    if (key) {
      const envelope = r.events.find((e) => e.idempotency_key === key)!.envelope_id;
      throw new AppError('conflict', { reason: `Envelope ${envelope} is already stored in this tenant` });
    }
  }

  /** The document's rows under fresh ids, with every reference between them rewritten. */
  private withFreshIds(doc: SubjectDocument, asNewUser: boolean): SubjectRecords {
    const { ids } = this.deps;
    const subjectId = ids.next();
    const sessionMap = freshIdsInOrder(ids, doc.sessions.map((x) => x.id));
    const beliefMap = freshIdsInOrder(ids, doc.beliefs.map((x) => x.id));
    const session = lookup(sessionMap, 'session');
    const event = lookup(freshIdsInOrder(ids, doc.events.map((x) => x.id)), 'event');
    const episode = lookup(freshIdsInOrder(ids, doc.episodes.map((x) => x.id)), 'episode');
    const belief = lookup(beliefMap, 'belief');
    const key = (k: string) => (asNewUser ? `copy:${subjectId}:${k}` : k);
    const identity = asNewUser
      ? { kind: 'external_user' as const, external_id: null, email: null, user_id: null }
      : { email: doc.subject.email === null ? null : doc.subject.email.trim().toLowerCase() };
    return {
      subject: { ...doc.subject, id: subjectId, self_model_id: ids.next(), ...identity },
      // A completed session's snapshot lists the beliefs current then, by id.
      sessions: doc.sessions.map((x) => ({ ...x, id: session(x.id), snapshot: rewriteIds(x.snapshot ?? null, beliefMap) })),
      events: doc.events.map((x) => {
        const sessionId = orNull(session)(x.session_id);
        return {
          ...x,
          id: event(x.id),
          idempotency_key: key(x.idempotency_key),
          session_id: sessionId,
          episode_id: orNull(episode)(x.episode_id),
          belief_ids: x.belief_ids === null ? null : x.belief_ids.map(belief),
          content_hash: rehash(x, doc.subject.id, subjectId, sessionId),
        };
      }),
      episodes: doc.episodes.map((x) => ({ ...x, id: episode(x.id), event_id: event(x.event_id), session_id: orNull(session)(x.session_id) })),
      beliefs: doc.beliefs.map((x) => ({
        ...x,
        id: belief(x.id),
        superseded_by: orNull(belief)(x.superseded_by),
        contradicts: orNull(belief)(x.contradicts),
      })),
      evidence: doc.evidence.map((x) => ({ ...x, belief_id: belief(x.belief_id), event_id: event(x.event_id) })),
    };
  }
}
