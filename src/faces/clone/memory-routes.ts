// The recording face's /api/memory/…/ routes over the signed-in user's own memory: profile, facts (beliefs;
// yours are source 'user'), episodes, the raw event log, promotion on request, and the context bundle.
// With `owner_id`, the GET routes read the memory of a user who shared it with the caller (see subject.ts).
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Core } from '../../app.js';
import { countEpisodes, findEpisode, recentEpisodes } from '../../episodes/store.js';
import { toIso } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { HttpServer } from '../../platform/http.js';
import { cloneAuth, cloneSecurity } from './auth.js';
import * as s from './memory-schemas.js';
import { listPage, noContent } from './schemas.js';
import { ownerQuery, sharedMemory } from './subject.js';

const tags = ['memory'];
const security = cloneSecurity;
const epoch = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));
const factsQuery = s.factsQuery.extend(ownerQuery.shape);
const episodesQuery = s.timeRangeQuery.extend(ownerQuery.shape);
const rawQuery = s.eventsQuery.extend(ownerQuery.shape);
const contextQuery = s.contextQuery.extend(ownerQuery.shape);

export function registerMemoryRoutes(app: HttpServer, core: Core) {
  app.register(async (instance) => {
    const face = instance.withTypeProvider<ZodTypeProvider>();
    face.addHook('onRequest', cloneAuth(core.auth));
    const db = core.database.db;

    face.get(
      '/api/memory/profile/',
      { schema: { tags, security, querystring: ownerQuery, summary: 'Your profile: derived from current facts, with your own fields on top', response: { 200: s.profileOut } } },
      async (request) => {
        const { tenantId, subject } = await sharedMemory(core, request, 'read');
        return core.profiles.get(tenantId, subject.id);
      },
    );

    face.patch(
      '/api/memory/profile/',
      { schema: { tags, security, querystring: ownerQuery, summary: 'Write your own profile fields (null removes one)', body: s.profilePatch, response: { 200: s.profileOut } } },
      async (request) => {
        const { tenantId, subject } = await sharedMemory(core, request, 'write');
        return core.profiles.write(tenantId, subject.id, request.body.fields);
      },
    );

    face.get(
      '/api/memory/facts/',
      { schema: { tags, security, summary: 'Your facts (default: current ones; status=all for history)', querystring: factsQuery, response: { 200: listPage(s.factOut) } } },
      async (request) => {
        const { tenantId, subject } = await sharedMemory(core, request, 'read');
        const q = request.query;
        const filter = {
          ...(q.status !== 'all' ? { status: q.status } : {}),
          ...(q.predicate !== undefined ? { predicate: q.predicate } : {}),
          ...(q.about !== undefined ? { about: q.about } : {}),
        };
        const [count, facts] = await Promise.all([
          core.beliefs.count(tenantId, subject.id, filter),
          core.beliefs.list(tenantId, subject.id, { ...filter, limit: q.limit, offset: q.offset }),
        ]);
        return { count, results: facts.map(s.factView) };
      },
    );

    face.post(
      '/api/memory/facts/',
      { schema: { tags, security, querystring: ownerQuery, summary: 'State a fact yourself (source user, confidence 1); a new value of a single-valued fact supersedes the old', body: s.newFactBody, response: { 201: s.factOut } } },
      async (request, reply) => {
        const { tenantId, subject } = await sharedMemory(core, request, 'write');
        const b = request.body;
        const fact = await core.beliefs.createUserFact(tenantId, subject.id, {
          about: b.about,
          predicate: b.predicate,
          object: b.object,
          statement: b.statement ?? `${b.predicate.replace(/_/g, ' ')} ${b.object}`,
          positive: b.positive,
          category: b.category,
        });
        return reply.code(201).send(s.factView(fact));
      },
    );

    face.get(
      '/api/memory/facts/:id/',
      { schema: { tags, security, querystring: ownerQuery, summary: 'One of your facts, with the earlier versions it replaced', params: s.idParams, response: { 200: s.factDetailOut } } },
      async (request) => {
        const { tenantId, subject } = await sharedMemory(core, request, 'read');
        const fact = await core.beliefs.get(tenantId, subject.id, request.params.id);
        const history = await core.beliefs.history(tenantId, subject.id, fact.id);
        return { ...s.factView(fact), history: history.map(s.factView) };
      },
    );

    face.patch(
      '/api/memory/facts/:id/',
      { schema: { tags, security, querystring: ownerQuery, summary: 'Change a current fact: the new value supersedes it (the old one stays as history)', params: s.idParams, body: s.factPatch, response: { 200: s.factDetailOut } } },
      async (request) => {
        const { tenantId, subject } = await sharedMemory(core, request, 'write');
        const b = request.body;
        const fact = await core.beliefs.updateFact(tenantId, subject.id, request.params.id, {
          ...(b.object !== undefined ? { object: b.object } : {}),
          ...(b.statement !== undefined ? { statement: b.statement } : {}),
          ...(b.positive !== undefined ? { positive: b.positive } : {}),
          ...(b.category !== undefined ? { category: b.category } : {}),
        });
        const history = await core.beliefs.history(tenantId, subject.id, fact.id);
        return { ...s.factView(fact), history: history.map(s.factView) };
      },
    );

    face.delete(
      '/api/memory/facts/:id/',
      { schema: { tags, security, querystring: ownerQuery, summary: 'Retract a fact (kept as history with status retracted)', params: s.idParams, response: { 204: noContent } } },
      async (request, reply) => {
        const { tenantId, subject } = await sharedMemory(core, request, 'write');
        await core.beliefs.retract(tenantId, subject.id, request.params.id);
        return reply.code(204).send(null);
      },
    );

    face.get(
      '/api/memory/episodes/',
      { schema: { tags, security, summary: 'Your episodes, newest first (since, until)', querystring: episodesQuery, response: { 200: listPage(s.episodeOut) } } },
      async (request) => {
        const { tenantId, subject } = await sharedMemory(core, request, 'read');
        const q = request.query;
        const range = { ...(q.since !== undefined ? { since: epoch(q.since)! } : {}), ...(q.until !== undefined ? { before: epoch(q.until)! } : {}) };
        const [count, episodes] = await Promise.all([
          countEpisodes(db, tenantId, subject.id, range),
          recentEpisodes(db, tenantId, subject.id, { ...range, limit: q.limit, offset: q.offset }),
        ]);
        return { count, results: episodes.map(s.episodeView) };
      },
    );

    face.get(
      '/api/memory/episodes/:id/',
      { schema: { tags, security, querystring: ownerQuery, summary: 'One of your episodes', params: s.idParams, response: { 200: s.episodeOut } } },
      async (request) => {
        const { tenantId, subject } = await sharedMemory(core, request, 'read');
        const episode = await findEpisode(db, tenantId, subject.id, request.params.id);
        if (!episode) throw new AppError('not_found', { resource: 'Episode', id: request.params.id });
        return s.episodeView(episode);
      },
    );

    face.get(
      '/api/memory/raw/',
      { schema: { tags, security, summary: 'Your raw memory: every event from every face, newest first', querystring: rawQuery, response: { 200: listPage(s.eventOut) } } },
      async (request) => {
        const { tenantId, subject } = await sharedMemory(core, request, 'read');
        const q = request.query;
        const { count, events } = await core.recording.listEvents(
          tenantId,
          {
            subjectId: subject.id,
            ...(q.type !== undefined ? { inputType: q.type } : {}),
            ...(q.since !== undefined ? { since: epoch(q.since)! } : {}),
            ...(q.until !== undefined ? { until: epoch(q.until)! } : {}),
          },
          q,
        );
        return { count, results: events.map(s.eventView) };
      },
    );

    face.post(
      '/api/memory/promote/',
      { schema: { tags, security, querystring: ownerQuery, summary: 'Process your waiting events now (raw → episodes → facts); asking again before anything new arrives returns the same job', response: { 201: s.jobOut, 200: s.jobOut } } },
      async (request, reply) => {
        const { tenantId, subject } = await sharedMemory(core, request, 'write');
        const { job, created, pending } = await core.promotion.request(tenantId, subject.id);
        return reply.code(created ? 201 : 200).send(s.jobView(job, pending));
      },
    );

    face.get(
      '/api/memory/context/',
      { schema: { tags, security, summary: 'Your context bundle: profile, relevant facts, recent episodes (query, max_tokens)', querystring: contextQuery, response: { 200: s.contextOut } } },
      async (request) => {
        const { tenantId, subject } = await sharedMemory(core, request, 'read');
        const q = request.query;
        const [profile, assembled] = await Promise.all([
          core.profiles.get(tenantId, subject.id),
          core.context.assemble(tenantId, subject.id, {
            format: 'ai_ready',
            includeBeliefs: true,
            includeNarrative: false,
            includeRecommendations: true,
            ...(q.query !== undefined ? { query: q.query } : {}),
            ...(q.max_tokens !== undefined ? { maxTokens: q.max_tokens } : {}),
          }),
        ]);
        const ai = assembled.aiReady!;
        return {
          profile: profile.fields,
          text: ai.text,
          token_count: ai.token_count,
          max_tokens: ai.max_tokens,
          tokenizer: ai.tokenizer,
          sections: ai.sections,
          computed_at: toIso(assembled.computedAt),
          engine: core.extractor.name,
        };
      },
    );
  });
}
