// Self-model face errors: {"error": {code, message, hint, details?}} (the spec allows this shape; docs/errors.md).
import type { ErrorRenderer } from '../error-format.js';
import { retryHeaders } from '../error-format.js';

export const renderSelfModelError: ErrorRenderer = (err) => ({
  status: err.status,
  headers: retryHeaders(err),
  body: {
    error: {
      code: err.code,
      message: err.message,
      hint: err.hint,
      ...(err.details.issues ? { details: err.details.issues } : {}),
    },
  },
});
