// The self-model face: /external/* with X-API-Key, plain JSON (../shared/spec/000-self-model-api.txt).
// The ten documented routes, plus extensions a user of it needs (marked so in the OpenAPI document).
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Core } from '../../app.js';
import { beliefView as sharedBeliefView } from '../../beliefs/schemas.js';
import type { BeliefWithEvidence } from '../../beliefs/service.js';
import { contextFormats, defaultContextFormat } from '../../context/formats.js';
import type { Episode } from '../../episodes/store.js';
import type { MemorySession } from '../../events/sessions.js';
import { toIso } from '../../platform/clock.js';
import type { HttpServer } from '../../platform/http.js';
import type { Subject } from '../../subjects/service.js';
import { principalOf } from '../principal.js';
import { selfModelAuth } from './auth.js';
import { registerPortabilityRoutes } from './portability-routes.js';
import * as s from './schemas.js';

const security = [{ selfModelKey: [] }];
const tags = ['self-model'];
const extension = ['self-model', 'extension'];
const source = 'external';

const isoOrNull = (ms: number | null) => (ms === null ? null : toIso(ms));

const userView = (subject: Subject, created: boolean) => ({
  user_id: subject.id,
  external_id: subject.externalId,
  email: subject.email,
  created,
  self_model_id: subject.selfModelId,
});

const sessionView = (x: MemorySession) => ({
  session_id: x.id,
  user_id: x.subjectId,
  session_type: x.sessionType,
  expected_episode_count: x.expectedEpisodeCount,
  processed_episode_count: x.processedEpisodeCount,
  status: x.status,
  metadata: x.metadata,
  error_message: x.errorMessage,
  summary: x.summary,
  self_model_snapshot: x.snapshot,
  created_at: toIso(x.createdAt),
  completed_at: isoOrNull(x.completedAt),
});

export const beliefView = (b: BeliefWithEvidence): z.infer<typeof s.beliefView> => ({
  ...sharedBeliefView(b),
  when: isoOrNull(b.whenAt),
  first_seen: toIso(b.firstSeen),
  last_confirmed: toIso(b.lastConfirmed),
  contradicts: b.contradicts,
});

const episodeView = (e: Episode) => ({ id: e.id, occurred_at: toIso(e.occurredAt), session_id: e.sessionId, summary: e.summary });

export function registerSelfModelRoutes(app: HttpServer, core: Core) {
  app.register(async (scope) => {
    const face = scope.withTypeProvider<ZodTypeProvider>();
    face.addHook('onRequest', selfModelAuth(core.auth));
    const tenantOf = (request: Parameters<typeof principalOf>[0]) => principalOf(request).tenantId;

    face.post(
      '/external/onboarding',
      {
        schema: {
          tags,
          security,
          summary: 'Register External User (the same external_id or email again returns the same user, created: false)',
          body: s.onboardingBody,
          response: { 201: s.externalUser, 200: s.externalUser },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const { subject, created } = await core.subjects.onboard(tenantOf(request), {
          email: b.email ?? null,
          externalId: b.external_id ?? null,
          appId: b.app_id ?? null,
          displayName: b.display_name ?? null,
          metadata: b.metadata ?? {},
        });
        return reply.code(created ? 201 : 200).send(userView(subject, created));
      },
    );

    face.get(
      '/external/onboarding',
      { schema: { tags, security, summary: 'Get External User', querystring: s.onboardingQuery, response: { 200: s.externalUser } } },
      async (request) => {
        const tenantId = tenantOf(request);
        const q = request.query;
        const subject = q.user_id ? await core.subjects.get(tenantId, q.user_id) : await core.subjects.getByExternalId(tenantId, q.external_id!);
        return userView(subject, false);
      },
    );

    face.post(
      '/external/input',
      {
        schema: {
          tags,
          security,
          summary: 'Process Input: stored durably and answered at once; processed on the job queue. Idempotent on envelope_id.',
          body: s.inputBody,
          response: { 200: s.inputAccepted },
        },
      },
      async (request) => {
        const b = request.body;
        const { event, created } = await core.events.ingest(tenantOf(request), {
          envelopeId: b.envelope_id,
          subjectId: b.user_id,
          inputType: b.input_type,
          schemaVersion: b.schema_version,
          occurredAt: b.timestamp ?? null,
          data: b.data,
          sessionId: b.session_id ?? null,
          source,
        });
        return {
          envelope_id: event.envelopeId,
          user_id: event.subjectId,
          event_id: event.id,
          status: event.status,
          duplicate: !created,
          received_at: toIso(event.receivedAt),
        };
      },
    );

    face.get(
      '/external/input/:envelope_id/status',
      { schema: { tags, security, summary: 'Get Envelope Status', params: s.envelopeParams, response: { 200: s.envelopeStatus } } },
      async (request) => {
        const event = await core.events.statusOf(tenantOf(request), source, request.params.envelope_id);
        return {
          envelope_id: event.envelopeId,
          status: event.status,
          episode_id: event.episodeId,
          belief_ids: event.beliefIds,
          error_message: event.errorMessage,
        };
      },
    );

    face.post(
      '/external/sessions',
      {
        schema: {
          tags,
          security,
          summary: 'Create Session',
          body: s.sessionBody,
          response: { 200: z.object({ session_id: z.string(), status: z.string() }) },
        },
      },
      async (request) => {
        const b = request.body;
        const session = await core.memorySessions.create(tenantOf(request), {
          subjectId: b.user_id,
          sessionType: b.session_type,
          expectedEpisodeCount: b.expected_episode_count ?? null,
          metadata: b.metadata ?? {},
          causationId: b.causation_id ?? null,
          correlationId: b.correlation_id ?? null,
        });
        return { session_id: session.id, status: session.status };
      },
    );

    face.post(
      '/external/sessions/cleanup',
      {
        schema: {
          tags,
          security,
          summary: 'Cleanup Stale Sessions: created or active sessions idle longer than timeout_minutes become abandoned',
          body: s.cleanupBody,
          response: { 200: z.object({ abandoned_count: z.number(), timeout_minutes: z.number() }) },
        },
      },
      async (request) => {
        const minutes = request.body.timeout_minutes;
        return { abandoned_count: await core.memorySessions.abandonStale(tenantOf(request), minutes), timeout_minutes: minutes };
      },
    );

    face.get(
      '/external/sessions/:session_id',
      { schema: { tags, security, summary: 'Get Session', params: s.sessionParams, response: { 200: s.sessionView } } },
      async (request) => sessionView(await core.memorySessions.get(tenantOf(request), request.params.session_id)),
    );

    face.post(
      '/external/sessions/:session_id/fail',
      { schema: { tags, security, summary: 'Mark Session Failed', params: s.sessionParams, body: s.failBody, response: { 200: s.sessionView } } },
      async (request) => sessionView(await core.memorySessions.fail(tenantOf(request), request.params.session_id, request.body.error_message)),
    );

    face.post(
      '/external/context',
      {
        schema: {
          tags,
          security,
          summary: 'Assemble Context (ai_ready | raw | summary); extensions: query, max_tokens, as_of',
          querystring: s.contextQuery,
          body: s.contextBody,
          response: { 200: s.contextResponse },
        },
      },
      async (request) => {
        const tenantId = tenantOf(request);
        const b = request.body;
        const subject = b.user_id ? await core.subjects.get(tenantId, b.user_id) : await core.subjects.getBySelfModelId(tenantId, b.self_model_id!);
        const format = b.format as (typeof contextFormats)[number]['id'];
        const assembled = await core.context.assemble(tenantId, subject.id, {
          format,
          includeBeliefs: b.include_beliefs,
          includeNarrative: b.include_narrative,
          includeRecommendations: b.include_recommendations,
          ...(b.query !== undefined ? { query: b.query } : {}),
          ...(b.max_tokens !== undefined ? { maxTokens: b.max_tokens } : {}),
          ...(b.as_of !== undefined ? { asOf: b.as_of } : {}),
        });
        return {
          context_id: core.ids.next(),
          format,
          computed_at: toIso(assembled.computedAt),
          ai_ready: assembled.aiReady ?? null,
          raw: assembled.raw
            ? {
                beliefs: assembled.raw.beliefs.map(beliefView),
                superseded: assembled.raw.superseded.map(beliefView),
                episodes: assembled.raw.episodes.map(episodeView),
              }
            : null,
          summary: assembled.summary ?? null,
          self_model_id: subject.selfModelId,
          user_id: subject.id,
          engine: core.extractor.name,
        };
      },
    );

    face.post(
      '/external/search',
      {
        schema: {
          tags: extension,
          security,
          summary: 'Search a user\'s memory: ranked turns and beliefs, each with its evidence and the signals that matched',
          body: s.searchBody,
          response: { 200: s.searchResponse },
        },
      },
      async (request) => {
        const tenantId = tenantOf(request);
        const b = request.body;
        const subject = await core.subjects.get(tenantId, b.user_id);
        const result = await core.search.search(tenantId, subject.id, { query: b.query, topK: b.top_k, ...(b.as_of !== undefined ? { asOf: b.as_of } : {}), ...(b.asked_at !== undefined ? { askedAt: b.asked_at } : {}) });
        return {
          user_id: subject.id,
          query: b.query,
          mode: result.mode,
          degraded: result.degraded ?? null,
          interpreted: {
            terms: result.interpreted.terms,
            speakers: result.interpreted.speakers,
            time_window: result.interpreted.window
              ? { from: toIso(result.interpreted.window.from), to: toIso(result.interpreted.window.to), text: result.interpreted.window.text }
              : null,
          },
          items: result.items.map((i) => ({
            kind: i.kind,
            id: i.id,
            text: i.text,
            time: toIso(i.time),
            score: Math.round(i.score * 1e6) / 1e6,
            evidence: i.evidence,
            signals: i.signals,
            matched_terms: i.matched,
            speaker: i.speaker,
            session_id: i.sessionId,
            belief: i.belief
              ? {
                  about: i.belief.about,
                  predicate: i.belief.predicate,
                  object: i.belief.object,
                  status: i.belief.status,
                  valid_from: i.belief.validFrom ? toIso(i.belief.validFrom) : null,
                  valid_to: isoOrNull(i.belief.validTo),
                  when: isoOrNull(i.belief.whenAt),
                  confidence: i.belief.confidence,
                }
              : null,
          })),
        };
      },
    );

    face.get(
      '/external/context/formats',
      {
        schema: {
          tags,
          security,
          summary: 'List Context Formats',
          response: {
            200: z.object({
              formats: z.array(z.object({ id: z.string(), name: z.string(), description: z.string(), use_cases: z.array(z.string()) })),
              default_format: z.string(),
            }),
          },
        },
      },
      async () => ({ formats: contextFormats.map((f) => ({ ...f, use_cases: [...f.use_cases] })), default_format: defaultContextFormat }),
    );

    face.get(
      '/external/users/:user_id/beliefs',
      {
        schema: {
          tags: extension,
          security,
          summary: 'Extension: list a user\'s beliefs (filters: status, predicate, about, since)',
          params: s.userParams,
          querystring: s.beliefsQuery,
          response: { 200: z.object({ beliefs: z.array(s.beliefView), limit: z.number(), offset: z.number() }) },
        },
      },
      async (request) => {
        const tenantId = tenantOf(request);
        const subject = await core.subjects.get(tenantId, request.params.user_id);
        const q = request.query;
        const beliefs = await core.beliefs.list(tenantId, subject.id, {
          ...(q.status ? { status: q.status } : {}),
          ...(q.predicate ? { predicate: q.predicate } : {}),
          ...(q.about ? { about: q.about } : {}),
          ...(q.since !== undefined ? { since: q.since } : {}),
          limit: q.limit,
          offset: q.offset,
        });
        return { beliefs: beliefs.map(beliefView), limit: q.limit, offset: q.offset };
      },
    );

    face.delete(
      '/external/users/:user_id',
      {
        schema: {
          tags: extension,
          security,
          summary: 'Extension: erase a user and everything derived from them; returns a receipt with counts',
          params: s.userParams,
          response: { 200: z.object({ user_id: z.string(), erased: z.record(z.string(), z.number()), erased_at: z.string() }) },
        },
      },
      async (request) => {
        const tenantId = tenantOf(request);
        const receipt = await core.subjects.erase(tenantId, request.params.user_id);
        return { user_id: request.params.user_id, erased: receipt, erased_at: toIso(core.clock.now()) };
      },
    );

    registerPortabilityRoutes(face, core);
  });
}
