// Memory sessions: a run of envelopes that belong together. created → active → completed (when the
// processed episodes reach the expected count), or failed, or abandoned after inactivity.
import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.js';
import type { DB } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { Ids } from '../platform/ids.js';
import { episodesOfSession } from '../episodes/store.js';
import { summarizeRun } from '../episodes/summary.js';
import type { SubjectService } from '../subjects/service.js';
import { type MemorySession, findSession, insertSession, toSession, updateSession } from './store.js';

export type { MemorySession };

export interface NewMemorySession {
  subjectId: string;
  sessionType: string;
  expectedEpisodeCount?: number | null;
  metadata?: Record<string, unknown>;
  causationId?: string | null;
  correlationId?: string | null;
}

export class MemorySessionService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock; ids: Ids; subjects: SubjectService }) {}

  async create(tenantId: string, input: NewMemorySession): Promise<MemorySession> {
    await this.deps.subjects.get(tenantId, input.subjectId);
    const now = this.deps.clock.now();
    const session: Omit<MemorySession, 'tenantId'> = {
      id: this.deps.ids.next(),
      subjectId: input.subjectId,
      sessionType: input.sessionType,
      expectedEpisodeCount: input.expectedEpisodeCount ?? null,
      processedEpisodeCount: 0,
      status: 'created',
      metadata: input.metadata ?? {},
      causationId: input.causationId ?? null,
      correlationId: input.correlationId ?? null,
      errorMessage: null,
      summary: null,
      snapshot: null,
      createdAt: now,
      updatedAt: now,
      lastActivityAt: now,
      completedAt: null,
    };
    await insertSession(this.deps.db, tenantId, session);
    return { ...session, tenantId };
  }

  async get(tenantId: string, id: string): Promise<MemorySession> {
    const session = await findSession(this.deps.db, tenantId, id);
    if (!session) throw new AppError('not_found', { resource: 'Session', id });
    return session;
  }

  /** A session that receives an envelope for this subject; it becomes active. Unknown or another subject's: 404. */
  async touchForEnvelope(executor: Kysely<DB>, tenantId: string, id: string, subjectId: string): Promise<void> {
    const session = await findSession(executor, tenantId, id);
    if (!session || session.subjectId !== subjectId) throw new AppError('not_found', { resource: 'Session', id });
    const now = this.deps.clock.now();
    await updateSession(executor, tenantId, id, { last_activity_at: now }, now);
    await updateSession(executor, tenantId, id, { status: 'active' }, now, ['created']);
  }

  async fail(tenantId: string, id: string, errorMessage: string): Promise<MemorySession> {
    await this.get(tenantId, id);
    const now = this.deps.clock.now();
    const changed = await updateSession(this.deps.db, tenantId, id, { status: 'failed', error_message: errorMessage }, now, ['created', 'active']);
    if (!changed) throw new AppError('conflict', { reason: 'Only a created or active session can be marked failed' });
    return this.get(tenantId, id);
  }

  /** Sessions of this tenant idle for longer than the timeout become abandoned; returns how many. */
  async abandonStale(tenantId: string, timeoutMinutes: number): Promise<number> {
    const now = this.deps.clock.now();
    const r = await this.deps.db
      .updateTable('memory_sessions')
      .set({ status: 'abandoned', updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('status', 'in', ['created', 'active'])
      .where('last_activity_at', '<', now - timeoutMinutes * 60_000)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /**
   * Counts one processed episode (inside the processing transaction). When the expected count is
   * reached the session completes and `snapshot()` is stored as its self-model snapshot.
   */
  async countProcessedEpisode(
    executor: Kysely<DB>,
    tenantId: string,
    id: string,
    snapshot: () => Promise<unknown>,
  ): Promise<void> {
    const now = this.deps.clock.now();
    const row = await executor
      .updateTable('memory_sessions')
      .set((eb) => ({ processed_episode_count: eb('processed_episode_count', '+', 1), last_activity_at: now, updated_at: now }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) return;
    const session = toSession(row);
    const done = session.expectedEpisodeCount !== null && session.processedEpisodeCount >= session.expectedEpisodeCount;
    if (!done || !['created', 'active'].includes(session.status)) return;
    const episodes = await episodesOfSession(executor, tenantId, id);
    await updateSession(
      executor,
      tenantId,
      id,
      {
        status: 'completed',
        completed_at: now,
        snapshot: JSON.stringify(await snapshot()),
        summary: summarizeRun(episodes),
      },
      now,
      ['created', 'active'],
    );
  }
}
