// Governance events as 002 documents them: a union on `type` (model_call, prompt, incident, evidence).
// The documented fields are typed; `metadata` is free-form, and fields an SDK adds later are kept as sent.
import { z } from 'zod';

const id = z.string().min(1).max(200);
const optionalId = id.nullable().optional();
const label = z.string().max(200).nullable().optional();
const text = z.string().nullable().optional();
const count = z.number().int().min(0).optional();

const common = {
  metadata: z.record(z.string(), z.unknown()).optional().describe('Free-form'),
  occurred_at: z.iso.datetime({ offset: true }).optional().describe('When it happened (Engram extension); defaults to arrival'),
};

export const modelCallEvent = z.looseObject({
  type: z.literal('model_call'),
  system_id: id,
  model_id: id,
  request_count: count,
  token_usage: count,
  prompt: text,
  response: text,
  latency_ms: z.number().min(0).optional(),
  ...common,
});

export const promptEvent = z.looseObject({
  type: z.literal('prompt'),
  team_id: optionalId,
  actor_id: optionalId,
  subject_id: optionalId,
  scope: label,
  action: label,
  channel: label,
  prompt: z.string(),
  response: text,
  ...common,
});

export const incidentEvent = z.looseObject({
  type: z.literal('incident'),
  team_id: optionalId,
  actor_id: optionalId,
  level: z.string().min(1).max(50).optional().describe('e.g. info, warning, error, critical'),
  title: z.string().min(1).max(1000),
  message: text,
  incident_id: optionalId,
  lifecycle_type: label,
  ...common,
});

export const evidenceItem = z.looseObject({
  kind: z.string().min(1).max(200),
  body_text: z.string().optional(),
  body_json: z.unknown().optional(),
});

export const evidenceEvent = z.looseObject({
  type: z.literal('evidence'),
  team_id: optionalId,
  subject_id: optionalId,
  actor_id: optionalId,
  scope: label,
  action: label,
  channel: label,
  evidence: z.array(evidenceItem).min(1),
  ...common,
});

export const governanceEvent = z.discriminatedUnion('type', [modelCallEvent, promptEvent, incidentEvent, evidenceEvent]);

export type GovernanceEventInput = z.infer<typeof governanceEvent>;
export type GovernanceEventType = GovernanceEventInput['type'];
