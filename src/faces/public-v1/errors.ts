// Public v1 and event-ingestion errors: {error, message}; a 429 also carries resets_at (001, 002).
import type { ErrorRenderer } from '../error-format.js';
import { retryHeaders } from '../error-format.js';

export const renderPublicV1Error: ErrorRenderer = (err) => {
  const resetsAt = err.details.resetsAt;
  return {
    status: err.status,
    headers: retryHeaders(err),
    body: {
      error: err.code,
      message: err.message,
      hint: err.hint,
      ...(err.details.issues ? { details: err.details.issues } : {}),
      ...(err.status === 429 && typeof resetsAt === 'string' ? { resets_at: resetsAt } : {}),
    },
  };
};
