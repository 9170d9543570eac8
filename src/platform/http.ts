// The HTTP server every face is mounted on: request and correlation ids, zod validation, one error
// path (framework errors → AppError → the face's format), per-request log line and metrics, OpenAPI.
import { randomUUID } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import {
  type ZodTypeProvider,
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { renderError } from '../faces/errors.js';
import type { Config } from './config.js';
import { isDatabaseUnavailable } from './db/index.js';
import { AppError, isAppError } from './errors.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';

export type HttpServer = FastifyInstance<any, any, any, Logger, ZodTypeProvider> & { routeTable: RouteEntry[] };

declare module 'fastify' {
  interface FastifyRequest {
    correlationId: string;
  }
  interface FastifyContextConfig {
    /** A route anyone may call (probes, docs, login). Every other route requires its face's credential. */
    public?: boolean;
  }
}

/** A served route as the router knows it; the auth sweep test walks this list. */
export interface RouteEntry {
  method: string;
  url: string;
  public: boolean;
}

const correlationIdPattern = /^[A-Za-z0-9._:\-]{1,128}$/;

function correlationIdOf(headers: Record<string, unknown>): string {
  const given = headers['x-correlation-id'];
  return typeof given === 'string' && correlationIdPattern.test(given) ? given : randomUUID();
}

/** Framework, validation and driver errors become catalogue errors; anything unknown is internal. */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = err.validation.map((v) => ({
      location: err.validationContext,
      path: v.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(root)',
      message: v.message ?? 'invalid',
    }));
    const first = issues[0]!;
    const summary = `${first.location}${first.path === '(root)' ? '' : `.${first.path}`}: ${first.message}`;
    return new AppError('validation_failed', { summary, issues });
  }
  if (isDatabaseUnavailable(err)) return new AppError('database_unavailable', {}, { cause: err });
  const e = err as Partial<FastifyError>;
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('malformed_json', {}, { cause: err });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', { contentType: e.message?.match(/'([^']*)'/)?.[1] }, { cause: err });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', {}, { cause: err });
  }
  if (err instanceof SyntaxError && e.statusCode === 400) return new AppError('malformed_json', {}, { cause: err });
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    if (e.statusCode === 404) return new AppError('route_not_found', {}, { cause: err });
    if (e.statusCode === 413) return new AppError('payload_too_large', {}, { cause: err });
    if (e.statusCode === 415) return new AppError('unsupported_media_type', {}, { cause: err });
    return new AppError('validation_failed', { summary: e.message }, { cause: err });
  }
  return new AppError('internal_error', {}, { cause: err });
}

export function sendError(request: FastifyRequest, reply: { code(n: number): any; headers(h: Record<string, string>): any; send(b: unknown): any }, err: AppError) {
  const rendered = renderError(request.url, err, { requestId: request.id, correlationId: request.correlationId });
  return reply.code(rendered.status).headers(rendered.headers ?? {}).send(rendered.body);
}

export interface HttpOptions {
  config: Pick<Config, 'bodyLimitBytes'>;
  logger: Logger;
  metrics: Metrics;
  version: string;
}

export async function createHttpServer({ config, logger, metrics, version }: HttpOptions): Promise<HttpServer> {
  const app = Fastify({
    loggerInstance: logger,
    // One log line per request, written by the onResponse hook below.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    bodyLimit: config.bodyLimitBytes,
    // While closing, requests on open keep-alive connections get shutting_down in their face's format.
    return503OnClosing: false,
    genReqId: () => randomUUID(),
    childLoggerFactory: (parent, bindings, opts, raw) =>
      parent.child({ ...bindings, correlationId: correlationIdOf(raw.headers) }, opts),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('correlationId', '');

  const routeTable: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    const methods = ([] as string[]).concat(route.method).filter((m) => m !== 'HEAD');
    // The API reference pages are registered by @fastify/swagger-ui and are public documentation.
    const isPublic = route.config?.public === true || route.url === '/docs' || route.url.startsWith('/docs/');
    for (const method of methods) routeTable.push({ method, url: route.url, public: isPublic });
  });
  app.decorate('routeTable', routeTable);

  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });

  app.addHook('onRequest', async (request, reply) => {
    request.correlationId = correlationIdOf(request.headers);
    reply.header('x-correlation-id', request.correlationId);
    reply.header('x-request-id', request.id);
    if (closing) throw new AppError('shutting_down');
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.observeRequest(request.method, route, reply.statusCode, seconds);
    request.log.info(
      { method: request.method, route, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
      'request',
    );
  });

  app.setErrorHandler((err, request, reply) => {
    const appError = toAppError(err);
    if (appError.status >= 500) request.log.error({ err: appError.cause ?? err, code: appError.code }, appError.message);
    else request.log.info({ code: appError.code, reason: appError.message }, 'request rejected');
    return sendError(request, reply, appError);
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, new AppError('route_not_found', { method: request.method, path: request.url.split('?', 1)[0] })),
  );

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Engram',
        version,
        description:
          'Self-hosted memory and self-model server. Five API faces over one core; see the README for credentials per face.',
      },
      components: {
        securitySchemes: {
          selfModelKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'Self-model key (/external/*)' },
          cloneKey: { type: 'apiKey', in: 'header', name: 'X-Clone-API-Key', description: 'Recording-face key clone_…' },
          platformKey: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Platform key: "ApiKey atm_…"' },
          bearer: { type: 'http', scheme: 'bearer', description: 'Access JWT, developer token clr_dev_…, or ingestion key' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { url: '/openapi.json' } });
  return app as HttpServer;
}
