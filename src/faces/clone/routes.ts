// The recording/memory/predictions face (003): /api/<prefix>/…/ with trailing slashes, plain JSON,
// `{"error": "..."}`. One register call per prefix; each lives in its own module.
import type { Core } from '../../app.js';
import type { HttpServer } from '../../platform/http.js';
import { registerCloneAuthRoutes } from './auth-routes.js';

export function registerCloneRoutes(app: HttpServer, core: Core) {
  registerCloneAuthRoutes(app, core);
}
