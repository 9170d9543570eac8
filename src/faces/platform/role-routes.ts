// Platform face /api/roles and /api/permissions: roles with their permission sets (RoleView / RoleManage)
// and the permission catalogue.
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Core } from '../../app.js';
import type { HttpServer } from '../../platform/http.js';
import { permissions } from '../../users/permissions.js';
import { principalOf } from '../principal.js';
import { platformAuth, platformSecurity as security } from './auth.js';
import { envelopeOf, ok } from './envelope.js';
import { deletedDto, idParams, newRoleBody, permissionDto, roleDto, rolePermissionsBody, toRoleDto, updateRoleBody } from './schemas.js';

const tags = ['platform: roles'];
const one = { 200: envelopeOf(roleDto) };

export function registerRoleRoutes(app: HttpServer, core: Core): void {
  app.register(async (scope) => {
    const face = scope.withTypeProvider<ZodTypeProvider>();
    face.addHook('onRequest', platformAuth(core.auth));

    face.get(
      '/api/roles',
      { schema: { tags, security, summary: "The tenant's roles (RoleView)", response: { 200: envelopeOf(z.array(roleDto)) } } },
      async (request) => {
        const roles = await core.users.listRoles(principalOf(request));
        return ok(request, roles.map(toRoleDto), roles.length);
      },
    );

    face.get(
      '/api/roles/:id',
      { schema: { tags, security, summary: 'A role with its permissions (RoleView)', params: idParams, response: one } },
      async (request) => ok(request, toRoleDto(await core.users.getRole(principalOf(request), request.params.id))),
    );

    face.post(
      '/api/roles',
      { schema: { tags, security, summary: 'Create a role (RoleManage)', body: newRoleBody, response: { 201: envelopeOf(roleDto) } } },
      async (request, reply) => reply.code(201).send(ok(request, toRoleDto(await core.users.createRole(principalOf(request), request.body)))),
    );

    face.put(
      '/api/roles/:id',
      {
        schema: {
          tags,
          security,
          summary: "Change a role's name or description (RoleManage; system roles keep their names)",
          params: idParams,
          body: updateRoleBody,
          response: one,
        },
      },
      async (request) => ok(request, toRoleDto(await core.users.updateRole(principalOf(request), request.params.id, request.body))),
    );

    face.delete(
      '/api/roles/:id',
      {
        schema: {
          tags,
          security,
          summary: 'Delete a role (RoleManage; not a system role, not while users hold it)',
          params: idParams,
          response: { 200: envelopeOf(deletedDto) },
        },
      },
      async (request) => {
        await core.users.deleteRole(principalOf(request), request.params.id);
        return ok(request, { id: request.params.id });
      },
    );

    face.put(
      '/api/roles/:id/permissions',
      {
        schema: {
          tags,
          security,
          summary: "Replace a role's permission set (RoleManage; the admin role always holds every permission)",
          params: idParams,
          body: rolePermissionsBody,
          response: one,
        },
      },
      async (request) =>
        ok(request, toRoleDto(await core.users.setRolePermissions(principalOf(request), request.params.id, request.body.permissions))),
    );

    face.get(
      '/api/permissions',
      { schema: { tags, security, summary: 'Every permission a role can hold', response: { 200: envelopeOf(z.array(permissionDto)) } } },
      async (request) => {
        const catalogue = Object.entries(permissions).map(([name, description]) => ({ name, description }));
        return ok(request, catalogue, catalogue.length);
      },
    );
  });
}
