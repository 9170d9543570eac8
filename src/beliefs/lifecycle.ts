// How a newly extracted belief changes what is believed: reinforce a repeated one, supersede the old
// value of a single-valued predicate (kept, with its valid_to), link contradictions, keep past facts as
// history. Pure decisions here; beliefs/service.ts writes them.
import type { ExtractedBelief } from '../extraction/types.js';
import { singleValuedPredicates } from '../extraction/types.js';
import type { Belief } from './store.js';

/** Lower-cased, without articles, punctuation or extra spaces: "The Porto." and "porto" match. */
export function objectKey(object: string): string {
  return object
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}\s'-]/gu, ' ')
    .replace(/\b(a|an|the|my)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Confidence after one more confirmation: approaches 1, never reaches it. */
export function reinforce(current: number, incoming: number): number {
  return Math.min(0.99, 1 - (1 - current) * (1 - 0.5 * incoming));
}

/** Confidence as of `now`: halves every `halfLifeMs` since the belief was last confirmed. */
export function decayed(belief: Pick<Belief, 'confidence' | 'lastConfirmed'>, now: number, halfLifeMs: number): number {
  const age = Math.max(0, now - belief.lastConfirmed);
  return belief.confidence * 0.5 ** (age / halfLifeMs);
}

export type Decision =
  | { kind: 'reinforce'; belief: Belief }
  | { kind: 'end'; belief: Belief; validTo: number }
  | {
      kind: 'insert';
      status: 'active' | 'superseded';
      validFrom: number;
      validTo: number | null;
      supersede: Belief[];
      contradicts: string | null;
      supersededBy: string | null;
    };

/**
 * A change reported after the old value was last confirmed cannot have happened before that
 * confirmation: "I moved last week" after "I live in Lisbon" three days ago means after those three days.
 * Fuzzy dates resolve to the start of their period, so without this they would often predate it.
 */
function notBeforeConfirmation(at: number, old: Belief, saidAt: number): number {
  return saidAt > old.lastConfirmed ? Math.max(at, old.lastConfirmed) : at;
}

/**
 * Decides what one extracted belief does, given every belief with the same subject, `about` and predicate.
 * `validFrom` is when it became true (the text's own date, else when it was said); `saidAt` is when it was said.
 */
export function decide(incoming: ExtractedBelief, validFrom: number, existing: Belief[], saidAt: number): Decision {
  const key = objectKey(incoming.object);
  const live = existing.filter((b) => b.status === 'active');
  const same = live.find((b) => b.objectKey === key && b.positive === incoming.positive);

  // A fact that already ended ("I used to live in Lisbon", "I moved from Lisbon").
  if (incoming.validTo != null) {
    const current = live.find((b) => b.objectKey === key && b.positive === incoming.positive);
    if (current) return { kind: 'end', belief: current, validTo: notBeforeConfirmation(incoming.validTo, current, saidAt) };
    const known = existing.find((b) => b.objectKey === key && b.positive === incoming.positive);
    if (known) return { kind: 'reinforce', belief: known };
    return { kind: 'insert', status: 'superseded', validFrom, validTo: incoming.validTo, supersede: [], contradicts: null, supersededBy: null };
  }

  if (same) return { kind: 'reinforce', belief: same };

  const opposite = live.find((b) => b.objectKey === key && b.positive !== incoming.positive);
  const singleValued = incoming.singleValued ?? singleValuedPredicates.has(incoming.predicate);
  const competing = singleValued && incoming.positive
    ? live.filter((b) => b.positive && b.objectKey !== key)
    : [];
  const rivals = [...(opposite ? [opposite] : []), ...competing];
  if (!rivals.length) return { kind: 'insert', status: 'active', validFrom, validTo: null, supersede: [], contradicts: null, supersededBy: null };

  const from = Math.max(validFrom, ...rivals.map((b) => notBeforeConfirmation(validFrom, b, saidAt)));
  // Newer in valid time wins; older news arriving late becomes history under the current value.
  const newer = rivals.filter((b) => b.validFrom > from);
  if (newer.length) {
    const next = newer.reduce((a, b) => (a.validFrom <= b.validFrom ? a : b));
    return { kind: 'insert', status: 'superseded', validFrom, validTo: next.validFrom, supersede: [], contradicts: opposite?.id ?? null, supersededBy: next.id };
  }
  return { kind: 'insert', status: 'active', validFrom: from, validTo: null, supersede: rivals, contradicts: opposite?.id ?? null, supersededBy: null };
}
