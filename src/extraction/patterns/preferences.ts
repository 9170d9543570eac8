// Tastes and habits: likes, loves, dislikes, hates, prefers, favorite_*, diet, eats, drinks, smokes, allergic_to, hobby.
import { ACTIVITY_VERBS, DIETS, gerund, thirdPerson } from '../lexicon.js';
import { cleanObject, splitList } from '../objects.js';
import { ADV, NEG_DO, POSSESSOR, dateIn, denied, heldSince, possessorAbout, re, reAll, stopped, withDate, type ClauseRule, type Finding, type FrameRule } from '../pattern.js';

type Taste = 'likes' | 'loves' | 'dislikes' | 'hates' | 'prefers';

const TASTE_WORDS: Array<[RegExp, Taste]> = [
  [/^(?:love|loves|adore|adores|(?:am|is|are) (?:obsessed with|passionate about|crazy about|in love with|a huge fan of|a massive fan of))$/i, 'loves'],
  [/^(?:hate|hates|detest|detests|despise|despises|loathe|loathes|can not stand|could not stand|can not bear)$/i, 'hates'],
  [/^(?:dislike|dislikes)$/i, 'dislikes'],
  [/^(?:prefer|prefers)$/i, 'prefers'],
  [/^(?:liked|enjoyed|cared for)$/i, 'likes'],
  [/^loved$/i, 'loves'],
  [/.*/, 'likes'],
];

const TASTE_STATEMENT: Record<Taste, [positive: string, negative: string]> = {
  likes: ['likes', 'does not like'],
  loves: ['loves', 'does not love'],
  dislikes: ['dislikes', 'does not dislike'],
  hates: ['hates', 'does not hate'],
  prefers: ['prefers', 'does not prefer'],
};

/** "to cook" → "cooking": liked activities read as things. */
function asThing(raw: string): string {
  return raw.replace(/^to (\w+)/i, (_all, verb: string) => gerund(verb));
}

function tastes(predicate: Taste, rawObject: string, positive: boolean, occurredAt: number): Finding[] {
  // "tea over coffee": what is preferred is the first.
  const raw = predicate === 'prefers' ? rawObject.replace(/\s+(?:to|over|more than|rather than|instead of) .*$/i, '') : rawObject;
  const cleaned = cleanObject(asThing(raw), 'thing', occurredAt, true);
  if (!cleaned) return [];
  const [yes, no] = TASTE_STATEMENT[predicate];
  return splitList(cleaned).map((item) => ({
    predicate,
    object: item,
    statement: `${positive ? yes : no} ${item}`,
    category: 'preference' as const,
    positive,
  }));
}

function diet(value: string, extra: Partial<Finding> = {}): Finding {
  const positive = extra.positive ?? true;
  const statement = extra.statement ?? (positive ? `is ${value}` : `is not ${value}`);
  return { predicate: 'diet', object: value, statement, category: 'preference', ...extra };
}

function hobby(object: string, statement: string, extra: Partial<Finding> = {}): Finding {
  return { predicate: 'hobby', object, statement, category: 'preference', ...extra };
}

const SPORTS_AND_PRACTICES = 'yoga|pilates|crossfit|martial arts|karate|judo|jiu-jitsu|jiu jitsu|bjj|taekwondo|boxing|kickboxing|muay thai|ballet|parkour|archery|calisthenics|weightlifting|powerlifting|photography|pottery|woodworking|gardening|tai chi|meditation|improv|stand-up|standup|cosplay|origami|calligraphy|embroidery|needlepoint';
const FREQUENCY = '(?:every (?:day|morning|evening|night|week|weekend|sunday|saturday)|each (?:day|week|morning)|a lot|often|regularly|daily|weekly|sometimes|occasionally|on (?:the )?weekends|at weekends|twice a week|three times a week|once a week|in my (?:free|spare) time|for fun|as a hobby|competitively|most days|religiously|whenever I can|when I can)';

/** A hobby verb in its base form, from "run" or "runs" or "dances". */
function activityBase(word: string): string | null {
  const lower = word.toLowerCase();
  return [lower, lower.replace(/s$/, ''), lower.replace(/es$/, '')].find((form) => ACTIVITY_VERBS.has(form)) ?? null;
}

const ACTIVITY_GERUNDS = new Map([...ACTIVITY_VERBS].map((verb) => [gerund(verb), verb]));

/** A hobby verb in its base form, from "running". */
function activityFromGerund(word: string): string | null {
  return ACTIVITY_GERUNDS.get(word.toLowerCase()) ?? null;
}

export const preferenceRules: FrameRule[] = [
  {
    id: 'taste',
    re: re`^${ADV}(?<neg>${NEG_DO}|(?:am|is|are) not (?:really )?|(?:am|is|are) no longer )?${ADV}(?<verb>(?<=never )(?:liked|loved|enjoyed|cared for)|like|likes|love|loves|enjoy|enjoys|adore|adores|hate|hates|dislike|dislikes|detest|detests|despise|despises|loathe|loathes|prefer|prefers|can not stand|could not stand|can not bear|(?:am|is|are) (?:really )?(?:into|obsessed with|passionate about|crazy about|in love with|a (?:big |huge |massive |long-time |longtime )?fan of)|into|obsessed with|passionate about|crazy about|in love with|a (?:big |huge |massive |long-time |longtime )?fan of)${ADV} (?<obj>.+)`,
    build(m, _frame, ctx) {
      const verb = m.groups!.verb!.replace(/^(?:am|is|are) (?:really )?/i, '');
      const predicate = TASTE_WORDS.find(([pattern]) => pattern.test(m.groups!.verb!) || pattern.test(verb))![1];
      const positive = !denied(m.groups!.neg);
      if (/^(?:it|that|this|them|when|how|what|the way|the idea|not|to (?:think|say|believe|imagine|pretend|know|call|keep|make sure|admit|be honest))\b/i.test(m.groups!.obj!)) return [];
      return tastes(/huge|massive/i.test(verb) ? 'loves' : predicate, m.groups!.obj!, positive, ctx.occurredAt);
    },
  },
  {
    id: 'diet',
    re: re`^(?:am|is|are|(?:have|has) been) ${ADV}(?<neg>not |no longer )?${ADV}(?:an? |on an? |following an? |strictly |fully |mostly |pretty much )?(?<diet>[a-z-]+)(?: diet)?(?=$|,|\s(?:now|and|but|since|for|these|anymore|any more|though|btw|lol)\b)`,
    build(m, frame, ctx) {
      const value = m.groups!.diet!.toLowerCase();
      if (!DIETS.has(value)) return [];
      const positive = !denied(m.groups!.neg);
      const statement = positive ? undefined : stopped(frame.rest) ? `is no longer ${value}` : `is not ${value}`;
      return [diet(value, { positive, ...(statement ? { statement } : {}), ...(positive ? { validFrom: heldSince(frame.clause, ctx) } : {}) })];
    },
  },
  {
    id: 'went_diet',
    re: re`^${ADV}(?:went|(?:have|has) gone|turned|became|(?:have|has) become|switched to|(?:have|has) been|follow|follows|eat|eats) (?:an? )?(?<diet>[a-z-]+)(?: diet)?(?=$|,|\s)`,
    build(m, frame, ctx) {
      const value = m.groups!.diet!.toLowerCase();
      if (!DIETS.has(value)) return [];
      const changed = /^(?:\w+ )*(?:went|gone|turned|became|become|switched)/i.test(frame.rest);
      const when = changed ? dateIn(frame.clause, ctx, 'past') : null;
      return [diet(value, { validFrom: when?.at ?? heldSince(frame.clause, ctx) })];
    },
  },
  {
    id: 'eats_drinks',
    re: re`^${ADV}(?<neg>${NEG_DO}|can not |(?:stopped|quit|gave up|(?:have|has) (?:stopped|quit|given up)) )?(?<used>used to )?${ADV}(?<verb>eat|eats|eating|drink|drinks|drinking|smoke|smokes|smoking)(?: (?:a lot of|lots of|plenty of|tons of|loads of|so much|too much|way too much|a ton of))?(?: (?<obj>.+))?$`,
    build(m, frame, ctx) {
      const negation = m.groups!.neg ?? '';
      const quit = /stopped|quit|gave|given/i.test(negation);
      if (!negation && /ing$/i.test(m.groups!.verb!)) return [];
      const verb = m.groups!.verb!.toLowerCase().replace(/ing$/, '').replace(/s$/, '').replace(/^smok$/, 'smoke');
      const predicate = verb === 'eat' ? 'eats' : verb === 'drink' ? 'drinks' : 'smokes';
      const defaultObject = predicate === 'drinks' ? 'alcohol' : predicate === 'smokes' ? 'tobacco' : null;
      const raw = m.groups!.obj ? cleanObject(m.groups!.obj, 'thing', ctx.occurredAt, true) : null;
      const objects = raw ? splitList(raw) : defaultObject ? [defaultObject] : [];
      const positive = !negation;
      if (positive && (objects.length === 0 || raw && (raw.split(' ').length > 3 || /^(?:a|an|the|my|some|lunch|dinner|breakfast)\b/i.test(raw)))) return [];
      const when = quit ? dateIn(frame.clause, ctx, 'past') : null;
      if (m.groups!.used && positive) {
        return objects.map((object) => ({ predicate, object, statement: `used to ${verb}${object === defaultObject ? '' : ` ${object}`}`, category: 'preference' as const, validTo: ctx.occurredAt }));
      }
      const third = { eats: 'eats', drinks: 'drinks', smokes: 'smokes' }[predicate];
      return objects.map((object) => {
        const what = object === defaultObject ? '' : ` ${object}`;
        return {
        predicate,
        object,
        statement: positive ? `${third}${what}` : quit ? `no longer ${third}${what}` : `does not ${verb}${what}`,
        category: 'preference' as const,
        positive,
        ...(when ? { validFrom: when.at } : {}),
      };
      });
    },
  },
  {
    id: 'smoker',
    re: re`^(?:am|is|are) ${ADV}(?<neg>not |no longer |never )?(?:an? )?(?<kind>smoker|non-smoker|nonsmoker|drinker|non-drinker|heavy smoker|social smoker|heavy drinker|social drinker)\b`,
    build(m, frame) {
      const kind = m.groups!.kind!.toLowerCase();
      const predicate = /smoker/.test(kind) ? 'smokes' : 'drinks';
      const object = predicate === 'smokes' ? 'tobacco' : 'alcohol';
      const positive = !denied(m.groups!.neg) !== /non/.test(kind);
      const verb = predicate === 'smokes' ? 'smoke' : 'drink';
      const statement = positive ? `${predicate}${/social/.test(kind) ? ' socially' : ''}` : stopped(frame.rest) ? `no longer ${predicate}` : `does not ${verb}`;
      return [{ predicate, object, statement, category: 'preference', positive }];
    },
  },
  {
    id: 'allergic',
    re: re`^(?:am|is|are) ${ADV}(?<neg>not )?(?:severely |very |mildly |deathly )?(?:allergic to|intolerant to) (?<obj>.+)`,
    build(m, _frame, ctx) {
      const list = cleanObject(m.groups!.obj!, 'thing', ctx.occurredAt, true);
      if (!list) return [];
      const positive = !denied(m.groups!.neg);
      return splitList(list).map((item) => ({ predicate: 'allergic_to', object: item, statement: positive ? `is allergic to ${item}` : `is not allergic to ${item}`, category: 'preference' as const, positive }));
    },
  },
  {
    id: 'intolerant',
    re: re`^(?:am|is|are) ${ADV}(?<neg>not )?(?<what>lactose|gluten|dairy|fructose|histamine)[- ]intolerant\b|^(?:have|has) (?<celiac>celiac|coeliac)`,
    build(m) {
      const what = m.groups!.celiac ? 'gluten' : m.groups!.what!.toLowerCase();
      const positive = !denied(m.groups!.neg);
      return [{ predicate: 'allergic_to', object: what, statement: positive ? `is ${what} intolerant` : `is not ${what} intolerant`, category: 'preference', positive }];
    },
  },
  {
    id: 'plays',
    re: re`^${ADV}(?<neg>${NEG_DO})?${ADV}(?:play|plays|(?:am|is|are) playing|(?:have|has) been playing|(?:have|has) played|used to play)(?: (?:the|some|a lot of|lots of))? (?<obj>.+)`,
    build(m, frame, ctx) {
      if (/^(?:with|a role|a part|it|along|around|games with|together|by|on|in|at|for|you|him|her|them)\b/i.test(m.groups!.obj!)) return [];
      const object = cleanObject(m.groups!.obj!, 'thing', ctx.occurredAt, true);
      if (!object) return [];
      const positive = !denied(m.groups!.neg);
      const past = /used to/i.test(frame.rest);
      return splitList(object).map((item) => hobby(item, positive ? (past ? `used to play ${item}` : `plays ${item}`) : `does not play ${item}`, { positive, ...(past ? { validTo: ctx.occurredAt } : {}) }));
    },
  },
  {
    id: 'goes_doing',
    re: re`^${ADV}(?:go|goes|(?:am|is|are) going|(?:have|has) been going|love going|like going|enjoy going) (?<ger>[a-z]+ing)\b(?<rest>.*)`,
    build(m, frame, ctx) {
      const verb = activityFromGerund(m.groups!.ger!);
      if (!verb) return [];
      const object = gerund(verb);
      const when = /^(?:am|is|are) going/i.test(frame.rest) ? dateIn(frame.clause, ctx, 'future') : null;
      if (when) return [{ predicate: 'plans_to', object: `go ${object}`, statement: withDate(`plans to go ${object}`, when), category: 'plan', when: when.at, confidence: 0.85 }];
      return [hobby(object, `goes ${object}`)];
    },
  },
  {
    id: 'goes_for_a',
    re: re`^${ADV}(?:go|goes|(?:have|has) been going|love going|like going) for (?:a |an )?(?:long |quick |short |daily |morning |evening )?(?<what>run|jog|swim|hike|walk|bike ride|ride|paddle|surf)s?\b`,
    build(m) {
      const verb = m.groups!.what!.replace('bike ride', 'cycle').replace('ride', 'cycle');
      const object = gerund(verb);
      return [hobby(object, `goes for a ${m.groups!.what}`)];
    },
  },
  {
    id: 'classes',
    re: re`^${ADV}(?:started |began |(?:am|is|are) |(?:have|has) been )?(?:taking|doing|attending) (?:some |a )?(?<what>[a-z][\w -]{1,30}?) (?:classes|lessons|course|class)\b`,
    build(m, frame, ctx) {
      const what = m.groups!.what!.toLowerCase();
      if (/^(?:online|evening|night|the|my|these|those|extra|some|private|group)$/.test(what)) return [];
      const started = /^(?:\w+ )*(?:started|began)/i.test(frame.rest);
      const when = started ? dateIn(frame.clause, ctx, 'past') : null;
      return [hobby(what, `takes ${what} classes`, { confidence: 0.85, ...(when ? { validFrom: when.at } : {}) })];
    },
  },
  {
    id: 'does_practice',
    re: re`^${ADV}(?<neg>${NEG_DO})?${ADV}(?:do|does|practice|practise|practices|practises|(?:am|is|are) doing|(?:have|has) been doing|(?:am|is|are) (?:really )?into|took up|(?:have|has) taken up|started|got into) (?:some |a lot of )?(?<obj>${SPORTS_AND_PRACTICES})\b`,
    build(m, frame, ctx) {
      const object = m.groups!.obj!.toLowerCase();
      const positive = !denied(m.groups!.neg);
      const started = /took|taken|started|got into/i.test(frame.rest);
      const when = started ? dateIn(frame.clause, ctx, 'past') : null;
      return [hobby(object, positive ? `does ${object}` : `does not do ${object}`, { positive, ...(when ? { validFrom: when.at } : {}) })];
    },
  },
  {
    id: 'activity',
    re: re`^${ADV}(?<neg>${NEG_DO})?${ADV}(?<progressive>(?:have|has) been )?(?<verb>[a-z]+)(?<rest>(?: (?:a lot|loads|quite a bit|more|regularly|lately|recently|again|so much|a bunch|nonstop|seriously))*(?: ${FREQUENCY})?)$`,
    build(m) {
      const word = m.groups!.verb!;
      const progressive = Boolean(m.groups!.progressive);
      if (/ing$/.test(word) !== progressive) return [];
      const base = progressive ? activityFromGerund(word) : activityBase(word);
      if (!base) return [];
      const object = gerund(base);
      const positive = !denied(m.groups!.neg);
      const statement = positive ? (progressive ? `has been ${object}${m.groups!.rest}` : `${thirdPerson(base)}${m.groups!.rest}`) : `does not ${base}`;
      return [hobby(object, statement, { positive })];
    },
  },
  {
    id: 'took_up',
    re: re`^${ADV}(?:took up|(?:have|has) taken up|picked up|got into|(?:have|has) gotten into|started) (?<ger>[a-z]+ing)\b`,
    build(m, frame, ctx) {
      const verb = activityFromGerund(m.groups!.ger!);
      if (!verb) return [];
      const when = dateIn(frame.clause, ctx, 'past');
      const object = gerund(verb);
      return [hobby(object, `took up ${object}`, { validFrom: when?.at ?? null })];
    },
  },
];

function favoriteCategory(raw: string): string {
  return raw.toLowerCase().replace(/^(?:all-time|all time|absolute|current|most|very|new)\s+/, '').replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

export const preferenceClauseRules: ClauseRule[] = [
  {
    id: 'favorite',
    re: reAll`\b${POSSESSOR} (?:all-time |absolute |current |very |new )?favorite (?<cat>[a-z][a-z -]{1,30}?)(?: (?:of all time|ever|right now|at the moment))? (?:is|are|was|has to be|would be|would have to be|:) (?<obj>.+)`,
    build(m, _clause, ctx) {
      const category = favoriteCategory(m.groups!.cat!);
      const list = cleanObject(m.groups!.obj!.replace(/^(?:probably|definitely|easily|hands down|still) /i, ''), 'thing', ctx.occurredAt, true);
      if (!list || !category) return [];
      const about = possessorAbout(m.groups!.poss!, ctx);
      const label = category.replace(/_/g, ' ');
      return splitList(list).map((item) => ({ predicate: `favorite_${category}`, object: item, statement: `favorite ${label} is ${item}`, category: 'preference' as const, about }));
    },
  },
  {
    id: 'is_my_favorite',
    re: reAll`^(?<obj>[^,]{1,60}?) (?:is|are) ${POSSESSOR} (?:all-time |absolute |current |very )?favorite(?: (?<cat>[a-z][a-z -]{1,30}?))?(?=$|[\s,.!])(?: (?:of all time|ever))?$`,
    build(m, _clause, ctx) {
      const object = cleanObject(m.groups!.obj!, 'thing', ctx.occurredAt);
      if (!object) return [];
      const about = possessorAbout(m.groups!.poss!, ctx);
      if (!m.groups!.cat) return [{ predicate: 'loves', object, statement: `loves ${object}`, category: 'preference', about, confidence: 0.8 }];
      const category = favoriteCategory(m.groups!.cat);
      return [{ predicate: `favorite_${category}`, object, statement: `favorite ${category.replace(/_/g, ' ')} is ${object}`, category: 'preference', about }];
    },
  },
  {
    id: 'hobbies_are',
    re: reAll`\b${POSSESSOR} (?:hobbies|hobby|interests|passions|passion) (?:are|is|include|includes|:) (?<obj>.+)`,
    build(m, _clause, ctx) {
      const list = cleanObject(m.groups!.obj!, 'thing', ctx.occurredAt, true);
      if (!list) return [];
      const about = possessorAbout(m.groups!.poss!, ctx);
      return splitList(list).map((item) => hobby(item, `enjoys ${item}`, { about }));
    },
  },
];
