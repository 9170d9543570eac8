// Recording/memory/predictions face errors: {"error": "<message>"} as 003 documents, plus the stable code.
import type { ErrorRenderer } from '../error-format.js';
import { retryHeaders } from '../error-format.js';

export const renderCloneError: ErrorRenderer = (err) => ({
  status: err.status,
  headers: retryHeaders(err),
  body: {
    error: err.message,
    code: err.code,
    ...(err.details.issues ? { details: err.details.issues } : {}),
  },
});
