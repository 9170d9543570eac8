// /api/predictions/…/ on the recording face: predict (one or a batch) with the configured LLM, feedback,
// list, detail and stats. Without an LLM the predicting routes answer 503; upstream 429 → 429, failures → 502.
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Core } from '../../app.js';
import type { HttpServer } from '../../platform/http.js';
import type { PredictInput } from '../../predictions/service.js';
import { principalOf } from '../principal.js';
import { cloneAuth, cloneSecurity } from './auth.js';
import {
  batchPredictBody,
  batchPredictOut,
  batchView,
  feedbackBody,
  idParams,
  predictBody,
  predictionListQuery,
  predictionOut,
  predictionStatsOut,
  predictionView,
  statsView,
} from './prediction-schemas.js';
import { listPage } from './schemas.js';

const tags = ['recording: predictions'];
const security = cloneSecurity;

const toInput = (b: { situation: string; options?: string[] | undefined; type?: string | undefined }): PredictInput => ({
  situation: b.situation,
  options: b.options,
  type: b.type,
});

export function registerClonePredictionRoutes(app: HttpServer, core: Core) {
  app.register(async (instance) => {
    const face = instance.withTypeProvider<ZodTypeProvider>();
    face.addHook('onRequest', cloneAuth(core.auth));

    face.post(
      '/api/predictions/predict/',
      { schema: { tags, security, summary: 'Predict what you would do or say in a situation (needs an LLM)', body: predictBody, response: { 201: predictionOut } } },
      async (request, reply) => {
        const prediction = await core.predictions.predict(principalOf(request), toInput(request.body));
        return reply.code(201).send(predictionView(prediction));
      },
    );

    face.post(
      '/api/predictions/batch-predict/',
      {
        schema: { tags, security, summary: 'Up to 20 predictions; each item succeeds or fails alone', body: batchPredictBody, response: { 201: batchPredictOut } },
      },
      async (request, reply) => {
        const items = await core.predictions.predictMany(principalOf(request), request.body.items.map(toInput));
        return reply.code(201).send(batchView(items));
      },
    );

    face.post(
      '/api/predictions/:id/feedback/',
      { schema: { tags, security, summary: 'Say what actually happened', params: idParams, body: feedbackBody, response: { 200: predictionOut } } },
      async (request) => predictionView(await core.predictions.feedback(principalOf(request), request.params.id, request.body)),
    );

    face.get(
      '/api/predictions/stats/',
      { schema: { tags, security, summary: 'Accuracy overall and by type; calibration buckets', response: { 200: predictionStatsOut } } },
      async (request) => statsView(await core.predictions.stats(principalOf(request))),
    );

    face.get(
      '/api/predictions/',
      { schema: { tags, security, summary: 'Your predictions, newest first', querystring: predictionListQuery, response: { 200: listPage(predictionOut) } } },
      async (request) => {
        const { limit, offset, type, status, since, until } = request.query;
        const { count, rows } = await core.predictions.list(principalOf(request), {
          limit,
          offset,
          ...(type !== undefined ? { type } : {}),
          ...(status !== undefined ? { status } : {}),
          ...(since !== undefined ? { since: Date.parse(since) } : {}),
          ...(until !== undefined ? { until: Date.parse(until) } : {}),
        });
        return { count, results: rows.map(predictionView) };
      },
    );

    face.get(
      '/api/predictions/:id/',
      { schema: { tags, security, summary: 'One of your predictions', params: idParams, response: { 200: predictionOut } } },
      async (request) => predictionView(await core.predictions.get(principalOf(request), request.params.id)),
    );
  });
}
