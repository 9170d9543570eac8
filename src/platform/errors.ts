// The AppError catalogue: every error Engram reports, with its HTTP status, message and hint.
// Faces render these in their own shapes (src/faces/*/errors.ts); docs/errors.md is this table.

type Details = Record<string, unknown>;

interface CatalogueEntry {
  status: number;
  message: (d: Details) => string;
  hint: string;
}

const str = (v: unknown, fallback: string): string => (typeof v === 'string' && v ? v : fallback);

export const catalogue = {
  validation_failed: {
    status: 400,
    message: (d) => str(d.summary, 'The request is not valid'),
    hint: 'Fix the fields listed in details and send the request again.',
  },
  malformed_json: {
    status: 400,
    message: () => 'The request body is not valid JSON',
    hint: 'Send a JSON document with Content-Type: application/json.',
  },
  unsupported_media_type: {
    status: 415,
    message: (d) => `Content-Type ${str(d.contentType, '(none)')} is not supported`,
    hint: 'Send request bodies as application/json.',
  },
  payload_too_large: {
    status: 413,
    message: (d) => `The request body is larger than ${String(d.limitBytes ?? 'the limit')} bytes`,
    hint: 'Split the request into smaller ones, or raise ENGRAM_BODY_LIMIT on the server.',
  },
  route_not_found: {
    status: 404,
    message: (d) => `No route ${str(d.method, '')} ${str(d.path, '')}`.replace(/\s+/g, ' ').trim(),
    hint: 'See /openapi.json or /docs for the routes this server serves; /api/ paths are exact about trailing slashes.',
  },
  not_found: {
    status: 404,
    message: (d) => `${str(d.resource, 'Resource')} not found${d.id !== undefined ? `: ${String(d.id)}` : ''}`,
    hint: 'Check the id; rows of another tenant or user are reported as not found.',
  },
  unauthorized: {
    status: 401,
    message: (d) => str(d.reason, 'Missing or invalid credentials'),
    hint: 'Send the credential this API expects (see the README: API faces).',
  },
  forbidden: {
    status: 403,
    message: (d) => str(d.reason, 'This credential may not perform this action'),
    hint: 'Use a credential with the required scope or role.',
  },
  conflict: {
    status: 409,
    message: (d) => str(d.reason, 'The request conflicts with the current state'),
    hint: 'Reload the resource; an idempotency key may have been reused with a different body.',
  },
  rate_limited: {
    status: 429,
    message: () => 'Too many requests',
    hint: 'Wait until the time in Retry-After before trying again.',
  },
  database_unavailable: {
    status: 503,
    message: (d) => str(d.reason, 'The database is not reachable'),
    hint: 'Check that the database is running and reachable; see /readyz.',
  },
  provider_not_configured: {
    status: 503,
    message: (d) =>
      d.reason ? `The ${str(d.provider, 'provider')} is not usable: ${str(d.reason, '')}` : `No ${str(d.provider, 'provider')} is configured`,
    hint: 'Set the provider variables listed in the README and restart.',
  },
  upstream_rate_limited: {
    status: 429,
    message: (d) => `${str(d.provider, 'The provider')} rate-limited the request`,
    hint: 'Try again later.',
  },
  upstream_failed: {
    status: 502,
    message: (d) => `${str(d.provider, 'The provider')} failed: ${str(d.reason, 'upstream error')}`,
    hint: 'Try again; if it persists, check the provider status and the server logs (correlation id).',
  },
  shutting_down: {
    status: 503,
    message: () => 'The server is shutting down',
    hint: 'Retry against another instance or after restart.',
  },
  internal_error: {
    status: 500,
    message: () => 'Internal server error',
    hint: 'Report the X-Correlation-Id of this response; the server log has the details.',
  },
} satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof catalogue;

export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;
  readonly hint: string;

  constructor(
    readonly code: ErrorCode,
    readonly details: Details = {},
    options?: { cause?: unknown },
  ) {
    const entry: CatalogueEntry = catalogue[code];
    super(entry.message(details), options);
    this.status = entry.status;
    this.hint = entry.hint;
  }
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;
