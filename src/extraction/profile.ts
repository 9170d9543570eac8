// profile_update envelopes: fields the app knows about the user, taken as stated (no language parsing).
import type { BeliefCategory, ExtractedBelief } from './types.js';

/** Common profile field names → Engram predicates; anything else keeps its own (snake_cased) name. */
const fieldPredicates: Record<string, { predicate: string; category: BeliefCategory; phrase: string }> = {
  name: { predicate: 'name', category: 'identity', phrase: 'is named' },
  full_name: { predicate: 'name', category: 'identity', phrase: 'is named' },
  first_name: { predicate: 'name', category: 'identity', phrase: 'is named' },
  age: { predicate: 'age', category: 'identity', phrase: 'is aged' },
  birthday: { predicate: 'birthday', category: 'identity', phrase: 'was born on' },
  city: { predicate: 'lives_in', category: 'place', phrase: 'lives in' },
  location: { predicate: 'lives_in', category: 'place', phrase: 'lives in' },
  home: { predicate: 'lives_in', category: 'place', phrase: 'lives in' },
  country: { predicate: 'country', category: 'place', phrase: 'lives in the country' },
  hometown: { predicate: 'from', category: 'place', phrase: 'is from' },
  company: { predicate: 'works_at', category: 'occupation', phrase: 'works at' },
  employer: { predicate: 'works_at', category: 'occupation', phrase: 'works at' },
  job_title: { predicate: 'job_title', category: 'occupation', phrase: 'works as' },
  title: { predicate: 'job_title', category: 'occupation', phrase: 'works as' },
  occupation: { predicate: 'job_title', category: 'occupation', phrase: 'works as' },
  school: { predicate: 'studies_at', category: 'occupation', phrase: 'studies at' },
  relationship_status: { predicate: 'relationship_status', category: 'relation', phrase: 'is' },
  diet: { predicate: 'diet', category: 'preference', phrase: 'follows a diet:' },
  language: { predicate: 'native_language', category: 'identity', phrase: 'speaks' },
  pronouns: { predicate: 'pronouns', category: 'identity', phrase: 'uses the pronouns' },
  gender: { predicate: 'gender', category: 'identity', phrase: 'is' },
};

const snake = (s: string) =>
  s
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .toLowerCase();

export function beliefsFromProfile(fields: Record<string, unknown>): ExtractedBelief[] {
  const out: ExtractedBelief[] = [];
  for (const [field, raw] of Object.entries(fields)) {
    if (raw === null || raw === undefined || raw === '' || typeof raw === 'object') continue;
    const value = String(raw).trim();
    const key = snake(field);
    if (!key) continue;
    const known = fieldPredicates[key];
    const predicate = known?.predicate ?? key;
    out.push({
      about: 'self',
      predicate,
      object: value,
      statement: known ? `${known.phrase} ${value}` : `${key.replace(/_/g, ' ')}: ${value}`,
      positive: true,
      confidence: 0.95,
      category: known?.category ?? 'fact',
      singleValued: true,
    });
  }
  return out;
}
