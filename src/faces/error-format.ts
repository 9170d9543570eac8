// Which face a path belongs to (../shared/spec/README.md) and the contract each face's error renderer meets.
import type { AppError } from '../platform/errors.js';

export type FaceName = 'selfmodel' | 'public-v1' | 'clone' | 'platform' | 'ops';

export interface ErrorContext {
  requestId: string;
  correlationId: string;
}

export interface RenderedError {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type ErrorRenderer = (err: AppError, ctx: ErrorContext) => RenderedError;

/**
 * /api/ is shared: a trailing slash means the recording/memory face (003), none the platform face (004).
 * Paths outside every face (health, metrics, docs, unknown) get the operations format.
 */
export function faceOf(url: string): FaceName {
  const path = url.split('?', 1)[0]!;
  if (path === '/external' || path.startsWith('/external/')) return 'selfmodel';
  if (path.startsWith('/v1/')) return 'public-v1';
  if (path.startsWith('/api/') || path.startsWith('/admin/')) return path.endsWith('/') ? 'clone' : 'platform';
  return 'ops';
}

/** Retry-After (seconds) for errors that carry a retry time. */
export function retryHeaders(err: AppError): Record<string, string> {
  const seconds = err.details.retryAfterSeconds;
  return typeof seconds === 'number' ? { 'retry-after': String(Math.max(1, Math.ceil(seconds))) } : {};
}
