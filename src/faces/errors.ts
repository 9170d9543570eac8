// One core error, rendered in the format of the face the request came in through.
import type { AppError } from '../platform/errors.js';
import { renderCloneError } from './clone/errors.js';
import { type ErrorContext, type ErrorRenderer, type FaceName, type RenderedError, faceOf } from './error-format.js';
import { renderOpsError } from './ops/errors.js';
import { renderPlatformError } from './platform/errors.js';
import { renderPublicV1Error } from './public-v1/errors.js';
import { renderSelfModelError } from './selfmodel/errors.js';

const renderers: Record<FaceName, ErrorRenderer> = {
  selfmodel: renderSelfModelError,
  'public-v1': renderPublicV1Error,
  clone: renderCloneError,
  platform: renderPlatformError,
  ops: renderOpsError,
};

export function renderError(url: string, err: AppError, ctx: ErrorContext): RenderedError {
  return renderers[faceOf(url)](err, ctx);
}
