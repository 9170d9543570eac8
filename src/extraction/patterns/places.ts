// Where people live, come from, moved and travelled: lives_in, from, birthplace, visited.
import { isKnownOrganization, isKnownPlace } from '../lexicon.js';
import { cleanObject, placeLike, splitList } from '../objects.js';
import { ADV, BE, NEG_DO, POSSESSOR, dateIn, denied, heldSince, possessorAbout, re, reAll, stopped, withDate, type ClauseRule, type Finding, type FrameRule, type RuleContext } from '../pattern.js';

const SCHOOLISH = /\b(?:university|college|school|institute|academy|polytechnic|uni)\b/i;
/** Everyday destinations: "I went to the gym" is not a visit worth remembering. */
const ERRANDS = /^(?:the )?(?:gym|store|shop|shops|supermarket|bank|office|doctor|dentist|bed|sleep|work|school|class|church|bathroom|toilet|kitchen|park|mall|beach|pub|bar|party|movies|cinema|hospital|airport|station|library|market|post office|pharmacy|home|my \w+|his \w+|her \w+|their \w+)$/i;

function place(raw: string, ctx: RuleContext): string | null {
  return cleanObject(raw, 'place', ctx.occurredAt);
}

function livesIn(object: string, extra: Partial<Finding> = {}): Finding {
  const positive = extra.positive ?? true;
  const statement = extra.statement ?? (positive ? `lives in ${object}` : `does not live in ${object}`);
  return { predicate: 'lives_in', object, statement, category: 'place', ...extra };
}

export const placeClauseRules: ClauseRule[] = [
  {
    id: 'address',
    re: reAll`\b${POSSESSOR} (?:new |current |home )?(?:address|home|place|apartment|flat|house) is (?:now )?(?:in|on|near) (?<obj>[A-Z].*)`,
    build(m, _clause, ctx) {
      const object = place(m.groups!.obj!, ctx);
      if (!object || !placeLike(object)) return [];
      return [livesIn(object, { about: possessorAbout(m.groups!.poss!, ctx), confidence: 0.85 })];
    },
  },
];

export const placeRules: FrameRule[] = [
  {
    id: 'lives_in',
    plural: true,
    re: re`^${ADV}(?<neg>${NEG_DO}|(?:am|is|are) not )?${ADV}(?:live|lives|living|(?:am|is|are|have been|has been) ${ADV}living|(?:have|has) ${ADV}lived|reside|resides|(?:am|is|are) ${ADV}(?:based|located|settled))${ADV} (?:in|at) (?<obj>.+)`,
    build(m, frame, ctx) {
      const object = place(m.groups!.obj!, ctx);
      if (!object) return [];
      if (denied(m.groups!.neg)) {
        const statement = stopped(frame.rest) ? `no longer lives in ${object}` : `does not live in ${object}`;
        return [livesIn(object, { positive: false, statement })];
      }
      return [livesIn(object, { confidence: placeLike(object) ? 0.9 : 0.7, validFrom: heldSince(frame.clause, ctx) })];
    },
  },
  {
    id: 'used_to_live_in',
    plural: true,
    re: re`^${ADV}(?:used to live|lived|(?:have|has) lived) (?:in|at) (?<obj>.+)`,
    build(m, frame, ctx) {
      const object = place(m.groups!.obj!, ctx);
      if (!object) return [];
      const usedTo = /^(?:\w+ )*used to/.test(frame.rest);
      if (!usedTo && /^(?:have|has) lived/.test(frame.rest)) return [];
      const when = dateIn(frame.clause, ctx, 'past');
      return [livesIn(object, { statement: `used to live in ${object}`, validTo: ctx.occurredAt, validFrom: when?.at ?? null, confidence: usedTo ? 0.9 : 0.7 })];
    },
  },
  {
    id: 'no_longer_lives_in',
    plural: true,
    re: re`^${ADV}(?:moved out of|left) (?<obj>[A-Z].*)`,
    build(m, _frame, ctx) {
      const object = place(m.groups!.obj!, ctx);
      if (!object || !isKnownPlace(object) || isKnownOrganization(object) || SCHOOLISH.test(object)) return [];
      return [livesIn(object, { positive: false, statement: `no longer lives in ${object}`, confidence: 0.7 })];
    },
  },
  {
    id: 'moved',
    plural: true,
    re: re`^${ADV}(?:(?:have|has|had) )?${ADV}(?:moved|relocated|emigrated|immigrated)(?: back| here| over| away| out| abroad)?(?: from (?<from>.+?))?(?: (?:to|into) (?<to>.+?))?(?: from (?<from2>.+?))?$`,
    build(m, frame, ctx) {
      const when = dateIn(frame.clause, ctx, 'past');
      const to = m.groups!.to ? place(m.groups!.to, ctx) : null;
      const fromRaw = m.groups!.from ?? m.groups!.from2;
      const from = fromRaw ? place(fromRaw, ctx) : null;
      const out: Finding[] = [];
      if (to && (placeLike(to) || !/^(?:a|an|the|my|our)\b/i.test(to))) {
        out.push(livesIn(to, { validFrom: when?.at ?? null }));
      }
      if (from && placeLike(from)) out.push(livesIn(from, { statement: `used to live in ${from}`, validTo: when?.at ?? ctx.occurredAt }));
      return out;
    },
  },
  {
    id: 'from',
    re: re`^${ADV}(?<neg>(?:am|is|are) not |${NEG_DO})?${ADV}(?:(?:am|is|are) ${ADV}from|comes? ${ADV}from|grew up in|(?:was|were) (?:born and )?raised in|hails? from) (?<obj>.+)`,
    build(m, _frame, ctx) {
      const object = place(m.groups!.obj!, ctx);
      if (!object || !placeLike(object) && !/^(?:a|an|the)\s/.test(object)) return [];
      const positive = !denied(m.groups!.neg);
      return [{ predicate: 'from', object, statement: positive ? `is from ${object}` : `is not from ${object}`, category: 'identity', positive }];
    },
  },
  {
    id: 'born_in',
    re: re`^${ADV}(?:was|were) born (?:in|at) (?<obj>.+)`,
    build(m, frame, ctx) {
      const year = /^(\d{4})\b/.exec(m.groups!.obj!);
      if (year) return [{ predicate: 'birth_year', object: year[1]!, statement: `was born in ${year[1]}`, category: 'identity' }];
      const date = dateIn(`in ${m.groups!.obj}`, ctx, 'past');
      if (date && date.start === 0) return [];
      const object = place(m.groups!.obj!, ctx);
      if (!object || !placeLike(object)) return [];
      const out: Finding[] = [{ predicate: 'birthplace', object, statement: `was born in ${object}`, category: 'identity' }];
      const born = dateIn(frame.rest, ctx, 'past');
      if (born?.explicitYear) out.push({ predicate: 'birth_year', object: String(new Date(born.at).getUTCFullYear()), statement: `was born in ${new Date(born.at).getUTCFullYear()}`, category: 'identity' });
      return out;
    },
  },
  {
    id: 'visited',
    plural: true,
    re: re`^${ADV}(?<neg>never |(?:have|has) never |did not |(?:have|has) not )?${ADV}(?:(?:have|has) ${ADV}(?:been to|visited|travell?ed to|gone to)|been to|visited|went (?:back )?to|travell?ed to|flew to|drove to|took a trip to|went on a trip to|spent (?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+|a few|a couple of|some) (?:days?|weeks?|months?|nights?|years?|time|summers?) in|(?:was|were) (?:in|at)|got back from|came back from|returned from|(?:am|is|are) back from) (?<obj>.+)`,
    build(m, frame, ctx) {
      const object = place(m.groups!.obj!, ctx);
      if (!object || ERRANDS.test(object)) return [];
      const when = dateIn(frame.clause, ctx, 'past');
      const casual = /^(?:\w+ )*(?:went|was|were)\b/i.test(frame.rest);
      if (!placeLike(object) || (casual && !/^[A-Z]/.test(object) && !when)) return [];
      if (SCHOOLISH.test(object)) {
        return [{ predicate: 'studies_at', object, statement: `studied at ${object}`, category: 'occupation', validTo: ctx.occurredAt, confidence: 0.7 }];
      }
      const positive = !denied(m.groups!.neg);
      return splitList(object).map((item) => ({
        predicate: 'visited',
        object: item,
        statement: positive ? `visited ${item}` : `has never been to ${item}`,
        category: 'place' as const,
        positive,
        when: positive ? (when?.at ?? null) : null,
      }));
    },
  },
  {
    id: 'travel_plan',
    plural: true,
    re: re`^${ADV}(?<verb>${BE} (?:not )?${ADV}going on (?:a |an |our |my |his |her |their )?(?:\w+ )?(?:vacation|holiday|trip|honeymoon|cruise|tour|getaway|road trip)(?: to| in)?|${BE} (?:not )?${ADV}going to (?:go|fly|travel|visit|move|relocate)|${BE} (?:not )?${ADV}planning (?:to|on) (?:go|fly|travel|visit|move|relocate|going|flying|travell?ing|visiting|moving|relocating)|${BE} (?:not )?${ADV}(?:going|flying|travell?ing|heading|driving|off|leaving|moving|relocating|visiting)|will (?:not )?${ADV}(?:be going|go|fly|travel|head|be travell?ing|be flying|visit|be visiting|be in|move|relocate|be moving|be relocating))(?: back)?(?: (?:to|for|out to|over to|down to|up to))? (?<obj>.+)`,
    build(m, frame, ctx) {
      const raw = m.groups!.obj!;
      const verb = m.groups!.verb!;
      if (/going$/i.test(verb) && /^[a-z]/.test(raw) && !/^(?:the|a|an)\s/i.test(raw) && !placeLike(raw.split(' ')[0]!)) return [];
      const visiting = /visit/i.test(verb);
      const object = visiting ? cleanObject(raw, 'thing', ctx.occurredAt) : place(raw, ctx);
      if (!object || ERRANDS.test(object)) return [];
      const when = dateIn(frame.clause, ctx, 'future');
      if (!placeLike(object) && (!when || /\bnot\b/.test(verb))) return [];
      const plan = /mov|relocat/i.test(verb) ? `move to ${object}` : visiting ? `visit ${object}` : `travel to ${object}`;
      if (/\bnot\b/.test(verb)) return [{ predicate: 'plans_to', object: plan, statement: `${stopped(frame.clause) || /after all/i.test(frame.clause) ? 'no longer plans' : 'does not plan'} to ${plan}`, category: 'plan', positive: false, confidence: 0.85 }];
      return [{ predicate: 'plans_to', object: plan, statement: withDate(`plans to ${plan}`, when), category: 'plan', when: when?.at ?? null, confidence: 0.85 }];
    },
  },
];
