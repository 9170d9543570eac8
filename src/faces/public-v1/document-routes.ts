// Public v1 /v1/documents: the documents of the token's tenant, under the documents:list / documents:read scopes.
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Core } from '../../app.js';
import type { HttpServer } from '../../platform/http.js';
import { principalOf } from '../principal.js';
import { developerAuth, security } from './auth.js';
import { documentDto, documentListDto, documentQuery, idParams, toDocumentDto, toDocumentSummaryDto } from './schemas.js';

const tags = ['public v1: documents'];

export function registerDocumentRoutes(app: HttpServer, core: Core): void {
  app.register(async (scope) => {
    const face = scope.withTypeProvider<ZodTypeProvider>();
    face.addHook('onRequest', developerAuth(core.auth));

    face.get(
      '/v1/documents',
      {
        schema: {
          tags,
          security,
          summary: 'List documents, newest first (scope documents:list)',
          description: 'Metadata only; read one document for its text. `total` counts every match.',
          querystring: documentQuery,
          response: { 200: documentListDto },
        },
      },
      async (request) => {
        const { limit, offset, subject_id } = request.query;
        const page = { limit, offset, ...(subject_id !== undefined ? { subjectId: subject_id } : {}) };
        const { documents, total } = await core.documents.list(principalOf(request), page);
        return { documents: documents.map(toDocumentSummaryDto), total, limit, offset };
      },
    );

    face.get(
      '/v1/documents/:id',
      {
        schema: {
          tags,
          security,
          summary: 'Read document metadata and body (scope documents:read)',
          params: idParams,
          response: { 200: documentDto },
        },
      },
      async (request) => toDocumentDto(await core.documents.get(principalOf(request), request.params.id)),
    );
  });
}
