// The recording/memory/predictions face (003): /api/<prefix>/…/ with trailing slashes, plain JSON,
// `{"error": "..."}`. One register call per prefix; each lives in its own module.
import type { Core } from '../../app.js';
import type { HttpServer } from '../../platform/http.js';
import { registerCloneAuthRoutes } from './auth-routes.js';
import { registerRecordingRoutes } from './recording-routes.js';
import { registerMemoryRoutes } from './memory-routes.js';
import { registerClonePredictionRoutes } from './prediction-routes.js';
import { registerCloneJobRoutes } from './job-routes.js';
import { registerCloneAccessRoutes } from './access-routes.js';
import { registerCloneMonitoringRoutes } from './monitoring-routes.js';
import { registerCloneNewsRoutes } from './news-routes.js';
import { registerCloneSourceRoutes } from './sources-routes.js';
import { registerCloneVoiceRoutes } from './voice-routes.js';

export function registerCloneRoutes(app: HttpServer, core: Core) {
  registerCloneAuthRoutes(app, core);
  registerRecordingRoutes(app, core);
  registerMemoryRoutes(app, core);
  registerClonePredictionRoutes(app, core);
  registerCloneJobRoutes(app, core);
  registerCloneMonitoringRoutes(app, core);
  registerCloneNewsRoutes(app, core);
  registerCloneAccessRoutes(app, core);
  registerCloneVoiceRoutes(app, core);
  registerCloneSourceRoutes(app, core);
}
