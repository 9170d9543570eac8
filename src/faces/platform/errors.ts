// Identity-memory platform errors: the ApiEnvelope with ok=false, errorCode in UPPER_SNAKE (004).
import type { ErrorRenderer } from '../error-format.js';
import { retryHeaders } from '../error-format.js';

export const renderPlatformError: ErrorRenderer = (err, ctx) => ({
  status: err.status,
  headers: retryHeaders(err),
  body: {
    ok: false,
    requestId: ctx.requestId,
    data: null,
    count: null,
    error: err.message,
    errorCode: err.code.toUpperCase(),
    hint: err.hint,
  },
});
