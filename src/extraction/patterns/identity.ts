// Who someone is: name, age, birthday, gender, pronouns, nationality, religion, languages.
import { describeMonthDay, findDate, monthName } from '../dates.js';
import { DIETS, gerund as gerundOf, isDemonym, isKnownPersonName, isKnownPlace, couldBeName, LANGUAGES, RELIGIONS } from '../lexicon.js';
import { cleanObject, nameOnly } from '../objects.js';
import { ADV, NEG_DO, POSSESSOR, dateIn, denied, possessorAbout, re, reAll, type ClauseRule, type Finding, type FrameRule } from '../pattern.js';

const UNITS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, thirteen: 13,
  fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const NUMBER = `(?:\\d{1,3}|(?:${Object.keys(TENS).join('|')})(?:[- ](?:${Object.keys(UNITS).slice(0, 9).join('|')}))?|${Object.keys(UNITS).join('|')})`;
/** What may follow an age without it being a height, a price or a duration ("I'm 34, and…", not "I'm 5 minutes away"). */
const AGE_END = `(?=$|,|\\s(?:and|but|now|this|today|as of|soon|going on|turning|btw|lol|haha|myself|too|already|next|in)\\b)`;

function parseNumber(text: string): number {
  const lower = text.toLowerCase();
  if (/^\d+$/.test(lower)) return Number(lower);
  const [tens = '', unit = ''] = lower.split(/[- ]/);
  return (TENS[tens] ?? UNITS[tens] ?? 0) + (UNITS[unit] ?? 0);
}

function age(n: number, extra: Partial<Finding> = {}): Finding[] {
  if (n < 1 || n > 120) return [];
  return [{ predicate: 'age', object: String(n), statement: `is ${n} years old`, category: 'identity', ...extra }];
}

/** Words that follow "I'm" capitalised without being names ("I'm Fine", "I'm Back"). */
const NOT_NAMES = /^(?:fine|good|great|ok|okay|here|back|home|hope|sure|sorry|done|ready|sorry|sure|new|glad|happy|excited|tired|busy|just|so|very|not|also|still|in|at|on|from|the|a|an|your|his|her|their|our|my|no|yes|well|free|single|married|engaged|divorced|retired)$/i;

function plausibleName(name: string): boolean {
  const first = name.split(' ')[0]!;
  if (NOT_NAMES.test(first) || isDemonym(first) || isKnownPlace(name) || RELIGIONS.has(first.toLowerCase()) || DIETS.has(first.toLowerCase())) return false;
  if (isKnownPersonName(first)) return true;
  return /^[A-Z]/.test(first) && couldBeName(first);
}

function name(object: string, about?: string): Finding {
  return { predicate: 'name', object, statement: `is called ${object}`, category: 'identity', ...(about ? { about } : {}) };
}

function birthday(text: string, occurredAt: number): Finding[] {
  const date = findDate(text, occurredAt, 'future');
  if (!date || date.start > 12) return [];
  if (date.unit === 'day') {
    const object = describeMonthDay(date);
    return [{ predicate: 'birthday', object, statement: `has their birthday on ${object}`, category: 'identity' }];
  }
  if (date.unit === 'month') {
    const month = monthName(date.at);
    return [{ predicate: 'birthday', object: month, statement: `has their birthday in ${month}`, category: 'identity', confidence: 0.8 }];
  }
  return [];
}

const GENDERS: Array<[RegExp, string]> = [
  [/^(?:trans(?:gender)? wom[ae]n|trans(?:gender)? girl)$/i, 'trans woman'],
  [/^(?:trans(?:gender)? m[ae]n|trans(?:gender)? guy)$/i, 'trans man'],
  [/^(?:wom[ae]n|girl|lady|gal|female)$/i, 'female'],
  [/^(?:m[ae]n|guy|boy|dude|male|gentleman|bloke)$/i, 'male'],
  [/^(?:non-?binary|enby|genderqueer|gender-?fluid|agender|gender non-?conforming)$/i, 'non-binary'],
  [/^(?:trans|transgender)$/i, 'transgender'],
];

export function genderOf(word: string): string | null {
  return GENDERS.find(([pattern]) => pattern.test(word))?.[1] ?? null;
}

function languages(list: string, predicate: 'speaks' | 'native_language', positive: boolean): Finding[] {
  return list
    .split(/\s*(?:,|\band\b|\bor\b|&|\bplus\b)\s*/i)
    .filter(Boolean)
    .map((item) => item.replace(/^(?:fluent|some|a little|a bit of|basic|conversational|decent|good|native|broken)\s+/i, ''))
    .filter((item) => LANGUAGES.has(item.toLowerCase().split(' ')[0]!))
    .map((item) => ({
      predicate,
      object: item,
      statement: predicate === 'native_language' ? `is a native ${item} speaker` : positive ? `speaks ${item}` : `does not speak ${item}`,
      category: 'identity' as const,
      positive,
    }));
}

export const identityRules: FrameRule[] = [
  {
    id: 'name_i_am',
    firstPersonOnly: true,
    re: re`^am (?<name>[A-Za-z][\w'-]*(?: [A-Z][\w'-]*)?)(?: here| btw| by the way)?(?<tail>,.*| and .*| from .*|$)`,
    build(m, _frame, ctx) {
      const object = nameOnly(m.groups!.name!);
      if (!plausibleName(object)) return [];
      const out = [name(object)];
      const from = /^ from (.+)/.exec(m.groups!.tail!);
      const place = from ? cleanObject(from[1]!, 'place', ctx.occurredAt) : null;
      if (place) out.push({ predicate: 'from', object: place, statement: `is from ${place}`, category: 'identity' });
      return out;
    },
  },
  {
    id: 'age',
    re: re`^(?:am|is|are) ${ADV}(?<n>${NUMBER})(?: (?:years?|yrs?)(?: old)?| y/?o| years of age)?${AGE_END}`,
    build: (m) => age(parseNumber(m.groups!.n!)),
  },
  {
    id: 'age_decade',
    re: re`^(?:am|is|are) ${ADV}in (?:my|his|her|their) (?<part>early |mid |mid-|late )?(?<decade>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|[2-9]0'?s)\b`,
    build(m) {
      const decades: Record<string, string> = { twenties: '20s', thirties: '30s', forties: '40s', fifties: '50s', sixties: '60s', seventies: '70s', eighties: '80s', nineties: '90s' };
      const decade = decades[m.groups!.decade!.toLowerCase()] ?? m.groups!.decade!.replace("'", '');
      const object = `${(m.groups!.part ?? '').replace('-', ' ')}${decade}`;
      return [{ predicate: 'age', object, statement: `is in their ${object}`, category: 'identity', confidence: 0.8 }];
    },
  },
  {
    id: 'turned',
    re: re`^${ADV}(?:turned|(?:have|has) turned) (?<n>${NUMBER})\b`,
    build(m, frame, ctx) {
      const when = dateIn(frame.clause, ctx, 'past');
      return age(parseNumber(m.groups!.n!), { validFrom: when?.at ?? null });
    },
  },
  {
    id: 'born_on',
    re: re`^${ADV}(?:was|were) born (?:on )?(?<date>.+)`,
    build: (m, _frame, ctx) => birthday(m.groups!.date!, ctx.occurredAt),
  },
  {
    id: 'speaks',
    re: re`^${ADV}(?<neg>${NEG_DO}|can not |(?:am|is|are) not )?${ADV}(?<verb>speak|speaks|can speak|(?:am|is|are) (?:fluent|bilingual|trilingual|conversational) in|(?:am|is|are) (?:a )?native speaker of) (?<langs>.+)`,
    build(m, _frame, ctx) {
      const list = cleanObject(m.groups!.langs!.replace(/\s+(?:fluently|natively|well|a little|at home)\b.*$/i, ''), 'thing', ctx.occurredAt, true);
      if (!list) return [];
      const native = /native/i.test(m.groups!.verb!) || /\bnatively\b/i.test(m.groups!.langs!);
      return languages(list, native ? 'native_language' : 'speaks', !denied(m.groups!.neg));
    },
  },
  {
    id: 'native_speaker',
    re: re`^(?:am|is|are) (?:a )?native (?<lang>[A-Za-z]+)(?: and (?<lang2>[A-Za-z]+))? speaker`,
    build: (m) => languages([m.groups!.lang, m.groups!.lang2].filter(Boolean).join(' and '), 'native_language', true),
  },
  {
    id: 'learning',
    re: re`^${ADV}(?:(?:am|is|are) ${ADV}learning|(?:have|has) been learning|started learning|(?:am|is|are) taking (?:\w+ )?(?:lessons|classes) in) (?<obj>.+)`,
    build(m, _frame, ctx) {
      const said = cleanObject(m.groups!.obj!, 'thing', ctx.occurredAt);
      if (!said) return [];
      const object = said.replace(/^(?:how )?to (\w+)/i, (_all, verb: string) => gerundOf(verb));
      return [{ predicate: 'learning', object, statement: `is learning ${said}`, category: 'fact', confidence: 0.85 }];
    },
  },
  {
    id: 'nationality_religion_gender',
    re: re`^(?:am|is|are) ${ADV}(?<neg>not )?${ADV}(?<adj>(?:half |part |a proud |proud )?[A-Za-z-]+(?:(?: and |-| )[A-Za-z-]+)?)(?=$|,)`,
    build(m) {
      const adjective = m.groups!.adj!;
      const positive = !denied(m.groups!.neg);
      const words = adjective.replace(/^(?:half|part|a proud|proud) /i, '').split(/ and |-| /);
      if (words.every((w) => isDemonym(w))) {
        return [{ predicate: 'nationality', object: adjective, statement: positive ? `is ${adjective}` : `is not ${adjective}`, category: 'identity', positive }];
      }
      if (words.length === 1 && RELIGIONS.has(words[0]!.toLowerCase())) {
        return [{ predicate: 'religion', object: words[0]!, statement: positive ? `is ${words[0]}` : `is not ${words[0]}`, category: 'identity', positive }];
      }
      const gender = genderOf(adjective);
      if (gender && /^(?:non|enby|gender|agender|trans|female|male)/i.test(adjective)) {
        return [{ predicate: 'gender', object: gender, statement: positive ? `is ${gender}` : `is not ${gender}`, category: 'identity', positive }];
      }
      return [];
    },
  },
];

export const identityClauseRules: ClauseRule[] = [
  {
    id: 'name',
    re: reAll`\b${POSSESSOR} (?:full |first |real |legal |actual |given )?name(?: is|:) (?<name>[A-Za-z][\w'-]*(?: [A-Z][\w'-]*){0,2})`,
    build(m, _clause, ctx) {
      if (/^(?:my|our) .+'s$/i.test(m.groups!.poss!)) return [];
      return [name(nameOnly(m.groups!.name!), possessorAbout(m.groups!.poss!, ctx))];
    },
  },
  {
    id: 'call_me',
    re: reAll`(?:^|\b(?:just|please|you can|you may|everyone|people|friends|most people|they|all my friends) )(?:call|calls) me (?<name>[A-Za-z][\w'-]*)`,
    build(m, clause, ctx) {
      const object = m.groups!.name!;
      if (!/^[A-Z]/.test(object) && !isKnownPersonName(object)) return [];
      const nickname = /\bname is\b/i.test(clause);
      return [{ predicate: nickname ? 'nickname' : 'name', object, statement: nickname ? `goes by ${object}` : `is called ${object}`, category: 'identity', about: ctx.owner }];
    },
  },
  {
    id: 'birthday',
    re: reAll`\b${POSSESSOR} (?:birthday|bday|b-day|date of birth|dob)(?: is| was|:| falls on| is on)? (?<date>.+)`,
    build(m, _clause, ctx) {
      const about = possessorAbout(m.groups!.poss!, ctx);
      return birthday(m.groups!.date!, ctx.occurredAt).map((f) => ({ ...f, about }));
    },
  },
  {
    id: 'age_is',
    re: reAll`\b${POSSESSOR} age (?:is|:) (?<n>\d{1,3})\b`,
    build: (m, _clause, ctx) => age(Number(m.groups!.n), { about: possessorAbout(m.groups!.poss!, ctx) }),
  },
  {
    id: 'native_language',
    re: reAll`(?:\b${POSSESSOR} (?:native language|mother tongue|first language|native tongue)(?: is|:) (?<lang>[A-Za-z]+)|\b(?<lang2>[A-Za-z]+) is my (?:native language|mother tongue|first language|native tongue))`,
    build(m, _clause, ctx) {
      const about = m.groups!.poss ? possessorAbout(m.groups!.poss, ctx) : ctx.owner;
      return languages(m.groups!.lang ?? m.groups!.lang2 ?? '', 'native_language', true).map((f) => ({ ...f, about }));
    },
  },
  {
    id: 'pronouns',
    re: reAll`(?:\b(?:my )?pronouns(?: are|:|=)?|\bI (?:use|go by)) (?<p>(?:she|he|they|ze|xe|it|any)\s*/\s*(?:her|him|them|hir|zir|xem|its|all|they|he|she)(?:\s*/\s*[a-z]+)?)`,
    build: (m, _clause, ctx) => {
      const object = m.groups!.p!.replace(/\s+/g, '').toLowerCase();
      return [{ predicate: 'pronouns', object, statement: `uses ${object} pronouns`, category: 'identity', about: ctx.owner }];
    },
  },
];
