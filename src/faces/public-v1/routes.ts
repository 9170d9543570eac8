// The public v1 face (../shared/spec/001) and governance event ingestion (002): /v1/*, `{error, message}`.
// /v1/marketplace*, /v1/ai/check and /v1/ai/delegate-check are not served yet.
import type { Core } from '../../app.js';
import type { HttpServer } from '../../platform/http.js';
import { registerDocumentRoutes } from './document-routes.js';
import { registerEventIngestionRoutes } from './event-routes.js';

export function registerPublicV1Routes(app: HttpServer, core: Core): void {
  registerDocumentRoutes(app, core);
  registerEventIngestionRoutes(app, core);
}
