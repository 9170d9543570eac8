// The recording face's account routes under /api/auth/…/: signup, login, refresh and the waitlist
// (public, limited per IP), and me/, the caller's own clone_ keys and invites (signed in).
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Core } from '../../app.js';
import { requireUser } from '../../auth/principal.js';
import { AppError } from '../../platform/errors.js';
import type { HttpServer } from '../../platform/http.js';
import { principalOf } from '../principal.js';
import { cloneAuth, cloneSecurity } from './auth.js';
import {
  apiKeyOut,
  apiKeyParams,
  apiKeyView,
  inviteBody,
  inviteOut,
  inviteView,
  listPage,
  loginBody,
  newApiKeyBody,
  newApiKeyOut,
  noContent,
  pageQuery,
  paginate,
  refreshBody,
  sessionOut,
  sessionView,
  signupBody,
  statusOut,
  userOut,
  userView,
  waitlistBody,
} from './schemas.js';

const tags = ['recording: auth'];

export function registerCloneAuthRoutes(app: HttpServer, core: Core) {
  registerPublicRoutes(app, core);
  registerSignedInRoutes(app, core);
}

function registerPublicRoutes(app: HttpServer, core: Core) {
  const limitByIp = (kind: 'signup' | 'auth') => async (request: FastifyRequest) => core.accounts.limitByIp(kind, request.ip);
  const config = { public: true };

  app.register(async (instance) => {
    const face = instance.withTypeProvider<ZodTypeProvider>();
    face.post(
      '/api/auth/signup/',
      {
        config,
        onRequest: limitByIp('signup'),
        schema: { tags, summary: 'Sign up: a new account, or the inviting one with invite_token', body: signupBody, response: { 201: sessionOut } },
      },
      async (request, reply) => {
        const { invite_token: inviteToken, ...input } = request.body;
        const session = await core.accounts.signup(input, inviteToken === undefined ? {} : { inviteToken });
        return reply.code(201).send(sessionView(session));
      },
    );

    face.post(
      '/api/auth/login/',
      { config, onRequest: limitByIp('auth'), schema: { tags, summary: 'Log in with username and password', body: loginBody, response: { 200: sessionOut } } },
      async (request) => sessionView(await core.accounts.login(request.body.username, request.body.password)),
    );

    face.post(
      '/api/auth/refresh/',
      {
        config,
        onRequest: limitByIp('auth'),
        schema: { tags, summary: 'Exchange a refresh token for a new pair (the old one stops working)', body: refreshBody, response: { 200: sessionOut } },
      },
      async (request) => sessionView(await core.accounts.refresh(request.body.refresh)),
    );

    face.post(
      '/api/auth/waitlist/',
      {
        config,
        onRequest: limitByIp('auth'),
        schema: { tags, summary: 'Join the waitlist (joining twice is not an error)', body: waitlistBody, response: { 201: statusOut } },
      },
      async (request, reply) => {
        await core.invites.joinWaitlist(request.body);
        return reply.code(201).send({ status: 'ok' as const });
      },
    );
  });
}

function registerSignedInRoutes(app: HttpServer, core: Core) {
  const security = cloneSecurity;

  app.register(async (instance) => {
    const face = instance.withTypeProvider<ZodTypeProvider>();
    face.addHook('onRequest', cloneAuth(core.auth));

    face.get('/api/auth/me/', { schema: { tags, security, summary: 'The signed-in user', response: { 200: userOut } } }, async (request) => {
      const principal = principalOf(request);
      return userView(await core.users.get(principal, requireUser(principal)));
    });

    face.get(
      '/api/auth/api-keys/',
      { schema: { tags, security, summary: "The caller's live clone_ keys (never their secrets)", querystring: pageQuery, response: { 200: listPage(apiKeyOut) } } },
      async (request) => {
        const principal = principalOf(request);
        const keys = await core.auth.listCredentials(principal.tenantId, { kind: 'clone', userId: requireUser(principal) });
        return paginate(keys.map(apiKeyView), request.query);
      },
    );

    face.post(
      '/api/auth/api-keys/',
      { schema: { tags, security, summary: 'Create a clone_ key acting as the caller; the secret is shown once', body: newApiKeyBody, response: { 201: newApiKeyOut } } },
      async (request, reply) => {
        const principal = principalOf(request);
        const userId = requireUser(principal);
        const expiresAt = request.body.expires_at === undefined ? null : Date.parse(request.body.expires_at);
        if (expiresAt !== null && expiresAt <= core.clock.now()) {
          const summary = 'expires_at: must be in the future';
          throw new AppError('validation_failed', { summary, issues: [{ location: 'body', path: 'expires_at', message: summary }] });
        }
        const { credential, secret } = await core.auth.createCredential(principal.tenantId, { kind: 'clone', name: request.body.name, userId, expiresAt });
        return reply.code(201).send({ ...apiKeyView(credential), key: secret });
      },
    );

    face.delete(
      '/api/auth/api-keys/:id/',
      { schema: { tags, security, summary: 'Revoke one of your keys; it stops working at once', params: apiKeyParams, response: { 204: noContent } } },
      async (request, reply) => {
        const principal = principalOf(request);
        await core.auth.revokeCredential(principal.tenantId, request.params.id, { userId: requireUser(principal), kind: 'clone' });
        return reply.code(204).send(null);
      },
    );

    face.post(
      '/api/auth/invite/',
      { schema: { tags, security, summary: 'Invite someone into your account (needs UserManage); the token is shown once', body: inviteBody, response: { 201: inviteOut } } },
      async (request, reply) => {
        return reply.code(201).send(inviteView(await core.invites.invite(principalOf(request), request.body)));
      },
    );
  });
}
