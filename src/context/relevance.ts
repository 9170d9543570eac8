// Ranking beliefs for a context: by what the question asks about (its words and the kind of fact it
// wants), then by decayed confidence and recency. Issue-6 retrieval replaces the lexical part.
import type { BeliefWithEvidence } from '../beliefs/service.js';

export interface Ranked extends BeliefWithEvidence {
  score: number;
}

const stopwords = new Set(
  'a an the and or but of to in on at for with from by about as is are was were be been being do does did have has had i me my you your he she it its they them their we our what which who whom whose when where why how this that these those there here any some all much many more most can could would should will shall may might must not no yes so if then than too very just also'.split(' '),
);

/** Lower-case word stems without stopwords; a crude suffix strip is enough to match "lives"/"living"/"live". */
export function terms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [])
    .filter((w) => w.length > 1 && !stopwords.has(w))
    .map((w) => w.replace(/(ing|ed|es|s)$/u, '') || w);
}

/** What kind of fact a question wants, by its wording: general rules, not tuned to any data set. */
const questionHints: [RegExp, RegExp][] = [
  [/\bwhere\b|\blive|\bcity\b|\bmove|\bhome\b|\bfrom\b/i, /^(lives_in|from|visited|country|moved_to)$/],
  [/\bwork|\bjob\b|\bcareer|\bemploy|\bcompany\b|\bprofession|\boccupation/i, /^(works_at|job_title|studies_at|occupation)$/],
  [/\bold\b|\bage\b|\bbirthday|\bborn\b/i, /^(age|birthday)$/],
  [/\bname\b|\bcalled\b/i, /^name$/],
  [/\bmarried|\bpartner|\bwife|\bhusband|\bgirlfriend|\bboyfriend|\bsingle\b|\brelationship/i, /^(relationship_status|partner)$/],
  [/\bpet\b|\bdog\b|\bcat\b/i, /^has_pet$/],
  [/\blike|\blove|\benjoy|\bfavou?rite|\bprefer|\bhobb|\bfun\b|\binterest/i, /^(likes|loves|enjoys|prefers|favorite_.*|hobby|plays|does)$/],
  [/\beat\b|\bfood|\bdiet|\bvegetarian|\bvegan/i, /^(diet|likes|dislikes|favorite_food)$/],
  [/\bwhen\b|\bplan|\bgoing to\b|\bnext\b|\bupcoming|\bwill\b/i, /^(plans_to|will|event)$/],
];

export function rankBeliefs(beliefs: BeliefWithEvidence[], query?: string): Ranked[] {
  const now = Math.max(0, ...beliefs.map((b) => b.lastConfirmed));
  const q = query ? new Set(terms(query)) : undefined;
  const wanted = query ? questionHints.filter(([ask]) => ask.test(query)).map(([, predicate]) => predicate) : [];
  return beliefs
    .map((b) => {
      const recency = now ? 1 / (1 + (now - b.lastConfirmed) / (30 * 86_400_000)) : 0;
      let score = b.effectiveConfidence + 0.25 * recency;
      if (q) {
        const words = terms(`${b.statement} ${b.object} ${b.about} ${b.predicate.replace(/_/g, ' ')}`);
        const overlap = words.filter((w) => q.has(w)).length;
        score += 2 * overlap + (wanted.some((p) => p.test(b.predicate)) ? 1.5 : 0);
      }
      return { ...b, score };
    })
    .sort((a, b) => b.score - a.score || b.lastConfirmed - a.lastConfirmed);
}
