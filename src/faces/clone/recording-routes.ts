// The recording face's /api/recording/…/ routes: batch ingest of client events (idempotent per user on
// client_event_id, per-item invalid list), the user's event log, and the sessions their events named.
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Core } from '../../app.js';
import type { HttpServer } from '../../platform/http.js';
import { cloneAuth, cloneSecurity } from './auth.js';
import { batchOut, eventOut, eventView, eventsBody, eventsQuery, idParams, sessionOut, sessionView } from './memory-schemas.js';
import { listPage, pageQuery } from './schemas.js';
import { callerMemory } from './subject.js';

const tags = ['recording'];
const security = cloneSecurity;
const epoch = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

export function registerRecordingRoutes(app: HttpServer, core: Core) {
  app.register(async (instance) => {
    const face = instance.withTypeProvider<ZodTypeProvider>();
    face.addHook('onRequest', cloneAuth(core.auth));

    face.post(
      '/api/recording/events/',
      {
        schema: {
          tags,
          security,
          summary: 'Record a batch of events; idempotent on client_event_id; valid items are kept even when others are invalid',
          body: eventsBody,
          response: { 201: batchOut },
        },
      },
      async (request, reply) => {
        const { tenantId, subject } = await callerMemory(core, request);
        const result = await core.recording.ingestBatch(tenantId, subject.id, request.body.events);
        return reply.code(201).send({ created: result.created.map(eventView), duplicates: result.duplicates.map(eventView), invalid: result.invalid });
      },
    );

    face.get(
      '/api/recording/events/',
      { schema: { tags, security, summary: 'Your recorded events, newest first (since, until, type)', querystring: eventsQuery, response: { 200: listPage(eventOut) } } },
      async (request) => {
        const { tenantId, subject } = await callerMemory(core, request);
        const q = request.query;
        const { count, events } = await core.recording.listEvents(
          tenantId,
          {
            subjectId: subject.id,
            source: 'recording',
            ...(q.type !== undefined ? { inputType: q.type } : {}),
            ...(q.since !== undefined ? { since: epoch(q.since)! } : {}),
            ...(q.until !== undefined ? { until: epoch(q.until)! } : {}),
          },
          q,
        );
        return { count, results: events.map(eventView) };
      },
    );

    face.get(
      '/api/recording/events/:id/',
      { schema: { tags, security, summary: 'One of your events, with its processing status', params: idParams, response: { 200: eventOut } } },
      async (request) => {
        const { tenantId, subject } = await callerMemory(core, request);
        return eventView(await core.recording.getEvent(tenantId, subject.id, request.params.id));
      },
    );

    face.get(
      '/api/recording/sessions/',
      { schema: { tags, security, summary: 'Your sessions, newest first', querystring: pageQuery, response: { 200: listPage(sessionOut) } } },
      async (request) => {
        const { tenantId, subject } = await callerMemory(core, request);
        const { count, sessions } = await core.recording.listSessions(tenantId, subject.id, request.query);
        return { count, results: sessions.map(sessionView) };
      },
    );

    face.get(
      '/api/recording/sessions/:id/',
      { schema: { tags, security, summary: 'One of your sessions', params: idParams, response: { 200: sessionOut } } },
      async (request) => {
        const { tenantId, subject } = await callerMemory(core, request);
        return sessionView(await core.recording.getSession(tenantId, subject.id, request.params.id));
      },
    );
  });
}
