// The processing job: one event → extraction → one episode and its beliefs, in one transaction.
// Idempotent: a job that runs again after a crash finds the event processed and does nothing.
import { type Kysely, sql } from 'kysely';
import type { BeliefService } from '../beliefs/service.js';
import * as beliefStore from '../beliefs/store.js';
import { insertEpisodeOnce } from '../episodes/store.js';
import { summarize } from '../episodes/summary.js';
import { processEventJob } from '../events/service.js';
import type { MemorySessionService } from '../events/sessions.js';
import { eventIdsInStatus, findEvent, setEventStatus } from '../events/store.js';
import { envelopeText } from '../events/text.js';
import { beliefsFromProfile } from '../extraction/profile.js';
import type { ExtractedBelief, Extractor } from '../extraction/types.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/index.js';
import type { DB } from '../platform/db/schema.js';
import type { Ids } from '../platform/ids.js';
import type { JobHandler } from '../platform/worker.js';
import type { SubjectService } from '../subjects/service.js';
import { promoteBatch, promoteJob } from './promotion.js';

export interface PipelineDeps {
  database: Database;
  clock: Clock;
  ids: Ids;
  extractor: Extractor;
  subjects: SubjectService;
  beliefs: BeliefService;
  sessions: MemorySessionService;
}

/** A compact picture of the self-model, stored with a completed session. */
async function snapshot(executor: Kysely<DB>, tenantId: string, subjectId: string) {
  const current = await beliefStore.listBeliefs(executor, tenantId, subjectId, { status: 'active', limit: 200, offset: 0 });
  return {
    belief_count: current.length,
    beliefs: current.map((b) => ({ id: b.id, about: b.about, predicate: b.predicate, object: b.object, statement: b.statement, confidence: b.confidence })),
  };
}

export function createPipelineJobs(deps: PipelineDeps): Record<string, JobHandler> {
  const { database, clock, ids, extractor, subjects, beliefs, sessions } = deps;
  const db = database.db;

  const process: JobHandler = async (job) => {
    const tenantId = job.tenantId;
    const { eventId } = job.payload as { eventId: string };
    const event = await findEvent(db, tenantId, eventId);
    if (!event) return { skipped: 'event not found' };
    if (event.status === 'processed') return { skipped: 'already processed', episodeId: event.episodeId };
    await setEventStatus(db, tenantId, event.id, { status: 'processing' }, 'processed');
    try {
      const subject = await subjects.get(tenantId, event.subjectId);
      const { question } = envelopeText(event.inputType, event.data);
      const extracted: ExtractedBelief[] =
        event.inputType === 'profile_update' && event.data.fields && typeof event.data.fields === 'object'
          ? beliefsFromProfile(event.data.fields as Record<string, unknown>)
          : await extractor.extract({
              text: event.text,
              speaker: event.speaker,
              subjectNames: [subject.displayName].filter((n): n is string => !!n),
              occurredAt: event.occurredAt,
              inputType: event.inputType,
              ...(question ? { question } : {}),
            });
      return await db.transaction().execute(async (trx) => {
        // One subject's beliefs change one event at a time (SQLite transactions already serialize).
        if (database.engine === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`${tenantId}:${event.subjectId}`}))`.execute(trx);
        const fresh = await findEvent(trx, tenantId, event.id);
        if (!fresh || fresh.status === 'processed') return { skipped: 'already processed' };
        const now = clock.now();
        const episodeId = await insertEpisodeOnce(trx, tenantId, {
          id: ids.next(),
          subjectId: event.subjectId,
          eventId: event.id,
          sessionId: event.sessionId,
          occurredAt: event.occurredAt,
          summary: summarize(event.text, event.speaker),
          createdAt: now,
        });
        const source = extractor.name;
        const beliefIds = await beliefs.apply(
          trx,
          tenantId,
          event.subjectId,
          { eventId: event.id, envelopeId: event.envelopeId, occurredAt: event.occurredAt },
          extracted,
          event.inputType === 'profile_update' ? 'profile' : source,
        );
        await setEventStatus(
          trx,
          tenantId,
          event.id,
          { status: 'processed', episode_id: episodeId, belief_ids: JSON.stringify(beliefIds), error_message: null, processed_at: now },
          'processed',
        );
        if (event.sessionId) {
          await sessions.countProcessedEpisode(trx, tenantId, event.sessionId, () => snapshot(trx, tenantId, event.subjectId));
        }
        return { episodeId, beliefIds };
      });
    } catch (err) {
      // The last attempt marks the envelope failed with the reason; earlier ones leave it to the retry.
      if (job.attempts >= job.maxAttempts) {
        const message = err instanceof Error ? err.message : String(err);
        await setEventStatus(db, tenantId, event.id, { status: 'failed', error_message: message.slice(0, 2000) }, 'processed');
      }
      throw err;
    }
  };

  // Runs the same processing for each of the subject's waiting events; their own jobs, if they run too,
  // find them processed (and this finds theirs), so the two never apply an event twice.
  const promote: JobHandler = async (job, ctx) => {
    const { subjectId } = job.payload as { subjectId: string };
    const waiting = await eventIdsInStatus(db, job.tenantId, subjectId, 'received', promoteBatch);
    let processed = 0;
    for (const eventId of waiting) {
      const outcome = (await process({ ...job, kind: processEventJob, payload: { eventId } }, ctx)) as { skipped?: string } | undefined;
      if (!outcome?.skipped) processed++;
    }
    return { subjectId, waiting: waiting.length, processed };
  };

  return { [processEventJob]: process, [promoteJob]: promote };
}
