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
  | { kind: 'end'; belief: Belief; validTo: number; supersededBy: string | null }
  | {
      kind: 'insert';
      status: 'active' | 'superseded';
      validFrom: number;
      validTo: number | null;
      supersede: Belief[];
      contradicts: string | null;
      supersededBy: string | null;
      /** Values that had already ended with no successor and that this one follows: they get linked to it. */
      follows: Belief[];
    };

/**
 * The value that took over when a single-valued fact ended: the current value that began at or after its
 * end. Whatever order the turns are processed in ("I moved from Lisbon", "I live in Porto"), the ended
 * value ends up linked to what replaced it.
 */
function successorOf(validTo: number, key: string, existing: Belief[]): string | null {
  const after = existing.filter((b) => b.status === 'active' && b.positive && b.objectKey !== key && b.validFrom >= validTo);
  return after.length ? after.reduce((a, b) => (a.validFrom <= b.validFrom ? a : b)).id : null;
}

/** The value of the predicate that ended last, unlinked, by the time a new value began (when nothing else holds it now). */
function predecessorOf(validFrom: number, key: string, existing: Belief[]): Belief[] {
  const ended = existing.filter((b) => b.status === 'superseded' && b.supersededBy === null && b.positive && b.objectKey !== key && b.validTo !== null && b.validTo <= validFrom);
  return ended.length ? [ended.reduce((a, b) => (a.validTo! >= b.validTo! ? a : b))] : [];
}

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

  const singleValued = incoming.singleValued ?? singleValuedPredicates.has(incoming.predicate);
  const linked = singleValued && incoming.positive;

  // A fact that already ended ("I used to live in Lisbon", "I moved from Lisbon").
  if (incoming.validTo != null) {
    const current = live.find((b) => b.objectKey === key && b.positive === incoming.positive);
    if (current) {
      const validTo = notBeforeConfirmation(incoming.validTo, current, saidAt);
      return { kind: 'end', belief: current, validTo, supersededBy: linked ? successorOf(validTo, key, existing) : null };
    }
    const known = existing.find((b) => b.objectKey === key && b.positive === incoming.positive);
    if (known) return { kind: 'reinforce', belief: known };
    const supersededBy = linked ? successorOf(incoming.validTo, key, existing) : null;
    return { kind: 'insert', status: 'superseded', validFrom, validTo: incoming.validTo, supersede: [], contradicts: null, supersededBy, follows: [] };
  }

  if (same) return { kind: 'reinforce', belief: same };

  const opposite = live.find((b) => b.objectKey === key && b.positive !== incoming.positive);
  const competing = linked ? live.filter((b) => b.positive && b.objectKey !== key) : [];
  const rivals = [...(opposite ? [opposite] : []), ...competing];
  if (!rivals.length) {
    const follows = linked ? predecessorOf(validFrom, key, existing) : [];
    return { kind: 'insert', status: 'active', validFrom, validTo: null, supersede: [], contradicts: null, supersededBy: null, follows };
  }

  const from = Math.max(validFrom, ...rivals.map((b) => notBeforeConfirmation(validFrom, b, saidAt)));
  // Newer in valid time wins; older news arriving late becomes history under the current value.
  const newer = rivals.filter((b) => b.validFrom > from);
  if (newer.length) {
    const next = newer.reduce((a, b) => (a.validFrom <= b.validFrom ? a : b));
    return { kind: 'insert', status: 'superseded', validFrom, validTo: next.validFrom, supersede: [], contradicts: opposite?.id ?? null, supersededBy: next.id, follows: [] };
  }
  return { kind: 'insert', status: 'active', validFrom: from, validTo: null, supersede: rivals, contradicts: opposite?.id ?? null, supersededBy: null, follows: [] };
}
