// Platform face /api/users: user administration (UserView / UserManage), the caller's own password and
// profile, and per-user platform keys.
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Core } from '../../app.js';
import { requireUser } from '../../auth/principal.js';
import type { HttpServer } from '../../platform/http.js';
import { principalOf } from '../principal.js';
import { platformAuth, platformSecurity as security } from './auth.js';
import { envelopeOf, ok } from './envelope.js';
import {
  changePasswordBody,
  deletedDto,
  idParams,
  newUserBody,
  newUserKeyBody,
  page,
  profileBody,
  resetPasswordBody,
  revokedKeysDto,
  toUserDto,
  toUserKeyDto,
  updateUserBody,
  userDto,
  userKeyDto,
  usernameParams,
} from './schemas.js';

const tags = ['platform: users'];
const one = { 200: envelopeOf(userDto) };
const nothing = { 200: envelopeOf(z.null()) };

export function registerUserRoutes(app: HttpServer, core: Core): void {
  app.register(async (scope) => {
    const face = scope.withTypeProvider<ZodTypeProvider>();
    face.addHook('onRequest', platformAuth(core.auth));

    face.post(
      '/api/users',
      {
        schema: { tags, security, summary: 'Create a user (UserManage)', body: newUserBody, response: { 201: envelopeOf(userDto) } },
      },
      async (request, reply) => reply.code(201).send(ok(request, toUserDto(await core.users.create(principalOf(request), request.body)))),
    );

    face.get(
      '/api/users',
      {
        schema: {
          tags,
          security,
          summary: "The tenant's users (UserView); count is the total",
          querystring: page,
          response: { 200: envelopeOf(z.array(userDto)) },
        },
      },
      async (request) => {
        const { users, total } = await core.users.list(principalOf(request), request.query);
        return ok(request, users.map(toUserDto), total);
      },
    );

    face.get(
      '/api/users/by-username/:username',
      { schema: { tags, security, summary: 'A user by username (UserView)', params: usernameParams, response: one } },
      async (request) => ok(request, toUserDto(await core.users.getByUsername(principalOf(request), request.params.username))),
    );

    face.get(
      '/api/users/:id',
      { schema: { tags, security, summary: 'A user (UserView, or yourself)', params: idParams, response: one } },
      async (request) => ok(request, toUserDto(await core.users.get(principalOf(request), request.params.id))),
    );

    face.put(
      '/api/users/:id',
      {
        schema: {
          tags,
          security,
          summary: "Change a user's email, display name, role or status (UserManage)",
          params: idParams,
          body: updateUserBody,
          response: one,
        },
      },
      async (request) => ok(request, toUserDto(await core.users.update(principalOf(request), request.params.id, request.body))),
    );

    face.delete(
      '/api/users/:id',
      {
        schema: {
          tags,
          security,
          summary: 'Delete a user (UserManage; soft delete: the user can no longer sign in)',
          params: idParams,
          response: { 200: envelopeOf(deletedDto) },
        },
      },
      async (request) => {
        await core.users.remove(principalOf(request), request.params.id);
        return ok(request, { id: request.params.id });
      },
    );

    face.post(
      '/api/users/me/password',
      {
        schema: {
          tags,
          security,
          summary: 'Change your own password',
          description: 'Ends your refresh tokens (every session); access tokens already issued run out on their own.',
          body: changePasswordBody,
          response: nothing,
        },
      },
      async (request) => {
        const principal = principalOf(request);
        await core.users.changeOwnPassword(principal, requireUser(principal), request.body.currentPassword, request.body.newPassword);
        return ok(request, null);
      },
    );

    face.put(
      '/api/users/me/profile',
      { schema: { tags, security, summary: 'Change your own email or display name', body: profileBody, response: one } },
      async (request) => {
        const principal = principalOf(request);
        return ok(request, toUserDto(await core.users.updateOwnProfile(principal, requireUser(principal), request.body)));
      },
    );

    face.post(
      '/api/users/:id/reset-password',
      {
        schema: {
          tags,
          security,
          summary: "Set a user's password (UserManage); ends their sessions",
          params: idParams,
          body: resetPasswordBody,
          response: nothing,
        },
      },
      async (request) => {
        await core.users.resetPassword(principalOf(request), request.params.id, request.body.newPassword);
        return ok(request, null);
      },
    );

    face.post(
      '/api/users/:id/apikey',
      {
        schema: {
          tags,
          security,
          summary: 'Issue a platform API key that acts as this user (UserManage)',
          description: 'The key (atm_…) is in this answer only; it is stored as a hash.',
          params: idParams,
          body: newUserKeyBody,
          response: { 201: envelopeOf(userKeyDto) },
        },
      },
      async (request, reply) => {
        const body = request.body ?? {};
        const { credential, secret } = await core.auth.createUserKey(principalOf(request), request.params.id, {
          ...(body.name !== undefined ? { name: body.name } : {}),
          expiresAt: body.expiresAt === undefined ? null : Date.parse(body.expiresAt),
        });
        return reply.code(201).send(ok(request, toUserKeyDto(credential, secret)));
      },
    );

    face.delete(
      '/api/users/:id/apikey',
      {
        schema: {
          tags,
          security,
          summary: 'Revoke every platform API key of this user (UserManage)',
          params: idParams,
          response: { 200: envelopeOf(revokedKeysDto) },
        },
      },
      async (request) => {
        const revoked = await core.auth.revokeUserKeys(principalOf(request), request.params.id);
        return ok(request, { revoked }, revoked.length);
      },
    );
  });
}
