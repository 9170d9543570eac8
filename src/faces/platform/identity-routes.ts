// Platform face /api/identities: identities (IdentityView / IdentityManage), their presence, and the
// platform API keys that act as an identity.
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Core } from '../../app.js';
import type { HttpServer } from '../../platform/http.js';
import { principalOf } from '../principal.js';
import { platformAuth, platformSecurity as security } from './auth.js';
import { envelopeOf, ok } from './envelope.js';
import {
  deletedDto,
  idParams,
  identityDto,
  identityKeyDto,
  identityKeyParams,
  identityNameParams,
  identityUserParams,
  newIdentityBody,
  newIdentityKeyBody,
  newIdentityKeyDto,
  page,
  presenceBody,
  toIdentityDto,
  toIdentityKeyDto,
  updateIdentityBody,
} from './schemas.js';

const tags = ['platform: identities'];
const one = { 200: envelopeOf(identityDto) };

export function registerIdentityRoutes(app: HttpServer, core: Core): void {
  app.register(async (scope) => {
    const face = scope.withTypeProvider<ZodTypeProvider>();
    face.addHook('onRequest', platformAuth(core.auth));

    face.get(
      '/api/identities',
      {
        schema: {
          tags,
          security,
          summary: "The tenant's identities (IdentityView); count is the total",
          querystring: page,
          response: { 200: envelopeOf(z.array(identityDto)) },
        },
      },
      async (request) => {
        const { identities, total } = await core.identities.list(principalOf(request), request.query);
        return ok(request, identities.map(toIdentityDto), total);
      },
    );

    face.get(
      '/api/identities/by-name/:name',
      { schema: { tags, security, summary: 'An identity by name (IdentityView)', params: identityNameParams, response: one } },
      async (request) => ok(request, toIdentityDto(await core.identities.getByName(principalOf(request), request.params.name))),
    );

    face.get(
      '/api/identities/by-user/:userId',
      {
        schema: {
          tags,
          security,
          summary: 'The identity linked to a user (IdentityView; the oldest when several are)',
          params: identityUserParams,
          response: one,
        },
      },
      async (request) => ok(request, toIdentityDto(await core.identities.getByUser(principalOf(request), request.params.userId))),
    );

    face.get(
      '/api/identities/:id',
      { schema: { tags, security, summary: 'An identity (IdentityView)', params: idParams, response: one } },
      async (request) => ok(request, toIdentityDto(await core.identities.get(principalOf(request), request.params.id))),
    );

    face.post(
      '/api/identities',
      {
        schema: {
          tags,
          security,
          summary: 'Create an identity, with its own memory (IdentityManage)',
          body: newIdentityBody,
          response: { 201: envelopeOf(identityDto) },
        },
      },
      async (request, reply) =>
        reply.code(201).send(ok(request, toIdentityDto(await core.identities.create(principalOf(request), request.body)))),
    );

    face.put(
      '/api/identities/:id',
      {
        schema: {
          tags,
          security,
          summary: "Change an identity's name, display name, bio, origin, type or linked user (IdentityManage)",
          params: idParams,
          body: updateIdentityBody,
          response: one,
        },
      },
      async (request) => ok(request, toIdentityDto(await core.identities.update(principalOf(request), request.params.id, request.body))),
    );

    face.put(
      '/api/identities/:id/presence',
      { schema: { tags, security, summary: "Set an identity's presence (IdentityManage)", params: idParams, body: presenceBody, response: one } },
      async (request) =>
        ok(request, toIdentityDto(await core.identities.setPresence(principalOf(request), request.params.id, request.body.presence))),
    );

    face.delete(
      '/api/identities/:id',
      {
        schema: {
          tags,
          security,
          summary: 'Delete an identity (IdentityManage; soft delete: its memory stays, its keys are revoked)',
          params: idParams,
          response: { 200: envelopeOf(deletedDto) },
        },
      },
      async (request) => {
        await core.identities.remove(principalOf(request), request.params.id);
        return ok(request, { id: request.params.id });
      },
    );

    face.get(
      '/api/identities/:id/api-keys',
      {
        schema: {
          tags,
          security,
          summary: "An identity's live API keys, prefix only (IdentityManage)",
          params: idParams,
          response: { 200: envelopeOf(z.array(identityKeyDto)) },
        },
      },
      async (request) => {
        const keys = await core.identities.listKeys(principalOf(request), request.params.id);
        return ok(request, keys.map(toIdentityKeyDto), keys.length);
      },
    );

    face.post(
      '/api/identities/:id/api-keys',
      {
        schema: {
          tags,
          security,
          summary: 'Issue a platform API key that acts as this identity (IdentityManage)',
          description:
            'The key (atm_…) is in this answer only; it is stored as a hash. Its permissions are its scopes, which may not exceed yours. ' +
            'Answers to it carry `X-Identity-Id`.',
          params: idParams,
          body: newIdentityKeyBody,
          response: { 201: envelopeOf(newIdentityKeyDto) },
        },
      },
      async (request, reply) => {
        const { expiresAt, ...rest } = request.body;
        const { credential, secret } = await core.identities.createKey(principalOf(request), request.params.id, {
          ...rest,
          expiresAt: expiresAt === undefined ? null : Date.parse(expiresAt),
        });
        return reply.code(201).send(ok(request, { ...toIdentityKeyDto(credential), apiKey: secret }));
      },
    );

    face.delete(
      '/api/identities/:id/api-keys/:keyId',
      {
        schema: {
          tags,
          security,
          summary: "Revoke one of this identity's API keys (IdentityManage)",
          params: identityKeyParams,
          response: { 200: envelopeOf(deletedDto) },
        },
      },
      async (request) => {
        await core.identities.revokeKey(principalOf(request), request.params.id, request.params.keyId);
        return ok(request, { id: request.params.keyId });
      },
    );
  });
}
