// The platform face's ApiEnvelope (004): every answer is {ok, requestId, data, count, error, errorCode, hint}.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

export function envelopeOf<T extends z.ZodType>(data: T) {
  return z.object({
    ok: z.literal(true),
    requestId: z.string(),
    data,
    count: z.number().int().nullable(),
    error: z.null(),
    errorCode: z.null(),
    hint: z.null(),
  });
}

export function ok<T>(request: FastifyRequest, data: T, count: number | null = null) {
  return { ok: true as const, requestId: request.id, data, count, error: null, errorCode: null, hint: null };
}
