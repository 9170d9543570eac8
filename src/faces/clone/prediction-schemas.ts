// Request and response shapes of /api/predictions/ and /api/jobs/ on the recording face (003): snake_case, ISO-8601 UTC.
import { z } from 'zod';
import { toIso } from '../../platform/clock.js';
import type { Job } from '../../platform/queue.js';
import { jobStatuses } from '../../platform/queue.js';
import { maxBatch, maxOptions } from '../../predictions/schemas.js';
import type { BatchItem, Prediction, PredictionStats } from '../../predictions/service.js';
import { pageQuery } from './schemas.js';

const isoOrNull = (ms: number | null) => (ms === null ? null : toIso(ms));
const iso = z.iso.datetime({ offset: true });

export const predictBody = z.object({
  situation: z.string().trim().min(1).max(8000).describe('What the user is facing'),
  options: z.array(z.string().trim().min(1).max(500)).min(1).max(maxOptions).optional().describe('Choices; the model picks one'),
  type: z.string().trim().min(1).max(50).optional().describe("What is predicted, e.g. 'action' (default) or 'response'"),
});

export const batchPredictBody = z.object({
  items: z.array(predictBody).min(1).max(maxBatch).describe(`Up to ${maxBatch} situations, answered one by one`),
});

export const feedbackBody = z.object({
  actual: z.string().trim().min(1).max(8000).describe('What actually happened'),
  correct: z.boolean().optional().describe('Whether the prediction was right'),
  score: z.number().min(0).max(1).optional().describe('How close it was, 0 to 1'),
});

export const idParams = z.object({ id: z.string() });

export const predictionListQuery = pageQuery.extend({
  type: z.string().optional(),
  status: z.enum(['completed', 'failed']).optional(),
  since: iso.optional().describe('Created at or after (ISO-8601)'),
  until: iso.optional().describe('Created before (ISO-8601)'),
});

export const predictionOut = z.object({
  id: z.string(),
  type: z.string(),
  situation: z.string(),
  options: z.array(z.string()).nullable(),
  prediction: z.string().nullable().describe('What the model says the user will do or say'),
  option: z.string().nullable().describe('The chosen option, when options were given'),
  confidence: z.number().nullable(),
  reasoning: z.string().nullable(),
  model: z.string().nullable(),
  latency_ms: z.number().int(),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  status: z.enum(['completed', 'failed']),
  error: z.string().nullable(),
  job_id: z.string().nullable(),
  feedback: z
    .object({ actual: z.string(), correct: z.boolean().nullable(), score: z.number().nullable(), feedback_at: z.string() })
    .nullable(),
  created_at: z.string(),
});

export function predictionView(p: Prediction): z.infer<typeof predictionOut> {
  return {
    id: p.id,
    type: p.type,
    situation: p.situation,
    options: p.options,
    prediction: p.output,
    option: p.chosenOption,
    confidence: p.confidence,
    reasoning: p.reasoning,
    model: p.model,
    latency_ms: p.latencyMs,
    input_tokens: p.inputTokens,
    output_tokens: p.outputTokens,
    status: p.status,
    error: p.error,
    job_id: p.jobId,
    feedback:
      p.actual === null || p.feedbackAt === null ? null : { actual: p.actual, correct: p.correct, score: p.score, feedback_at: toIso(p.feedbackAt) },
    created_at: toIso(p.createdAt),
  };
}

export const batchPredictOut = z.object({
  succeeded: z.number().int(),
  failed: z.number().int(),
  results: z.array(
    z.object({
      index: z.number().int(),
      ok: z.boolean(),
      prediction: predictionOut.optional(),
      error: z.string().optional(),
      code: z.string().optional(),
      status: z.number().int().optional().describe('The status this item alone would have answered with'),
    }),
  ),
});

export function batchView(items: BatchItem[]): z.infer<typeof batchPredictOut> {
  const results = items.map((item, index) =>
    item.ok
      ? { index, ok: true, prediction: predictionView(item.prediction) }
      : { index, ok: false, error: item.error.message, code: item.error.code, status: item.error.status },
  );
  return { succeeded: items.filter((i) => i.ok).length, failed: items.filter((i) => !i.ok).length, results };
}

const accuracyOut = z.object({ total: z.number().int(), judged: z.number().int(), correct: z.number().int(), accuracy: z.number().nullable() });

export const predictionStatsOut = z.object({
  total: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  judged: z.number().int().describe('Completed predictions with feedback saying correct or not'),
  correct: z.number().int(),
  accuracy: z.number().nullable().describe('correct / judged; null before any feedback'),
  mean_score: z.number().nullable(),
  by_type: z.record(z.string(), accuracyOut),
  calibration: z
    .array(z.object({ lower: z.number(), upper: z.number(), count: z.number().int(), mean_confidence: z.number().nullable(), accuracy: z.number().nullable() }))
    .describe('Ten confidence buckets: stated confidence against observed accuracy'),
});

export function statsView(s: PredictionStats): z.infer<typeof predictionStatsOut> {
  return {
    total: s.total,
    completed: s.completed,
    failed: s.failed,
    judged: s.judged,
    correct: s.correct,
    accuracy: s.accuracy,
    mean_score: s.meanScore,
    by_type: s.byType,
    calibration: s.calibration.map((b) => ({ lower: b.lower, upper: b.upper, count: b.count, mean_confidence: b.meanConfidence, accuracy: b.accuracy })),
  };
}

export const jobListQuery = pageQuery.extend({
  status: z.enum(jobStatuses as [string, ...string[]]).optional(),
  kind: z.string().optional(),
});

export const jobOut = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.string(),
  payload: z.unknown(),
  attempts: z.number().int(),
  max_attempts: z.number().int(),
  last_error: z.string().nullable(),
  result: z.unknown(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});

export function jobView(job: Job): z.infer<typeof jobOut> {
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    payload: job.payload,
    attempts: job.attempts,
    max_attempts: job.maxAttempts,
    last_error: job.lastError,
    result: job.result,
    created_at: toIso(job.createdAt),
    started_at: isoOrNull(job.startedAt),
    finished_at: isoOrNull(job.finishedAt),
  };
}
