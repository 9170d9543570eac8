// Predictions: queries and row mapping only. Every query is scoped to a tenant and the user who asked.
import type { Kysely, Selectable } from 'kysely';
import type { DB, PredictionsTable } from '../platform/db/schema.js';

export type PredictionStatus = 'completed' | 'failed';

export interface Prediction {
  id: string;
  tenantId: string;
  subjectId: string;
  userId: string;
  type: string;
  situation: string;
  options: string[] | null;
  output: string | null;
  chosenOption: string | null;
  confidence: number | null;
  reasoning: string | null;
  model: string | null;
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  status: PredictionStatus;
  error: string | null;
  jobId: string | null;
  actual: string | null;
  correct: boolean | null;
  score: number | null;
  feedbackAt: number | null;
  createdAt: number;
}

export interface Owner {
  tenantId: string;
  userId: string;
}

export interface PredictionFilter {
  type?: string;
  status?: PredictionStatus;
  since?: number;
  until?: number;
}

export interface Feedback {
  actual: string;
  correct: boolean | null;
  score: number | null;
  feedbackAt: number;
}

const toPrediction = (r: Selectable<PredictionsTable>): Prediction => ({
  id: r.id,
  tenantId: r.tenant_id,
  subjectId: r.subject_id,
  userId: r.user_id,
  type: r.type,
  situation: r.situation,
  options: r.options === null ? null : (JSON.parse(r.options) as string[]),
  output: r.output,
  chosenOption: r.chosen_option,
  confidence: r.confidence === null ? null : Number(r.confidence),
  reasoning: r.reasoning,
  model: r.model,
  latencyMs: Number(r.latency_ms),
  inputTokens: Number(r.input_tokens),
  outputTokens: Number(r.output_tokens),
  status: r.status,
  error: r.error,
  jobId: r.job_id,
  actual: r.actual,
  correct: r.correct === null ? null : Number(r.correct) === 1,
  score: r.score === null ? null : Number(r.score),
  feedbackAt: r.feedback_at === null ? null : Number(r.feedback_at),
  createdAt: Number(r.created_at),
});

export async function insertPrediction(db: Kysely<DB>, p: Prediction): Promise<void> {
  await db
    .insertInto('predictions')
    .values({
      tenant_id: p.tenantId,
      id: p.id,
      subject_id: p.subjectId,
      user_id: p.userId,
      type: p.type,
      situation: p.situation,
      options: p.options === null ? null : JSON.stringify(p.options),
      output: p.output,
      chosen_option: p.chosenOption,
      confidence: p.confidence,
      reasoning: p.reasoning,
      model: p.model,
      latency_ms: p.latencyMs,
      input_tokens: p.inputTokens,
      output_tokens: p.outputTokens,
      status: p.status,
      error: p.error,
      job_id: p.jobId,
      actual: p.actual,
      correct: p.correct === null ? null : p.correct ? 1 : 0,
      score: p.score,
      feedback_at: p.feedbackAt,
      created_at: p.createdAt,
    })
    .execute();
}

function owned(db: Kysely<DB>, owner: Owner, filter: PredictionFilter = {}) {
  return db
    .selectFrom('predictions')
    .where('tenant_id', '=', owner.tenantId)
    .where('user_id', '=', owner.userId)
    .$if(filter.type !== undefined, (q) => q.where('type', '=', filter.type!))
    .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status!))
    .$if(filter.since !== undefined, (q) => q.where('created_at', '>=', filter.since!))
    .$if(filter.until !== undefined, (q) => q.where('created_at', '<', filter.until!));
}

export async function findPrediction(db: Kysely<DB>, owner: Owner, id: string): Promise<Prediction | undefined> {
  const row = await owned(db, owner).selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toPrediction(row) : undefined;
}

export async function listPredictions(
  db: Kysely<DB>,
  owner: Owner,
  filter: PredictionFilter & { limit: number; offset: number },
): Promise<{ count: number; rows: Prediction[] }> {
  const counted = await owned(db, owner, filter).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await owned(db, owner, filter)
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return { count: Number(counted.n), rows: rows.map(toPrediction) };
}

/** Writes the feedback; undefined when the prediction is not this user's. */
export async function recordFeedback(db: Kysely<DB>, owner: Owner, id: string, feedback: Feedback): Promise<Prediction | undefined> {
  const row = await db
    .updateTable('predictions')
    .set({
      actual: feedback.actual,
      correct: feedback.correct === null ? null : feedback.correct ? 1 : 0,
      score: feedback.score,
      feedback_at: feedback.feedbackAt,
    })
    .where('tenant_id', '=', owner.tenantId)
    .where('user_id', '=', owner.userId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? toPrediction(row) : undefined;
}

/** What stats need of every prediction the user has: type, status, confidence and the verdict. */
export async function outcomes(
  db: Kysely<DB>,
  owner: Owner,
): Promise<{ type: string; status: PredictionStatus; confidence: number | null; correct: boolean | null; score: number | null }[]> {
  const rows = await owned(db, owner).select(['type', 'status', 'confidence', 'correct', 'score']).execute();
  return rows.map((r) => ({
    type: r.type,
    status: r.status,
    confidence: r.confidence === null ? null : Number(r.confidence),
    correct: r.correct === null ? null : Number(r.correct) === 1,
    score: r.score === null ? null : Number(r.score),
  }));
}
