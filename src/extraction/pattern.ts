// The shape of a rule and the regex pieces rules share: what a rule sees (a subject's frame or a whole clause)
// and what it returns (findings, which the extractor turns into beliefs).
import type { BeliefCategory } from './types.js';
import { describeDate, durationStart, findDate, type Direction, type ResolvedDate } from './dates.js';
import { PET_RE, RELATIVE_MODIFIERS, RELATIVE_RE } from './lexicon.js';

/** A clause read from its subject: "my sister Emma | lives in Berlin". */
export interface Frame {
  /** Who the subject is: 'self', the speaker's name, a relative ("sister", "Anna's sister") or a named person. */
  about: string;
  person: 'first' | 'third';
  /** "we", "my wife and I": facts shared by a household, not personal ones. */
  plural: boolean;
  /** The clause after its subject, normalised: "live in Porto", "is a nurse", "do not like coffee". */
  rest: string;
  /** The whole clause, for dates. */
  clause: string;
  /** 1 for plain statements; lower when hedged ("I think I…", "maybe"). */
  confidence: number;
}

/** What a rule found; the extractor adds who it is about (unless the rule says) and scales confidence. */
export interface Finding {
  predicate: string;
  object: string;
  statement: string;
  category: BeliefCategory;
  positive?: boolean;
  confidence?: number;
  about?: string;
  validFrom?: number | null;
  validTo?: number | null;
  when?: number | null;
}

export interface RuleContext {
  occurredAt: number;
  /** Who "my" belongs to: 'self' or the speaker's name. */
  owner: string;
  /** Turns a relation word into who it is about: "sister" → "sister", or "Anna's sister" when Anna is speaking. */
  relative(word: string): string;
  /** Turns a name into who it is about: the subject's own names → 'self'. */
  person(name: string): string;
}

/** A rule over a subject's frame: matched against `frame.rest`. */
export interface FrameRule {
  id: string;
  re: RegExp;
  /** Whether "we" may be the subject (where one lives, pets, plans), not only "I". */
  plural?: boolean;
  /** Whether it reads only first-person subjects ("I am Sam" names the speaker; "Anna is Sam" is not a name). */
  firstPersonOnly?: boolean;
  build(m: RegExpExecArray, frame: Frame, ctx: RuleContext): Finding[];
}

/** A rule over a whole clause, for what is said through possessives ("my name is…", "my dog Max"). */
export interface ClauseRule {
  id: string;
  /** Must be global: every match in the clause is read. */
  re: RegExp;
  build(m: RegExpExecArray, clause: string, ctx: RuleContext): Finding[];
}

/** Adverbs that may sit between subject and verb without changing the fact ("I just moved", "I really like"). */
export const ADV = '(?:(?:just|really|also|currently|actually|still|now|recently|finally|totally|absolutely|definitely|honestly|basically|literally|truly|genuinely|seriously|already|even|always|usually|mostly|pretty much|kind of|sort of|so|originally|officially|technically|happily|proudly|fully|both|all)\\s+)*';
/** A negation in front of a verb, as the normaliser writes it ("do not", "does not", "never", "no longer"). */
export const NEG_DO = '(?:(?:do|does|did) not |never |no longer |(?:do|does) not really )';
/** Present-tense "be" for any subject. */
export const BE = '(?:am|is|are)';

/** Whose thing it is: "my", "our", "Anna's", "my sister's", "my dog's". */
export const POSSESSOR = `(?<poss>(?:my|our) (?:(?:${RELATIVE_MODIFIERS}) )*(?:${RELATIVE_RE}|${PET_RE})'s|my|our|[A-Z][a-z]+'s)`;

/** Who a possessor is about: "my" → the owner, "my sister's" → the sister, "Anna's" → Anna. */
export function possessorAbout(poss: string, ctx: RuleContext): string {
  const lower = poss.toLowerCase();
  if (lower === 'my' || lower === 'our') return ctx.owner;
  const relation = /^(?:my|our) (?:.* )?([\w-]+)'s$/i.exec(poss);
  if (relation) return ctx.relative(relation[1]!.toLowerCase());
  return ctx.person(poss.replace(/'s$/, ''));
}

/** Negation words captured in a group: whatever was captured, the fact is denied. */
export function denied(group: string | undefined): boolean {
  return Boolean(group && /\b(?:not|never|no)\b/i.test(group));
}

/** "no longer" and "not … anymore": the fact held before and stopped. */
export function stopped(text: string): boolean {
  return /\bno longer\b|\b(?:any ?more)\b/i.test(text);
}

/** When a state that still holds began, from "for five years" or "since 2019" (null when the text does not say). */
export function heldSince(text: string, ctx: RuleContext): number | null {
  const since = /\bsince\b/i.test(text) ? findDate(text.slice(text.search(/\bsince\b/i)), ctx.occurredAt, 'past') : null;
  return since?.at ?? durationStart(text, ctx.occurredAt);
}

export function dateIn(text: string, ctx: RuleContext, direction: Direction): ResolvedDate | null {
  return findDate(text, ctx.occurredAt, direction);
}

/** "plans to travel to Japan" + next month → "plans to travel to Japan in July 2025". */
export function withDate(statement: string, when: ResolvedDate | null): string {
  return when ? `${statement} ${describeDate(when)}` : statement;
}

/** Makes a regex from pieces, so rules read as sentences: re`^${ADV}live in (?<obj>.+)`. */
export function re(strings: TemplateStringsArray, ...parts: string[]): RegExp {
  return new RegExp(String.raw(strings, ...parts), 'i');
}

/** The same, global: for clause rules that read every match. */
export function reAll(strings: TemplateStringsArray, ...parts: string[]): RegExp {
  return new RegExp(String.raw(strings, ...parts), 'gi');
}
