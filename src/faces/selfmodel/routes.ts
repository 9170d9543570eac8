// The self-model face: /external/* with X-API-Key, plain JSON (../shared/spec/000-self-model-api.txt).
import { z } from 'zod';
import type { AuthService } from '../../auth/service.js';
import { contextFormats, defaultContextFormat } from '../../context/formats.js';
import type { HttpServer } from '../../platform/http.js';
import { selfModelAuth } from './auth.js';

const security = [{ selfModelKey: [] }];
const tags = ['self-model'];

const formatsResponse = z.object({
  formats: z.array(
    z.object({ id: z.string(), name: z.string(), description: z.string(), use_cases: z.array(z.string()) }),
  ),
  default_format: z.string(),
});

export function registerSelfModelRoutes(app: HttpServer, deps: { auth: AuthService }) {
  app.register(async (face) => {
    face.addHook('onRequest', selfModelAuth(deps.auth));

    face.get(
      '/external/context/formats',
      { schema: { tags, security, summary: 'List Context Formats', response: { 200: formatsResponse } } },
      async () => ({ formats: contextFormats.map((f) => ({ ...f, use_cases: [...f.use_cases] })), default_format: defaultContextFormat }),
    );
  });
}
