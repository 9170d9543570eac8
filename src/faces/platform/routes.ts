// The identity-memory platform face (../shared/spec/004): /api/* without trailing slash, ApiEnvelope
// answers, `Authorization: Bearer <jwt>` or `Authorization: ApiKey atm_…`.
import type { Core } from '../../app.js';
import type { HttpServer } from '../../platform/http.js';
import { registerAuthRoutes } from './auth-routes.js';
import { registerIdentityRoutes } from './identity-routes.js';
import { registerSystemLogRoutes } from './log-routes.js';
import { registerRoleRoutes } from './role-routes.js';
import { registerUserRoutes } from './user-routes.js';

export function registerPlatformRoutes(app: HttpServer, core: Core): void {
  registerAuthRoutes(app, core);
  registerUserRoutes(app, core);
  registerRoleRoutes(app, core);
  registerIdentityRoutes(app, core);
  registerSystemLogRoutes(app, core);
}
