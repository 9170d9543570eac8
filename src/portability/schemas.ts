// The subject document: one user's whole memory as JSON (every column, instants as ISO strings), version 1.
// The same schema checks an import at the door and describes the export in the OpenAPI document.
import { z } from 'zod';

export const subjectDocumentFormat = 'engram.subject';
export const subjectDocumentVersion = 1;

const id = z.string().min(1).max(200);
const instant = z.iso.datetime({ offset: true });
const json = z.record(z.string(), z.unknown());

const subject = z.object({
  id,
  kind: z.enum(['external_user', 'account_user', 'identity']),
  external_id: z.string().min(1).max(200).nullable(),
  email: z.string().max(320).nullable(),
  app_id: z.string().max(200).nullable(),
  user_id: id.nullable(),
  display_name: z.string().max(200).nullable(),
  self_model_id: id,
  metadata: json,
  created_at: instant,
  updated_at: instant,
});

const session = z.object({
  id,
  session_type: z.string().min(1).max(64),
  expected_episode_count: z.number().int().nullable(),
  processed_episode_count: z.number().int().min(0),
  status: z.enum(['created', 'active', 'completed', 'failed', 'abandoned']),
  metadata: json,
  causation_id: id.nullable(),
  correlation_id: id.nullable(),
  error_message: z.string().nullable(),
  summary: z.string().nullable(),
  snapshot: z.unknown().describe('The self-model when the session completed (its belief ids are rewritten on import)'),
  created_at: instant,
  updated_at: instant,
  last_activity_at: instant,
  completed_at: instant.nullable(),
});

const event = z.object({
  id,
  idempotency_key: z.string().min(1).max(500),
  envelope_id: id,
  source: z.string().min(1).max(64),
  input_type: z.string().min(1).max(64),
  schema_version: z.string().max(20).nullable(),
  session_id: id.nullable(),
  occurred_at: instant,
  received_at: instant,
  data: json,
  content_hash: z.string().min(1).max(200),
  speaker: z.string().nullable(),
  text: z.string(),
  status: z.enum(['received', 'processing', 'processed', 'failed']),
  episode_id: id.nullable(),
  belief_ids: z.array(id).nullable().describe('null until the event is processed'),
  error_message: z.string().nullable(),
  processed_at: instant.nullable(),
});

const episode = z.object({
  id,
  event_id: id,
  session_id: id.nullable(),
  occurred_at: instant,
  summary: z.string(),
  created_at: instant,
});

const belief = z.object({
  id,
  about: z.string().min(1),
  predicate: z.string().min(1),
  object: z.string(),
  object_key: z.string(),
  statement: z.string(),
  positive: z.boolean(),
  category: z.string(),
  confidence: z.number(),
  confirmations: z.number().int().min(0),
  status: z.enum(['active', 'superseded', 'retracted']),
  source: z.string(),
  valid_from: instant.describe('1970-01-01T00:00:00.000Z when the start is unknown'),
  valid_to: instant.nullable(),
  when_at: instant.nullable(),
  first_seen: instant,
  last_confirmed: instant,
  recorded_at: instant,
  superseded_at: instant.nullable(),
  superseded_by: id.nullable(),
  contradicts: id.nullable(),
  updated_at: instant,
});

const evidence = z.object({ belief_id: id, event_id: id, envelope_id: id, created_at: instant });

type Issues = z.core.$RefinementCtx;

/** Ids must be unique in their list; returns the set of them for reference checks. */
function uniqueIds(ctx: Issues, list: string, rows: { id: string }[]): Set<string> {
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (seen.has(row.id)) ctx.addIssue({ code: 'custom', path: [list, i, 'id'], message: `duplicate id ${row.id}` });
    seen.add(row.id);
  });
  return seen;
}

function mustExist(ctx: Issues, known: Set<string>, value: string | null, path: (string | number)[], what: string): void {
  if (value !== null && !known.has(value)) ctx.addIssue({ code: 'custom', path, message: `${what} ${value} is not in the document` });
}

export const subjectDocument = z
  .object({
    format: z.literal(subjectDocumentFormat),
    version: z.literal(subjectDocumentVersion),
    exported_at: instant,
    subject,
    sessions: z.array(session),
    events: z.array(event),
    episodes: z.array(episode),
    beliefs: z.array(belief),
    evidence: z.array(evidence),
  })
  .superRefine((doc, ctx) => {
    // Every reference points inside the document: an import rewrites ids, so a dangling one has nowhere to go.
    const sessions = uniqueIds(ctx, 'sessions', doc.sessions);
    const events = uniqueIds(ctx, 'events', doc.events);
    const episodes = uniqueIds(ctx, 'episodes', doc.episodes);
    const beliefs = uniqueIds(ctx, 'beliefs', doc.beliefs);
    const keys = new Set<string>();
    doc.events.forEach((e, i) => {
      if (keys.has(e.idempotency_key)) {
        ctx.addIssue({ code: 'custom', path: ['events', i, 'idempotency_key'], message: `duplicate idempotency key ${e.idempotency_key}` });
      }
      keys.add(e.idempotency_key);
      mustExist(ctx, sessions, e.session_id, ['events', i, 'session_id'], 'session');
      mustExist(ctx, episodes, e.episode_id, ['events', i, 'episode_id'], 'episode');
      (e.belief_ids ?? []).forEach((b, j) => mustExist(ctx, beliefs, b, ['events', i, 'belief_ids', j], 'belief'));
    });
    const episodeEvents = new Set<string>();
    doc.episodes.forEach((e, i) => {
      if (episodeEvents.has(e.event_id)) {
        ctx.addIssue({ code: 'custom', path: ['episodes', i, 'event_id'], message: `a second episode for event ${e.event_id}` });
      }
      episodeEvents.add(e.event_id);
      mustExist(ctx, events, e.event_id, ['episodes', i, 'event_id'], 'event');
      mustExist(ctx, sessions, e.session_id, ['episodes', i, 'session_id'], 'session');
    });
    doc.beliefs.forEach((b, i) => {
      mustExist(ctx, beliefs, b.superseded_by, ['beliefs', i, 'superseded_by'], 'belief');
      mustExist(ctx, beliefs, b.contradicts, ['beliefs', i, 'contradicts'], 'belief');
    });
    const links = new Set<string>();
    doc.evidence.forEach((e, i) => {
      const link = `${e.belief_id} ${e.event_id}`;
      if (links.has(link)) {
        ctx.addIssue({ code: 'custom', path: ['evidence', i], message: `duplicate evidence for belief ${e.belief_id} from event ${e.event_id}` });
      }
      links.add(link);
      mustExist(ctx, beliefs, e.belief_id, ['evidence', i, 'belief_id'], 'belief');
      mustExist(ctx, events, e.event_id, ['evidence', i, 'event_id'], 'event');
    });
  });

export type SubjectDocument = z.infer<typeof subjectDocument>;
export type SubjectRecords = Omit<SubjectDocument, 'format' | 'version' | 'exported_at'>;
export type SessionRecord = SubjectDocument['sessions'][number];
export type EventRecord = SubjectDocument['events'][number];
export type EpisodeRecord = SubjectDocument['episodes'][number];
export type BeliefRecord = SubjectDocument['beliefs'][number];
export type EvidenceRecord = SubjectDocument['evidence'][number];
