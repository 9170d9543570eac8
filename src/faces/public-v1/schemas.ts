// The public v1 face's request and answer shapes (001, 002): snake_case, instants as ISO-8601.
import { z } from 'zod';
import type { Document } from '../../documents/service.js';
import type { GovernanceEvent } from '../../governance/service.js';
import { toIso } from '../../platform/clock.js';

const iso = z.string().describe('ISO-8601 instant');

export const idParams = z.object({ id: z.string().min(1).max(200) });

export const documentQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
  subject_id: z.string().min(1).max(200).optional().describe('Only the documents of this subject (whose memory they are in)'),
});

export const documentSummaryDto = z.object({
  id: z.string(),
  title: z.string().nullable(),
  subject_id: z.string().describe('The subject (user) whose memory holds the document'),
  occurred_at: iso,
  received_at: iso,
});

export const documentDto = documentSummaryDto.extend({ text: z.string() });

export const documentListDto = z.object({
  documents: z.array(documentSummaryDto),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const toDocumentSummaryDto = (d: Document): z.infer<typeof documentSummaryDto> => ({
  id: d.id,
  title: d.title,
  subject_id: d.subjectId,
  occurred_at: toIso(d.occurredAt),
  received_at: toIso(d.receivedAt),
});

export const toDocumentDto = (d: Document): z.infer<typeof documentDto> => ({ ...toDocumentSummaryDto(d), text: d.text });

export const ingestionHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('A retry with the same key returns the same id; the same key with a different event is a 409'),
});

export const acceptedDto = z.object({ id: z.string(), received_at: iso });

export const toAcceptedDto = (e: GovernanceEvent): z.infer<typeof acceptedDto> => ({ id: e.id, received_at: toIso(e.receivedAt) });
