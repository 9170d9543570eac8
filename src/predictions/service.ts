// Predictions: ask the configured LLM what this user would do or say, with their context; record each call
// as a prediction row and a job row; take feedback on what happened and measure accuracy and calibration.
import type { Kysely } from 'kysely';
import { type Principal, requirePermission, requireUser } from '../auth/principal.js';
import type { ContextService } from '../context/service.js';
import type { Clock } from '../platform/clock.js';
import type { DB } from '../platform/db/schema.js';
import { AppError, isAppError } from '../platform/errors.js';
import type { Ids } from '../platform/ids.js';
import type { Job, Queue } from '../platform/queue.js';
import { type Completion, type LlmClient, requireLlm } from '../providers/llm.js';
import type { SubjectService } from '../subjects/service.js';
import type { UserService } from '../users/service.js';
import { modelAnswer } from './schemas.js';
import * as store from './store.js';
import type { Owner, Prediction, PredictionFilter } from './store.js';

export type { Prediction } from './store.js';

export const predictionJobKind = 'prediction.run';
/** The user's context in the prompt is held to this many tokens. */
export const contextBudgetTokens = 1500;
const answerMaxTokens = 600;
const defaultType = 'action';

export interface PredictInput {
  situation: string;
  options?: string[] | undefined;
  type?: string | undefined;
}

export type BatchItem = { ok: true; prediction: Prediction } | { ok: false; error: AppError };

export interface TypeAccuracy {
  total: number;
  judged: number;
  correct: number;
  accuracy: number | null;
}

export interface CalibrationBucket {
  lower: number;
  upper: number;
  count: number;
  meanConfidence: number | null;
  accuracy: number | null;
}

export interface PredictionStats {
  total: number;
  completed: number;
  failed: number;
  judged: number;
  correct: number;
  accuracy: number | null;
  meanScore: number | null;
  byType: Record<string, TypeAccuracy>;
  calibration: CalibrationBucket[];
}

export interface PredictionDeps {
  db: Kysely<DB>;
  clock: Clock;
  ids: Ids;
  queue: Queue;
  llm: LlmClient | undefined;
  users: UserService;
  subjects: SubjectService;
  context: ContextService;
  /** How long an inline job's lease lasts: the whole LLM call, retries included, must fit. */
  callBudgetMs: number;
}

const system = [
  'You predict what one particular person will do or say in a situation, from what is known about them.',
  'Judge from their own facts, habits and recent episodes; where they say nothing, predict what is most likely and lower your confidence.',
  'Answer as JSON: {"prediction": string, "option": string or null, "confidence": number from 0 to 1, "reasoning": string}.',
  'When options are listed, "option" must be one of them, copied exactly; otherwise it is null.',
].join('\n');

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

export class PredictionService {
  constructor(private readonly deps: PredictionDeps) {}

  /** One prediction, stored either way; an LLM failure is stored as a failed prediction and a dead job, then thrown. */
  async predict(principal: Principal, input: PredictInput): Promise<Prediction> {
    requirePermission(principal, 'MemoryManage');
    const llm = requireLlm(this.deps.llm);
    const owner = ownerOf(principal);
    const subjectId = await this.subjectOf(principal, owner);
    return this.run(llm, owner, subjectId, input);
  }

  /** Several predictions, one after another so the provider's rate limit is not hit all at once; each answers alone. */
  async predictMany(principal: Principal, inputs: PredictInput[]): Promise<BatchItem[]> {
    requirePermission(principal, 'MemoryManage');
    const llm = requireLlm(this.deps.llm);
    const owner = ownerOf(principal);
    const subjectId = await this.subjectOf(principal, owner);
    const out: BatchItem[] = [];
    for (const input of inputs) {
      try {
        out.push({ ok: true, prediction: await this.run(llm, owner, subjectId, input) });
      } catch (err) {
        if (!isAppError(err)) throw err;
        out.push({ ok: false, error: err });
      }
    }
    return out;
  }

  async get(principal: Principal, id: string): Promise<Prediction> {
    requirePermission(principal, 'MemoryView');
    const found = await store.findPrediction(this.deps.db, ownerOf(principal), id);
    if (!found) throw new AppError('not_found', { resource: 'Prediction', id });
    return found;
  }

  async list(principal: Principal, filter: PredictionFilter & { limit: number; offset: number }) {
    requirePermission(principal, 'MemoryView');
    return store.listPredictions(this.deps.db, ownerOf(principal), filter);
  }

  /** What actually happened. Feedback can be given again; the last one counts. */
  async feedback(principal: Principal, id: string, input: { actual: string; correct?: boolean | undefined; score?: number | undefined }): Promise<Prediction> {
    requirePermission(principal, 'MemoryManage');
    const owner = ownerOf(principal);
    const found = await store.findPrediction(this.deps.db, owner, id);
    if (!found) throw new AppError('not_found', { resource: 'Prediction', id });
    if (found.status === 'failed') throw new AppError('conflict', { reason: 'This prediction failed; there is no prediction to judge' });
    const updated = await store.recordFeedback(this.deps.db, owner, id, {
      actual: input.actual,
      correct: input.correct ?? null,
      score: input.score ?? null,
      feedbackAt: this.deps.clock.now(),
    });
    if (!updated) throw new AppError('not_found', { resource: 'Prediction', id });
    return updated;
  }

  /**
   * Accuracy over predictions judged correct or not, overall and by type; calibration in ten confidence
   * buckets ([0, 0.1), …, [0.9, 1]), each comparing the mean stated confidence with the observed accuracy.
   */
  async stats(principal: Principal): Promise<PredictionStats> {
    requirePermission(principal, 'MemoryView');
    const rows = await store.outcomes(this.deps.db, ownerOf(principal));
    const judged = rows.filter((r) => r.status === 'completed' && r.correct !== null);
    const scores = rows.map((r) => r.score).filter((s): s is number => s !== null);
    const byType: Record<string, TypeAccuracy> = {};
    for (const r of rows) {
      const t = (byType[r.type] ??= { total: 0, judged: 0, correct: 0, accuracy: null });
      t.total++;
      if (r.status !== 'completed' || r.correct === null) continue;
      t.judged++;
      if (r.correct) t.correct++;
    }
    for (const t of Object.values(byType)) t.accuracy = ratio(t.correct, t.judged);
    const calibration: CalibrationBucket[] = Array.from({ length: 10 }, (_, i) => {
      const inBucket = judged.filter((r) => r.confidence !== null && Math.min(9, Math.floor(r.confidence * 10)) === i);
      const confidences = inBucket.map((r) => r.confidence!);
      return {
        lower: i / 10,
        upper: (i + 1) / 10,
        count: inBucket.length,
        meanConfidence: ratio(confidences.reduce((a, b) => a + b, 0), confidences.length),
        accuracy: ratio(inBucket.filter((r) => r.correct).length, inBucket.length),
      };
    });
    const correct = judged.filter((r) => r.correct).length;
    return {
      total: rows.length,
      completed: rows.filter((r) => r.status === 'completed').length,
      failed: rows.filter((r) => r.status === 'failed').length,
      judged: judged.length,
      correct,
      accuracy: ratio(correct, judged.length),
      meanScore: ratio(scores.reduce((a, b) => a + b, 0), scores.length),
      byType,
      calibration,
    };
  }

  private async subjectOf(principal: Principal, owner: Owner): Promise<string> {
    const user = await this.deps.users.get(principal, owner.userId);
    return (await this.deps.subjects.forAccountUser(owner.tenantId, owner.userId, user.displayName)).id;
  }

  private async run(llm: LlmClient, owner: Owner, subjectId: string, input: PredictInput): Promise<Prediction> {
    const { clock, ids, queue } = this.deps;
    const id = ids.next();
    const type = input.type ?? defaultType;
    const job = await queue.startInline({
      tenantId: owner.tenantId,
      kind: predictionJobKind,
      payload: { userId: owner.userId, predictionId: id, type },
      workerId: `request:${id}`,
      leaseMs: this.deps.callBudgetMs,
    });
    const base: Prediction = {
      id,
      tenantId: owner.tenantId,
      subjectId,
      userId: owner.userId,
      type,
      situation: input.situation,
      options: input.options?.length ? input.options : null,
      output: null,
      chosenOption: null,
      confidence: null,
      reasoning: null,
      model: llm.model,
      latencyMs: 0,
      inputTokens: 0,
      outputTokens: 0,
      status: 'completed',
      error: null,
      jobId: job.id,
      actual: null,
      correct: null,
      score: null,
      feedbackAt: null,
      createdAt: clock.now(),
    };
    const started = performance.now();
    let completion: Completion | undefined;
    try {
      const prompt = await this.prompt(owner, subjectId, type, input);
      completion = await llm.complete({ system, messages: [{ role: 'user', content: prompt }], maxTokens: answerMaxTokens, temperature: 0, json: true });
      const answer = readAnswer(completion.text, base.options);
      const prediction: Prediction = {
        ...base,
        ...usageOf(completion),
        output: answer.prediction,
        chosenOption: answer.option,
        confidence: answer.confidence,
        reasoning: answer.reasoning,
      };
      await store.insertPrediction(this.deps.db, prediction);
      await queue.complete(job, { predictionId: id });
      return prediction;
    } catch (err) {
      const error = isAppError(err) ? err : new AppError('internal_error', {}, { cause: err });
      const usage = completion ? usageOf(completion) : { model: llm.model, latencyMs: Math.round(performance.now() - started), inputTokens: 0, outputTokens: 0 };
      await store.insertPrediction(this.deps.db, { ...base, ...usage, status: 'failed', error: error.message });
      await queue.fail(job, `${error.code}: ${error.message}`);
      throw err;
    }
  }

  private async prompt(owner: Owner, subjectId: string, type: string, input: PredictInput): Promise<string> {
    const context = await this.deps.context.assemble(owner.tenantId, subjectId, {
      format: 'ai_ready',
      includeBeliefs: true,
      includeNarrative: true,
      includeRecommendations: false,
      query: input.situation,
      maxTokens: contextBudgetTokens,
    });
    const known = context.aiReady?.text.trim() || 'Nothing is known about them yet.';
    const options = input.options?.length ? `\n\nOptions (choose exactly one):\n${input.options.map((o) => `- ${o}`).join('\n')}` : '';
    return `What is known about this person:\n${known}\n\nSituation:\n${input.situation}${options}\n\nPredict their ${type}.`;
  }
}

function ownerOf(principal: Principal): Owner {
  return { tenantId: principal.tenantId, userId: requireUser(principal) };
}

function usageOf(c: Completion) {
  return { model: c.model, latencyMs: c.latencyMs, inputTokens: c.usage.inputTokens, outputTokens: c.usage.outputTokens };
}

/** The model's JSON, validated; an answer that is not one (or picks an option not offered) is an upstream failure. */
function readAnswer(text: string, options: string[] | null): { prediction: string; option: string | null; confidence: number | null; reasoning: string | null } {
  const unusable = (reason: string) => new AppError('upstream_failed', { provider: 'LLM', reason });
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) throw unusable('the answer is not a JSON object');
  let json: unknown;
  try {
    json = JSON.parse(text.slice(start, end + 1));
  } catch {
    throw unusable('the answer is not valid JSON');
  }
  const parsed = modelAnswer.safeParse(json);
  if (!parsed.success) throw unusable(`the answer does not match the expected shape (${parsed.error.issues[0]?.path.join('.') || 'root'})`);
  const { prediction, option, confidence, reasoning } = parsed.data;
  let chosen: string | null = null;
  if (options && option) {
    chosen = options.find((o) => o.trim().toLowerCase() === option.toLowerCase()) ?? null;
    if (chosen === null) throw unusable('the answer chose an option that was not offered');
  }
  return { prediction, option: chosen, confidence: confidence ?? null, reasoning: reasoning ?? null };
}

/** The longest an LLM call can take with every retry and the longest Retry-After it waits out; an inline job's lease. */
export function predictionCallBudgetMs(llm: { timeoutMs: number; maxRetries: number } | undefined): number {
  return llm ? (llm.timeoutMs + 60_000) * (llm.maxRetries + 1) : 60_000;
}
