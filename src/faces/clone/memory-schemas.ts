// Request and response shapes of the recording face's /api/recording/…/ and /api/memory/…/ routes.
import { z } from 'zod';
import { beliefOut, beliefView } from '../../beliefs/schemas.js';
import type { BeliefWithEvidence } from '../../beliefs/service.js';
import type { Episode } from '../../episodes/store.js';
import type { MemoryEvent } from '../../events/service.js';
import type { MemorySession } from '../../events/sessions.js';
import { maxBatchSize } from '../../events/recording.js';
import { toIso } from '../../platform/clock.js';
import type { Job } from '../../platform/queue.js';
import { pageQuery } from './schemas.js';

const isoOrNull = (ms: number | null) => (ms === null ? null : toIso(ms));
const isoTime = z.iso.datetime({ offset: true });
export const idParams = z.object({ id: z.string() });

// Recording

export const eventsBody = z.object({
  events: z
    .array(z.unknown())
    .max(maxBatchSize)
    .describe(`Up to ${maxBatchSize} of {client_event_id, type, occurred_at (ISO-8601), session_id?, payload{}}; each item is checked on its own`),
});

export const timeRangeQuery = pageQuery.extend({
  since: isoTime.optional().describe('Only what happened at or after this ISO-8601 time'),
  until: isoTime.optional().describe('Only what happened at or before this ISO-8601 time'),
});

export const eventsQuery = timeRangeQuery.extend({ type: z.string().min(1).optional().describe('Only events of this type') });

export const eventOut = z.object({
  id: z.string(),
  client_event_id: z.string().nullable().describe('The id the client sent; null for events that came in through another face'),
  type: z.string(),
  source: z.string(),
  occurred_at: z.string(),
  received_at: z.string(),
  session_id: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  text: z.string().describe('The text extraction reads from the payload'),
  status: z.string(),
  episode_id: z.string().nullable(),
  fact_ids: z.array(z.string()),
  error: z.string().nullable(),
});

export const batchOut = z.object({
  created: z.array(eventOut),
  duplicates: z.array(eventOut).describe('Already recorded with the same client_event_id and body; nothing new stored'),
  invalid: z.array(z.object({ index: z.number().int(), reason: z.string() })),
});

export const sessionOut = z.object({
  id: z.string(),
  client_session_id: z.string().nullable(),
  session_type: z.string(),
  status: z.string(),
  processed_episode_count: z.number().int(),
  expected_episode_count: z.number().int().nullable(),
  summary: z.string().nullable(),
  created_at: z.string(),
  last_activity_at: z.string(),
  completed_at: z.string().nullable(),
});

export function eventView(e: MemoryEvent): z.infer<typeof eventOut> {
  const prefix = `${e.subjectId}:`;
  return {
    id: e.id,
    client_event_id: e.source === 'recording' && e.envelopeId.startsWith(prefix) ? e.envelopeId.slice(prefix.length) : null,
    type: e.inputType,
    source: e.source,
    occurred_at: toIso(e.occurredAt),
    received_at: toIso(e.receivedAt),
    session_id: e.sessionId,
    payload: e.data,
    text: e.text,
    status: e.status,
    episode_id: e.episodeId,
    fact_ids: e.beliefIds,
    error: e.errorMessage,
  };
}

export function sessionView(s: MemorySession): z.infer<typeof sessionOut> {
  return {
    id: s.id,
    client_session_id: s.sessionType === 'recording' ? s.correlationId : null,
    session_type: s.sessionType,
    status: s.status,
    processed_episode_count: s.processedEpisodeCount,
    expected_episode_count: s.expectedEpisodeCount,
    summary: s.summary,
    created_at: toIso(s.createdAt),
    last_activity_at: toIso(s.lastActivityAt),
    completed_at: isoOrNull(s.completedAt),
  };
}

// Memory

export const profileOut = z.object({
  fields: z.record(z.string(), z.unknown()).describe('Derived fields with your own laid over them'),
  derived: z.record(z.string(), z.unknown()).describe('From current facts: one value per single-valued predicate, lists for others'),
  authored: z.record(z.string(), z.unknown()).describe('Fields you wrote with PATCH; they outrank derived ones'),
});

export const profilePatch = z.object({
  fields: z
    .record(z.string().trim().min(1).max(100), z.unknown())
    .refine((f) => Object.keys(f).length <= 100, 'at most 100 fields at once')
    .describe('Field → JSON value; null removes your value for that field'),
});

const categories = ['identity', 'place', 'occupation', 'relation', 'preference', 'possession', 'plan', 'trait', 'fact'] as const;

export const factsQuery = pageQuery.extend({
  status: z.enum(['active', 'superseded', 'retracted', 'all']).default('active').describe('Default: current facts only'),
  predicate: z.string().min(1).optional(),
  about: z.string().min(1).optional(),
});

export const newFactBody = z.object({
  predicate: z.string().trim().regex(/^[a-z][a-z0-9_]{0,99}$/, 'snake_case, e.g. lives_in').describe('e.g. lives_in, works_at, likes'),
  object: z.string().trim().min(1).max(500),
  about: z.string().trim().min(1).max(200).default('self').describe("'self', or who the fact is about"),
  statement: z.string().trim().min(1).max(1000).optional().describe('Readable, third person; default "<predicate> <object>"'),
  positive: z.boolean().default(true),
  category: z.enum(categories).default('fact'),
});

export const factPatch = z
  .object({
    object: z.string().trim().min(1).max(500).optional(),
    statement: z.string().trim().min(1).max(1000).optional(),
    positive: z.boolean().optional(),
    category: z.enum(categories).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'Change at least one of object, statement, positive, category');

export const factOut = beliefOut.extend({
  source: z.string().describe("'user' for facts you wrote; otherwise the extractor"),
  evidence: z.array(z.string()).describe('Envelope ids it was learned from; empty for your own facts'),
});

export const factDetailOut = factOut.extend({ history: z.array(factOut).describe('Earlier versions this fact replaced, newest first') });

export const factView: (b: BeliefWithEvidence) => z.infer<typeof factOut> = beliefView;

export const episodeOut = z.object({
  id: z.string(),
  event_id: z.string(),
  session_id: z.string().nullable(),
  occurred_at: z.string(),
  summary: z.string(),
  created_at: z.string(),
});

export function episodeView(e: Episode): z.infer<typeof episodeOut> {
  return { id: e.id, event_id: e.eventId, session_id: e.sessionId, occurred_at: toIso(e.occurredAt), summary: e.summary, created_at: toIso(e.createdAt) };
}

export const jobOut = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.string(),
  attempts: z.number().int(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
  result: z.unknown(),
  error: z.string().nullable(),
  pending_events: z.number().int().describe('Recorded events waiting to be processed when the job was asked for'),
});

export function jobView(job: Job, pending: number): z.infer<typeof jobOut> {
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    attempts: job.attempts,
    created_at: toIso(job.createdAt),
    finished_at: isoOrNull(job.finishedAt),
    result: job.result ?? null,
    error: job.lastError,
    pending_events: pending,
  };
}

export const contextQuery = z.object({
  query: z.string().max(2000).optional().describe('Rank what is relevant to this question first'),
  max_tokens: z.coerce.number().int().min(50).max(32000).optional().describe("Budget for text, counted with the server's tokenizer"),
});

export const contextOut = z.object({
  profile: z.record(z.string(), z.unknown()),
  text: z.string().describe('Prompt-ready context: who you are, relevant facts, recent episodes'),
  token_count: z.number().int(),
  max_tokens: z.number().int(),
  tokenizer: z.string(),
  sections: z.array(z.object({ name: z.string(), title: z.string(), lines: z.array(z.string()), token_count: z.number() })),
  computed_at: z.string(),
  engine: z.string().describe('The extractor behind the facts'),
});
