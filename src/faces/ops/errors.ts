// Errors on operations paths (/healthz, /readyz, /metrics, /openapi.json, /docs, unknown paths).
import type { ErrorRenderer } from '../error-format.js';
import { retryHeaders } from '../error-format.js';

export const renderOpsError: ErrorRenderer = (err) => ({
  status: err.status,
  headers: retryHeaders(err),
  body: { error: { code: err.code, message: err.message, hint: err.hint } },
});
