// People and animals in someone's life: relationship_status, partner, has_sibling/has_child/…, has_pet, lives_with.
import { isKnownPersonName, isMonthOrWeekday, PET_RE, PETS, UNAMBIGUOUS_PET_RE, RELATION_PREDICATES, RELATIVE_MODIFIERS, RELATIVE_RE, RELATIVES, type RelationKind } from '../lexicon.js';
import { cleanObject, nameOnly } from '../objects.js';
import { ADV, NEG_DO, dateIn, denied, heldSince, re, reAll, withDate, type ClauseRule, type Finding, type Frame, type FrameRule, type RuleContext } from '../pattern.js';

const MODS = `(?:(?:${RELATIVE_MODIFIERS}|\\w+-year-old|golden|german|border|cocker|french|english|rescue|pet) )*`;
const STATUS_FOR_PARTNER: Record<string, string> = {
  wife: 'married', husband: 'married', spouse: 'married',
  fiance: 'engaged', fiancé: 'engaged', fiancee: 'engaged', fiancée: 'engaged',
  girlfriend: 'in a relationship', boyfriend: 'in a relationship', gf: 'in a relationship', bf: 'in a relationship', partner: 'in a relationship',
};

function kindOf(word: string): RelationKind | 'pet' | null {
  const lower = word.toLowerCase();
  if (RELATIVES[lower]) return RELATIVES[lower]!;
  const last = lower.split(' ').pop()!;
  return PETS.has(last) ? 'pet' : null;
}

function status(value: string, extra: Partial<Finding> = {}): Finding {
  const positive = extra.positive ?? true;
  return { predicate: 'relationship_status', object: value, statement: positive ? `is ${value}` : `is not ${value}`, category: 'relation', ...extra };
}

function article(phrase: string): string {
  if (/^(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|some|a couple of)\b/i.test(phrase)) return '';
  if (/(?:[^s]s|children|people)$/i.test(phrase.split(' named ')[0]!)) return '';
  return /^[aeiou]/i.test(phrase) ? 'an ' : 'a ';
}

/**
 * "my sister Emma", "a dog named Max", "two kids": what the owner has, as beliefs.
 * Partners are single-valued (`partner` = the name) and imply a relationship status.
 */
function relationFindings(phrase: string, rel: string, name: string | null, extra: Partial<Finding> = {}): Finding[] {
  const kind = kindOf(rel);
  if (!kind) return [];
  const positive = extra.positive ?? true;
  if (kind === 'partner') {
    const out: Finding[] = [];
    const implied = STATUS_FOR_PARTNER[rel.toLowerCase()];
    if (implied && positive) out.push(status(implied, { confidence: 0.8 }));
    if (name) out.push({ predicate: 'partner', object: name, statement: `has a ${rel.toLowerCase()} named ${name}`, category: 'relation', ...extra });
    return out;
  }
  if (!name && (kind === 'friend' || kind === 'acquaintance' || kind === 'parent' || kind === 'grandparent') && positive) return [];
  const object = name ? `${phrase} named ${name}` : phrase;
  const predicate = kind === 'pet' ? 'has_pet' : RELATION_PREDICATES[kind];
  const statement = positive ? `has ${article(object)}${object}` : `does not have ${phrase}`;
  return [{ predicate, object, statement, category: kind === 'pet' ? 'possession' : 'relation', ...extra }];
}

/** A name after a relation word: capitalised, or a known first name in all-lowercase chat ("my sister emma"). */
function nameAfter(candidate: string | undefined, clause: string): string | null {
  if (!candidate || candidate.length < 2 || isMonthOrWeekday(candidate)) return null;
  const words = candidate.split(' ');
  const named = words.filter((w, i) => /^[A-Z]/.test(w) || (i === 0 && clause === clause.toLowerCase() && isKnownPersonName(w)));
  if (named.length === 0 || !/^[A-Z]/.test(words[0]!) && !(clause === clause.toLowerCase() && isKnownPersonName(words[0]!))) return null;
  return words.slice(0, named.length === words.length ? words.length : 1).join(' ');
}

function ownerConfidence(poss: string | undefined): Partial<Finding> {
  return poss?.toLowerCase() === 'our' ? { confidence: 0.85 } : {};
}

const COUNT = '(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\\d+|any|a couple of|several|some)';

const HAS_RELATIVE_OR_PET = re`^${ADV}(?<neg>${NEG_DO})?${ADV}(?<verb>have|has|(?:have|has) got|got|adopted|rescued|own|owns|(?:am|is|are) getting|(?:am|is|are) adopting|(?:have|has) (?:just )?(?:got|gotten|adopted))(?<none> no)? (?:(?<count>${COUNT}) )?(?<np>${MODS}(?:${RELATIVE_RE}|${PET_RE}))(?<rest>.*)$`;

/** "I have a dog named Max", "we have two kids and a cat": each relative or pet, with its count and name. */
function hasRelativeOrPet(m: RegExpExecArray, frame: Frame, ctx: RuleContext): Finding[] {
  const rest = m.groups!.rest!;
  const dated = dateIn(rest, ctx, 'past');
  if (!/^(?:$|,|\s+(?:named|called|and|who|that|whose|aged|at|in|from|with|[A-Z]|\d|too|now|already|as well)\b|\s*\()/.test(rest) && !(dated && dated.start <= 1)) return [];
  const np = m.groups!.np!;
  const rel = np.split(' ').pop()!;
  const count = m.groups!.count ?? '';
  const phrase = /^(?:a|an|any|some|one)$/i.test(count) || !count ? np : `${count} ${np}`;
  const nameMatch = /^,?\s*(?:named|called)\s+([A-Za-z][\w'-]*(?: [A-Z][\w'-]*)?)|^,?\s+([A-Z][\w'-]*)(?=$|[\s,.!?])/.exec(rest);
  const several = /^,?\s*(?:named |called )?([A-Z][\w'-]*(?:,? (?:and )?[A-Z][\w'-]*)+)\s*$/.exec(rest);
  const name = several && count && !/^(?:a|an|one)$/i.test(count) ? several[1]!.replace(/,? and /, ' and ') : nameMatch ? nameAfter(nameMatch[1] ?? nameMatch[2], frame.clause) : null;
  const positive = !denied(m.groups!.neg) && !m.groups!.none;
  const future = /getting|adopting/i.test(m.groups!.verb!);
  if (future) {
    const when = dateIn(frame.clause, ctx, 'future');
    const plan = `get ${article(phrase)}${phrase}`;
    return [{ predicate: 'plans_to', object: plan, statement: withDate(`plans to ${plan}`, when), category: 'plan', when: when?.at ?? null, confidence: 0.8 }];
  }
  const acquired = /got|adopted|rescued/i.test(m.groups!.verb!) ? dateIn(frame.clause, ctx, 'past') : null;
  const extra: Partial<Finding> = { positive, ...(acquired ? { validFrom: acquired.at } : {}), ...(frame.plural ? { confidence: 0.85 } : {}) };
  const found = relationFindings(positive ? phrase : np, rel, positive ? name : null, extra);
  // "three kids and a dog": the rest of the list is read the same way.
  const more = /^(?:,?\s+named [^,]+?|,? [A-Z][\w'-]*)?,?\s+and\s+(.+)$/.exec(rest);
  const next = more ? HAS_RELATIVE_OR_PET.exec(`${m.groups!.verb} ${more[1]}`) : null;
  return next ? [...found, ...hasRelativeOrPet(next, frame, ctx)] : found;
}

export const relationRules: FrameRule[] = [
  {
    id: 'relationship_status',
    plural: true,
    re: re`^(?:am|is|are|(?:have|has) been) ${ADV}(?<neg>not |no longer )?${ADV}(?<st>married|single|engaged|divorced|widowed|separated|taken|in a (?:\w+ )?relationship|dating someone|seeing someone)(?: to (?<partner>.+))?(?=$|,|\s)`,
    build(m, frame, ctx) {
      const raw = m.groups!.st!.toLowerCase();
      const value = /relationship|dating|seeing|taken/.test(raw) ? 'in a relationship' : raw;
      const positive = !denied(m.groups!.neg);
      const out = [status(value, { positive, ...(positive ? { validFrom: heldSince(frame.clause, ctx) } : {}) })];
      const partner = positive ? nameAfter(cleanObject(m.groups!.partner ?? '', 'thing', ctx.occurredAt) ?? undefined, frame.clause) : null;
      if (partner) out.push({ predicate: 'partner', object: partner, statement: `is ${value} to ${partner}`, category: 'relation' });
      return out;
    },
  },
  {
    id: 'got_married',
    plural: true,
    re: re`^${ADV}(?:got|(?:have|has) ${ADV}(?:got|gotten)|(?:was|were)) ${ADV}(?<st>married|engaged|divorced|separated|hitched)(?: to (?<partner>.+))?`,
    build(m, frame, ctx) {
      const value = m.groups!.st!.toLowerCase() === 'hitched' ? 'married' : m.groups!.st!.toLowerCase();
      const when = dateIn(frame.clause, ctx, 'past');
      const out = [status(value, { validFrom: when?.at ?? null })];
      const partner = nameAfter(cleanObject(m.groups!.partner ?? '', 'thing', ctx.occurredAt) ?? undefined, frame.clause);
      if (partner && value !== 'divorced') out.push({ predicate: 'partner', object: partner, statement: `is ${value} to ${partner}`, category: 'relation', validFrom: when?.at ?? null });
      return out;
    },
  },
  {
    id: 'getting_married',
    plural: true,
    re: re`^${ADV}(?:(?:am|is|are) ${ADV}getting|will ${ADV}get|(?:am|is|are) going to get|plan to get|(?:am|is|are) planning to get) (?<st>married|engaged|divorced)`,
    build(m, frame, ctx) {
      const when = dateIn(frame.clause, ctx, 'future');
      const plan = `get ${m.groups!.st!.toLowerCase()}`;
      return [{ predicate: 'plans_to', object: plan, statement: withDate(`plans to ${plan}`, when), category: 'plan', when: when?.at ?? null, confidence: 0.85 }];
    },
  },
  {
    id: 'broke_up',
    re: re`^${ADV}(?:broke up|split up|(?:have|has) broken up|(?:am|is|are) broken up)(?: with (?<who>.+))?`,
    build(m, frame, ctx) {
      const when = dateIn(frame.clause, ctx, 'past');
      const out = [status('single', { validFrom: when?.at ?? null, confidence: 0.7 })];
      const who = nameAfter(cleanObject(m.groups!.who ?? '', 'thing', ctx.occurredAt) ?? undefined, frame.clause);
      if (who) out.push({ predicate: 'partner', object: who, statement: `is no longer with ${who}`, category: 'relation', positive: false });
      return out;
    },
  },
  {
    id: 'dating',
    re: re`^${ADV}(?:(?:am|is|are) ${ADV}(?:dating|seeing|going out with)|(?:have|has) been (?:dating|seeing|going out with)) (?<who>[A-Za-z][\w'-]*(?: [A-Z][\w'-]*)?)`,
    build(m, frame) {
      const who = nameAfter(m.groups!.who, frame.clause);
      if (!who) return [];
      return [status('in a relationship'), { predicate: 'partner', object: who, statement: `is dating ${who}`, category: 'relation' }];
    },
  },
  {
    id: 'has_relative_or_pet',
    plural: true,
    re: HAS_RELATIVE_OR_PET,
    build: hasRelativeOrPet,
  },
  {
    id: 'only_child',
    re: re`^(?:am|is) (?:an )?only child\b`,
    build: () => [{ predicate: 'has_sibling', object: 'siblings', statement: 'has no siblings', category: 'relation', positive: false }],
  },
  {
    id: 'parent_of',
    re: re`^(?:am|is) (?:an? )?(?:proud |single |new |first-time )?(?<who>mom|mum|mother|dad|father|parent|mama|papa|grandma|grandmother|grandpa|grandfather|grandparent)(?: of (?<count>\w+)(?: (?:kids|children|boys|girls|little ones))?)?(?=$|,|\s(?:and|to|who)\b)`,
    build(m) {
      const grand = /^grand/i.test(m.groups!.who!);
      const count = m.groups!.count && !/^(?:a|an|one)$/i.test(m.groups!.count) ? m.groups!.count : '';
      const object = /^(?:twins|triplets)$/i.test(count) ? count.toLowerCase() : `${count ? `${count} ` : ''}${grand ? 'grandchildren' : 'children'}`;
      return [{ predicate: grand ? 'has_grandchild' : 'has_child', object, statement: `has ${object}`, category: 'relation', confidence: count ? 0.9 : 0.85 }];
    },
  },
  {
    id: 'lives_with',
    re: re`^${ADV}(?:live|lives|(?:am|is|are) living|(?:am|is|are) staying) with (?<who>.+)`,
    build(m, _frame, ctx) {
      const [whoRaw = '', placeRaw] = m.groups!.who!.split(/\s+in\s+(?=[A-Z])/);
      const who = cleanObject(whoRaw.replace(/^(?:my|our)\s+/i, ''), 'thing', ctx.occurredAt);
      const out: Finding[] = [];
      if (who) out.push({ predicate: 'lives_with', object: who, statement: `lives with ${/^[A-Z]/.test(who) ? '' : 'their '}${who}`, category: 'relation' });
      const place = placeRaw ? cleanObject(placeRaw, 'place', ctx.occurredAt) : null;
      if (place) out.push({ predicate: 'lives_in', object: place, statement: `lives in ${place}`, category: 'place' });
      return out;
    },
  },
];

function possessed(m: RegExpExecArray, clause: string, ctx: RuleContext, name: string | null): Finding[] {
  const mods = (m.groups!.mods ?? '').trim();
  const rel = m.groups!.rel!;
  const phrase = mods ? `${mods} ${rel}` : rel;
  return relationFindings(phrase, rel, name, { ...ownerConfidence(m.groups!.poss), about: ctx.owner });
}

export const relationClauseRules: ClauseRule[] = [
  {
    id: 'my_relative_named',
    re: reAll`\b(?<poss>my|our) (?<mods>${MODS})(?<rel>${RELATIVE_RE}|${PET_RE}),? (?:(?:named|called) )?(?<name>[A-Za-z][a-z'-]+(?: [A-Z][a-z'-]+)?)(?=$|[\s,.!?;)])`,
    build(m, clause, ctx) {
      const name = nameAfter(m.groups!.name, clause);
      return name ? possessed(m, clause, ctx, name) : [];
    },
  },
  {
    id: 'relative_name_is',
    re: reAll`\b(?<poss>my|our) (?<mods>${MODS})(?<rel>${RELATIVE_RE}|${PET_RE})(?:'s name is| is (?:called|named)) (?<name>[A-Za-z][\w'-]*(?: [A-Z][\w'-]*)?)`,
    build(m, clause, ctx) {
      const name = /^[A-Z]/.test(m.groups!.name!) || isKnownPersonName(m.groups!.name!) ? nameOnly(m.groups!.name!) : null;
      return name ? possessed(m, clause, ctx, name) : [];
    },
  },
  {
    id: 'name_is_my_relative',
    re: reAll`\b(?<name>[A-Z][a-z'-]+) is (?<poss>my|our) (?<mods>${MODS})(?<rel>${RELATIVE_RE}|${PET_RE})\b`,
    build(m, clause, ctx) {
      const name = nameAfter(m.groups!.name, clause);
      return name && name !== 'This' && name !== 'That' && name !== 'It' && name !== 'She' && name !== 'He' ? possessed(m, clause, ctx, name) : [];
    },
  },
  {
    id: 'my_relative_mentioned',
    re: reAll`\b(?<poss>my|our) (?<mods>${MODS})(?<rel>wife|husband|spouse|fiance|fiancé|fiancee|fiancée|girlfriend|boyfriend|sister|brother|sisters|brothers|son|daughter|sons|daughters|kids|children|twins|grandson|granddaughter|grandkids|grandchildren|${UNAMBIGUOUS_PET_RE})\b(?<next>'s name| (?:is )?(?:named|called) \S+|,? [A-Za-z][a-z'-]*)?`,
    build(m, clause, ctx) {
      const next = m.groups!.next;
      const calledName = next ? /(?:named|called) (\S+)/.exec(next)?.[1] : undefined;
      if (next && (/'s name/.test(next) || (calledName && nameAfter(calledName, clause)) || nameAfter(next.replace(/^,?\s+/, ''), clause))) return [];
      if (/^(?:pet|pets)$/i.test(m.groups!.rel!)) return [];
      if (kindOf(m.groups!.rel!) === 'partner' && /\b(?:broke up|split up|divorc\w*|ex|separated|dumped|cheated|late|passed away|died)\b/i.test(clause)) return [];
      const found = possessed(m, clause, ctx, null);
      return found.map((f) => ({ ...f, confidence: Math.min(f.confidence ?? 0.9, 0.75) }));
    },
  },
];
