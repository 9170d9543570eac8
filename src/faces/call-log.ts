// Records every authenticated call in the call log, after the response, off the request path.
import type { CallLogService } from '../audit/service.js';
import type { Clock } from '../platform/clock.js';
import type { HttpServer } from '../platform/http.js';
import type { Ids } from '../platform/ids.js';
import './principal.js';

export function registerCallLog(app: HttpServer, deps: { callLog: CallLogService; ids: Ids; clock: Clock }): void {
  app.addHook('onResponse', async (request, reply) => {
    const principal = request.principal;
    if (!principal) return;
    const status = reply.statusCode;
    const plugin = request.headers['x-plugin-id'];
    deps.callLog.record({
      id: deps.ids.next(),
      tenantId: principal.tenantId,
      at: deps.clock.now(),
      level: status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info',
      method: request.method,
      route: request.routeOptions.url ?? request.url,
      status,
      latencyMs: Math.round(reply.elapsedTime * 100) / 100,
      credentialId: principal.credentialId,
      userId: principal.userId,
      identityId: principal.identityId,
      pluginId: typeof plugin === 'string' ? plugin.slice(0, 200) : null,
      correlationId: request.correlationId,
      requestId: request.id,
    });
  });
}
