// A belief as the faces show it: the fields every face that lists beliefs shares (snake_case, times as ISO
// strings), and the one mapping to them. A face adds its own fields (the self-model API's `when`,
// `first_seen`, …) by extending both.
import { z } from 'zod';
import { toIso } from '../platform/clock.js';
import type { BeliefWithEvidence } from './service.js';

export const beliefOut = z.object({
  id: z.string(),
  about: z.string(),
  predicate: z.string(),
  object: z.string(),
  statement: z.string(),
  positive: z.boolean(),
  category: z.string(),
  confidence: z.number(),
  effective_confidence: z.number(),
  confirmations: z.number().int(),
  status: z.string(),
  source: z.string(),
  valid_from: z.string().nullable(),
  valid_to: z.string().nullable(),
  recorded_at: z.string(),
  superseded_by: z.string().nullable(),
  evidence: z.array(z.string()),
});

export function beliefView(b: BeliefWithEvidence): z.infer<typeof beliefOut> {
  return {
    id: b.id,
    about: b.about,
    predicate: b.predicate,
    object: b.object,
    statement: b.statement,
    positive: b.positive,
    category: b.category,
    confidence: b.confidence,
    effective_confidence: Math.round(b.effectiveConfidence * 1000) / 1000,
    confirmations: b.confirmations,
    status: b.status,
    source: b.source,
    valid_from: b.validFrom ? toIso(b.validFrom) : null,
    valid_to: b.validTo === null ? null : toIso(b.validTo),
    recorded_at: toIso(b.recordedAt),
    superseded_by: b.supersededBy,
    evidence: b.evidence,
  };
}
