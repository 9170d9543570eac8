// Platform face /api/auth/*: the public ways in (login, refresh, API-key login, signup, bootstrap,
// device challenge and login, each limited per IP) and the signed-in caller's own user and devices.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Core } from '../../app.js';
import { requireUser } from '../../auth/principal.js';
import { toIso } from '../../platform/clock.js';
import type { HttpServer } from '../../platform/http.js';
import { principalOf } from '../principal.js';
import { platformAuth, platformSecurity as security } from './auth.js';
import { envelopeOf, ok } from './envelope.js';
import {
  apiKeyLoginBody,
  challengeBody,
  challengeDto,
  deletedDto,
  deviceDto,
  deviceLoginBody,
  idParams,
  loginBody,
  newDeviceBody,
  refreshBody,
  sessionDto,
  signupBody,
  toDeviceDto,
  toSessionDto,
  toUserDto,
  updateDeviceBody,
  userDto,
} from './schemas.js';

const tags = ['platform: auth'];
const open = { public: true };
const session = { 200: envelopeOf(sessionDto) };
const created = { 201: envelopeOf(sessionDto) };

export function registerAuthRoutes(app: HttpServer, core: Core): void {
  const limitByIp = (kind: 'auth' | 'signup') => async (request: FastifyRequest) => core.accounts.limitByIp(kind, request.ip);

  app.register(async (scope) => {
    const face = scope.withTypeProvider<ZodTypeProvider>();
    const auth = { config: open, onRequest: limitByIp('auth') };

    face.post(
      '/api/auth/login',
      { ...auth, schema: { tags, security: [], summary: 'Log in with username and password', body: loginBody, response: session } },
      async (request) => ok(request, toSessionDto(await core.accounts.login(request.body.username, request.body.password))),
    );

    face.post(
      '/api/auth/refresh',
      {
        ...auth,
        schema: {
          tags,
          security: [],
          summary: 'Rotate a refresh token',
          description: 'The presented token is used up. Presenting it again revokes every token of its session.',
          body: refreshBody,
          response: session,
        },
      },
      async (request) => ok(request, toSessionDto(await core.accounts.refresh(request.body.refreshToken))),
    );

    face.post(
      '/api/auth/apikey',
      {
        ...auth,
        schema: { tags, security: [], summary: 'Exchange a user-bound API key for a session', body: apiKeyLoginBody, response: session },
      },
      async (request) => ok(request, toSessionDto(await core.accounts.loginWithApiKey(request.body.apiKey))),
    );

    face.post(
      '/api/auth/signup',
      {
        config: open,
        onRequest: limitByIp('signup'),
        schema: {
          tags,
          security: [],
          summary: 'Sign up: a new tenant with you as its admin',
          description: 'Limited to 3 per 5 minutes per IP address.',
          body: signupBody,
          response: created,
        },
      },
      async (request, reply) => reply.code(201).send(ok(request, toSessionDto(await core.accounts.signup(request.body)))),
    );

    face.post(
      '/api/auth/bootstrap',
      {
        ...auth,
        schema: {
          tags,
          security: [],
          summary: 'Create the first admin and log in',
          description: 'Only while no user exists on this server; refused (403) afterwards.',
          body: signupBody,
          response: created,
        },
      },
      async (request, reply) => reply.code(201).send(ok(request, toSessionDto(await core.accounts.bootstrap(request.body)))),
    );

    face.post(
      '/api/auth/device/challenge',
      {
        ...auth,
        schema: {
          tags,
          security: [],
          summary: 'Ask for a device login challenge',
          description: 'Single use, valid for five minutes.',
          body: challengeBody,
          response: { 200: envelopeOf(challengeDto) },
        },
      },
      async (request) => {
        const c = await core.devices.challenge(request.body.deviceId);
        return ok(request, { challengeId: c.challengeId, challenge: c.challenge, expiresAt: toIso(c.expiresAt) });
      },
    );

    face.post(
      '/api/auth/device/login',
      {
        ...auth,
        schema: {
          tags,
          security: [],
          summary: 'Log in with a signed device challenge',
          description: "signature: the device's Ed25519 signature over the UTF-8 bytes of the challenge, in base64.",
          body: deviceLoginBody,
          response: session,
        },
      },
      async (request) => ok(request, toSessionDto(await core.devices.login(request.body))),
    );
  });

  app.register(async (scope) => {
    const face = scope.withTypeProvider<ZodTypeProvider>();
    face.addHook('onRequest', platformAuth(core.auth));

    face.get(
      '/api/auth/me',
      { schema: { tags, security, summary: 'The signed-in user', response: { 200: envelopeOf(userDto) } } },
      async (request) => {
        const principal = principalOf(request);
        return ok(request, toUserDto(await core.users.get(principal, requireUser(principal))));
      },
    );

    face.post(
      '/api/auth/device',
      {
        schema: {
          tags,
          security,
          summary: 'Register a device (Ed25519 public key) for the signed-in user',
          body: newDeviceBody,
          response: { 201: envelopeOf(deviceDto) },
        },
      },
      async (request, reply) => reply.code(201).send(ok(request, toDeviceDto(await core.devices.register(principalOf(request), request.body)))),
    );

    face.get(
      '/api/auth/devices',
      { schema: { tags, security, summary: "The signed-in user's devices", response: { 200: envelopeOf(z.array(deviceDto)) } } },
      async (request) => {
        const devices = await core.devices.list(principalOf(request));
        return ok(request, devices.map(toDeviceDto), devices.length);
      },
    );

    face.get(
      '/api/auth/device/:id',
      { schema: { tags, security, summary: 'One of your devices', params: idParams, response: { 200: envelopeOf(deviceDto) } } },
      async (request) => ok(request, toDeviceDto(await core.devices.get(principalOf(request), request.params.id))),
    );

    face.put(
      '/api/auth/device/:id',
      {
        schema: {
          tags,
          security,
          summary: 'Rename a device or replace its metadata',
          params: idParams,
          body: updateDeviceBody,
          response: { 200: envelopeOf(deviceDto) },
        },
      },
      async (request) => ok(request, toDeviceDto(await core.devices.update(principalOf(request), request.params.id, request.body))),
    );

    face.delete(
      '/api/auth/device/:id',
      {
        schema: {
          tags,
          security,
          summary: 'Remove a device',
          description: 'Ends the sessions it started; its outstanding challenges stop working.',
          params: idParams,
          response: { 200: envelopeOf(deletedDto) },
        },
      },
      async (request) => {
        await core.devices.remove(principalOf(request), request.params.id);
        return ok(request, { id: request.params.id });
      },
    );
  });
}
