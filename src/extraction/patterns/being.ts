// "I'm a nurse", "she's an introvert", "I'm a 34-year-old woman": a noun after "be" says a job, a kind of person or a gender.
import { DIETS, PERSON_KINDS, RELIGIONS, isDemonym } from '../lexicon.js';
import { cleanObject } from '../objects.js';
import { ADV, denied, re, stopped, type Finding, type FrameRule, type RuleContext } from '../pattern.js';
import { genderOf } from './identity.js';
import { isOccupation, jobTitle, worksAt } from './work.js';

const EXECUTIVE = /\b(?:ceo|cto|cfo|coo|cmo|cpo|founder|co-founder|cofounder|owner|president|vp|chair|chairman|chairwoman|partner|principal|head)$/i;
const AGE_WORDS = /^(\d{1,3})[- ]years?[- ]old\s+/i;
/** Nouns handled by other rules (diets, fans, parents, students' schools), so this one stays quiet about them. */
const ELSEWHERE = /^(?:(?:big |huge |massive |long-?time )?fan of|mom|mum|mother|dad|father|parent|grandma|grandpa|grandmother|grandfather|only child|native|proud (?:mom|dad|parent)|single (?:mom|dad|parent)|stay-at-home|full-time (?:mom|dad|parent)|freelancer|smoker|non-smoker|nonsmoker|drinker|heavy|social)\b/i;

function kindOfPerson(np: string): string | null {
  const words = np.toLowerCase().split(' ');
  const lastTwo = words.slice(-2).join(' ');
  if (PERSON_KINDS.has(lastTwo)) return np.split(' ').slice(-2).join(' ');
  if (PERSON_KINDS.has(words[words.length - 1]!)) return np;
  return null;
}

function classify(np: string, orgRaw: string | undefined, positive: boolean, past: boolean, ctx: RuleContext, rest: string): Finding[] {
  const out: Finding[] = [];
  const age = AGE_WORDS.exec(np);
  const noun = age ? np.slice(age[0].length) : np;
  if (age && positive && !past) out.push({ predicate: 'age', object: age[1]!, statement: `is ${age[1]} years old`, category: 'identity' });
  const not = positive ? '' : 'not ';
  const fan = /^(?:(?<degree>big|huge|massive|die-?hard|long-?time|longtime) )?(?<what>.+) fan$/i.exec(noun);
  if (fan) {
    const loves = /huge|massive|die/i.test(fan.groups!.degree ?? '');
    const predicate = loves ? 'loves' : 'likes';
    out.push({ predicate, object: fan.groups!.what!, statement: `${positive ? predicate : `does not ${predicate.replace(/s$/, '')}`} ${fan.groups!.what}`, category: 'preference', positive });
    return out;
  }
  const gender = genderOf(noun);
  if (gender) {
    const article = /(?:wo)?man$/.test(gender) ? 'a ' : '';
    out.push({ predicate: 'gender', object: gender, statement: `is ${not}${article}${gender}`, category: 'identity', positive });
    return out;
  }
  if (DIETS.has(noun.toLowerCase()) || ELSEWHERE.test(noun)) return out;
  if (RELIGIONS.has(noun.toLowerCase()) || isDemonym(noun)) {
    const predicate = isDemonym(noun) ? 'nationality' : 'religion';
    out.push({ predicate, object: noun, statement: `is ${not}${noun}`, category: 'identity', positive });
    return out;
  }
  if (isOccupation(noun)) {
    const article = /^[aeiou]/i.test(noun) ? 'an' : 'a';
    const statement = past ? `used to work as ${article} ${noun}` : positive ? undefined : stopped(rest) ? `no longer works as ${article} ${noun}` : `is not ${article} ${noun}`;
    out.push(jobTitle(noun, { positive, ...(statement ? { statement } : {}), ...(past ? { validTo: ctx.occurredAt, confidence: 0.7 } : {}) }));
    const org = orgRaw ? cleanObject(orgRaw, 'org', ctx.occurredAt) : null;
    if (org && positive) {
      const studying = /student|freshman|sophomore|undergrad|postgrad|postdoc|phd/i.test(noun);
      out.push(studying ? { predicate: 'studies_at', object: org, statement: `studies at ${org}`, category: 'occupation' } : worksAt(org, past ? { statement: `used to work at ${org}`, validTo: ctx.occurredAt, confidence: 0.7 } : {}));
    }
    return out;
  }
  const kind = kindOfPerson(noun);
  if (kind && !past) out.push({ predicate: 'is_a', object: kind, statement: `is ${not}${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind}`, category: 'trait', positive });
  return out;
}

export const beingRules: FrameRule[] = [
  {
    id: 'is_a',
    re: re`^(?<be>am|is|are|was|were|used to be) ${ADV}(?<neg>not |no longer |never )?${ADV}(?:an? |the |(?=(?:head|chief|ceo|cto|cfo|coo|vp|director|president|founder|co-founder|cofounder|lead|senior|junior|principal|assistant|associate) ))(?<np>.+)$`,
    build(m, frame, ctx) {
      const full = m.groups!.np!;
      // "a nurse at St. Mary's" names an employer; "the CTO of Acme" too, but "head of marketing" is a title.
      const employer = /\s(?:at|for|with)\s+([A-Z0-9].*)$/.exec(full) ?? (EXECUTIVE.test(full.split(/\s+of\s+/)[0]!) ? /\sof\s+([A-Z0-9].*)$/.exec(full) : null);
      const np = cleanObject(employer ? full.slice(0, employer.index) : full, 'title', ctx.occurredAt);
      if (!np) return [];
      // Bios say where in passing: "a software engineer based in Lisbon".
      const based = /\b(?:based|living|located) in (.+)$/.exec(full);
      const place = based ? cleanObject(based[1]!, 'place', ctx.occurredAt) : null;
      const where: Finding[] = place && !/^(?:was|were|used)/i.test(m.groups!.be!) ? [{ predicate: 'lives_in', object: place, statement: `lives in ${place}`, category: 'place' }] : [];
      const past = /^(?:was|were|used to be)$/i.test(m.groups!.be!);
      return [...classify(np, employer?.[1], !denied(m.groups!.neg), past, ctx, frame.rest), ...where];
    },
  },
];
