// Self-model face request and response shapes (000-self-model-api.txt), shared by validation and OpenAPI.
import { z } from 'zod';
import { beliefOut } from '../../beliefs/schemas.js';
import { contextFormats } from '../../context/formats.js';

const id = z.string().trim().min(1).max(200);
const isoInstant = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO-8601 date-time')
  .transform((s) => Date.parse(s));
const externalId = z.union([z.string().trim().min(1).max(200), z.number().int()]).transform((v) => String(v));

export const onboardingBody = z.object({
  email: z.string().trim().max(320).refine((s) => s.includes('@'), 'an email address').nullish(),
  external_id: externalId.nullish(),
  app_id: z.union([z.string().max(200), z.number()]).transform((v) => String(v)).nullish(),
  display_name: z.string().trim().min(1).max(200).nullish().describe('Extension: the name the user goes by, to recognise their own turns'),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

export const onboardingQuery = z
  .object({ user_id: id.optional(), external_id: id.optional() })
  .refine((q) => q.user_id !== undefined || q.external_id !== undefined, 'user_id or external_id is required');

export const externalUser = z.object({
  user_id: z.string(),
  external_id: z.string().nullable(),
  email: z.string().nullable(),
  created: z.boolean(),
  self_model_id: z.string(),
});

/** Required fields per documented input type; any other type is accepted as it is. */
const requiredByType: Record<string, { field: string; type: 'string' | 'object' }[]> = {
  conversation_turn: [{ field: 'text', type: 'string' }],
  message: [{ field: 'text', type: 'string' }],
  note: [{ field: 'text', type: 'string' }],
  document: [{ field: 'text', type: 'string' }],
  action: [{ field: 'name', type: 'string' }],
  profile_update: [{ field: 'fields', type: 'object' }],
  survey_answer: [
    { field: 'question', type: 'string' },
    { field: 'answer', type: 'string' },
  ],
};

export const inputBody = z
  .object({
    envelope_id: id,
    user_id: id,
    input_type: z.string().trim().min(1).max(64),
    schema_version: z.string().max(20).default('1.0'),
    timestamp: isoInstant.optional().describe('When it happened (ISO-8601); used for time reasoning. Defaults to arrival.'),
    data: z.record(z.string(), z.unknown()),
    session_id: id.nullish(),
    customer_journey_stage: z.unknown().optional(),
  })
  .superRefine((body, ctx) => {
    for (const { field, type } of requiredByType[body.input_type] ?? []) {
      const value = body.data[field];
      const ok = type === 'string' ? typeof value === 'string' && value.trim() !== '' : !!value && typeof value === 'object' && !Array.isArray(value);
      if (!ok) ctx.addIssue({ code: 'custom', path: ['data', field], message: `${body.input_type} needs data.${field} (${type})` });
    }
  });

export const inputAccepted = z.object({
  envelope_id: z.string(),
  user_id: z.string(),
  event_id: z.string(),
  status: z.string(),
  duplicate: z.boolean(),
  received_at: z.string(),
});

export const envelopeStatus = z.object({
  envelope_id: z.string(),
  status: z.enum(['received', 'processing', 'processed', 'failed']),
  episode_id: z.string().nullable(),
  belief_ids: z.array(z.string()),
  error_message: z.string().nullable(),
});

export const sessionBody = z.object({
  user_id: id,
  session_type: z.string().trim().min(1).max(64).default('default'),
  expected_episode_count: z.number().int().min(1).max(1_000_000).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  causation_id: id.nullish(),
  correlation_id: id.nullish(),
});

export const sessionView = z.object({
  session_id: z.string(),
  user_id: z.string(),
  session_type: z.string(),
  expected_episode_count: z.number().nullable(),
  processed_episode_count: z.number(),
  status: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  error_message: z.string().nullable(),
  summary: z.string().nullable().describe('A short extractive summary, set when the session completes'),
  self_model_snapshot: z.unknown(),
  created_at: z.string(),
  completed_at: z.string().nullable(),
});

export const failBody = z.object({ error_message: z.string().trim().min(1).max(2000) });
export const cleanupBody = z.object({ timeout_minutes: z.number().int().min(1).max(525_600).default(60) });

const formatIds = contextFormats.map((f) => f.id) as [string, ...string[]];

export const contextBody = z
  .object({
    self_model_id: id.nullish(),
    user_id: id.nullish(),
    view_id: z.unknown().optional(),
    app_id: z.unknown().optional(),
    format: z.enum(formatIds).default('ai_ready'),
    include_beliefs: z.boolean().default(true),
    include_narrative: z.boolean().default(true),
    include_recommendations: z.boolean().default(true),
    query: z.string().trim().min(1).max(2000).optional().describe('Extension: rank what is relevant to this question first'),
    max_tokens: z.number().int().min(32).max(32_000).optional().describe('Extension: hard token budget for ai_ready.text'),
    as_of: isoInstant.optional().describe('Extension: what was true at this time (valid time)'),
  })
  .refine((b) => b.user_id || b.self_model_id, { message: 'user_id or self_model_id is required', path: ['user_id'] });

export const contextQuery = z.object({ requesting_user_id: id.optional() });

/** The self-model API's belief: the shared fields, and when it happened, was first seen and last confirmed, and what it contradicts. */
export const beliefView = beliefOut.extend({
  when: z.string().nullable(),
  first_seen: z.string(),
  last_confirmed: z.string(),
  contradicts: z.string().nullable(),
});

const episodeView = z.object({ id: z.string(), occurred_at: z.string(), session_id: z.string().nullable(), summary: z.string() });
export { episodeView };

export const contextResponse = z.object({
  context_id: z.string(),
  format: z.string(),
  computed_at: z.string(),
  ai_ready: z
    .object({
      text: z.string(),
      token_count: z.number(),
      max_tokens: z.number(),
      tokenizer: z.string(),
      sections: z.array(z.object({ name: z.string(), title: z.string(), lines: z.array(z.string()), token_count: z.number() })),
    })
    .nullable(),
  raw: z.object({ beliefs: z.array(beliefView), superseded: z.array(beliefView), episodes: z.array(episodeView) }).nullable(),
  summary: z.object({ text: z.string(), belief_count: z.number(), episode_count: z.number() }).nullable(),
  self_model_id: z.string(),
  user_id: z.string(),
  engine: z.string(),
});

export const beliefsQuery = z.object({
  status: z.enum(['active', 'superseded', 'retracted']).optional(),
  predicate: z.string().max(100).optional(),
  about: z.string().max(200).optional(),
  since: isoInstant.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const userParams = z.object({ user_id: id });
export const envelopeParams = z.object({ envelope_id: id });
export const sessionParams = z.object({ session_id: id });

export const searchBody = z.object({
  user_id: id,
  query: z.string().trim().min(1).max(2000).describe('What to look for, as the user or an LLM would ask it'),
  top_k: z.number().int().min(1).max(200).default(10),
  as_of: isoInstant.optional().describe('Only what had been said by then, and beliefs as they stood then'),
  asked_at: isoInstant.optional().describe('When the question is asked: relative dates in it ("last May") count from here; default as_of, else now'),
});

const signal = z.enum(['lexical', 'passage', 'vector', 'predicate', 'speaker', 'time', 'belief', 'current', 'superseded']);

export const searchResponse = z.object({
  user_id: z.string(),
  query: z.string(),
  mode: z.enum(['lexical', 'hybrid']).describe('hybrid when vectors took part'),
  degraded: z.string().nullable().describe('Why vectors did not take part although an embedder is configured'),
  interpreted: z.object({
    terms: z.array(z.string()),
    speakers: z.array(z.string()),
    time_window: z.object({ from: z.string(), to: z.string(), text: z.string() }).nullable(),
  }),
  items: z.array(
    z.object({
      kind: z.enum(['event', 'belief']),
      id: z.string(),
      text: z.string(),
      time: z.string(),
      score: z.number(),
      evidence: z.array(z.string()).describe('Envelope ids the item comes from'),
      signals: z.array(signal).describe('What put the item here'),
      matched_terms: z.array(z.string()),
      speaker: z.string().nullable(),
      session_id: z.string().nullable(),
      belief: z
        .object({ about: z.string(), predicate: z.string(), object: z.string(), status: z.string(), valid_from: z.string().nullable(), valid_to: z.string().nullable(), when: z.string().nullable(), confidence: z.number() })
        .nullable(),
    }),
  ),
});
