// What someone means to do and what is coming up: plans_to, wants_to, has_event; and what they own (owns).
import { EVENT_NOUNS, infinitiveOfGerund, isKnownPlace } from '../lexicon.js';
import { cleanObject } from '../objects.js';
import { findDate, type ResolvedDate } from '../dates.js';
import { ADV, NEG_DO, POSSESSOR, dateIn, denied, possessorAbout, re, reAll, withDate, type ClauseRule, type Finding, type FrameRule, type RuleContext } from '../pattern.js';

/** Verbs that make "I'll…" or "I'm going to…" talk, not a plan ("I'll let you know", "I'm going to be honest"). */
const FILLER = /^(?:be|try|let|think|see|check|ask|tell|say|know|hear|understand|learn more|clarify|confirm|apologi[sz]e|thank|cancel|order|discuss|point out|get back|look into|look at|talk|call you|text you|make sure|send|give|do (?:it|that|this)|keep|need|write (?:you|back)|reply|answer|explain|share|help|take (?:a look|a break|a nap|a shower|care)|have to|bet|guess|admit|pass|leave (?:it|that)|stop|go (?:to bed|to sleep|now|ahead)|sleep|eat|grab|head (?:out|off|to bed)|wait|figure|mention|remember|show|find out|sort|deal|handle|work on (?:it|that)|read|watch|listen|start with|add|update|miss|come back|catch|put)\b/i;
/** Verbs that carry a plan by themselves, so "I'll move to Berlin" counts even without a date. */
const PLAN_VERBS = /^(?:move|relocate|travel|visit|fly|start|quit|retire|graduate|buy|sell|adopt|apply|marry|get married|get engaged|propose|run|attend|launch|open|study|learn|take (?:a|an|my) (?:trip|vacation|holiday|course|class|year)|go (?:to|back|on)|begin|join|change|switch|build|renovate|train|enroll|enrol)\b/i;

function planFinding(plan: string, when: ResolvedDate | null, confidence: number, positive = true): Finding {
  const statement = positive ? withDate(`plans to ${plan}`, when) : `does not plan to ${plan}`;
  return { predicate: 'plans_to', object: plan, statement, category: 'plan', when: when?.at ?? null, confidence, positive };
}

function planObject(raw: string, ctx: RuleContext): string | null {
  const object = cleanObject(raw, 'plan', ctx.occurredAt);
  if (!object || /\b(?:you|your|u)\b/i.test(object) || /\b(?:that|this|it|them|those|these)$/i.test(object)) return null;
  return object.replace(/\s+(?:soon|someday|one day|eventually|at some point|this time)$/i, '');
}

/** Where one goes rather than what one does: "going to bed" is not "going to <verb>". */
const DESTINATIONS = /^(?:bed|sleep|work|school|church|class|college|uni|university|town|dinner|lunch|breakfast|brunch|practice|rehab|therapy|prison|jail|court|hospital|war|mass|camp|sea|pieces|hell|heaven|bat|pot)\b/i;

/** Progressives other rules read (travel, work, study, learning, relationships) or that are not plans. */
const ELSEWHERE_PROGRESSIVE = /^(?:going|flying|travell?ing|heading|driving|leaving|moving|relocating|visiting|getting|planning|hoping|thinking|considering|feeling|looking|trying|doing|working|living|staying|being|learning|studying|reading|watching|playing|eating|drinking|talking|saying|telling|asking|wondering|waiting|dating|seeing|using|making|running late|freaking|kidding|joking|dying|loving|enjoying|missing|worrying)$/i;

const EVENT_RE = `(?:[a-z'-]+ ){0,2}(?:${[...EVENT_NOUNS].join('|')})`;

export const planRules: FrameRule[] = [
  {
    id: 'plans_to',
    plural: true,
    re: re`^${ADV}(?<neg>${NEG_DO})?${ADV}(?<how>(?:am|is|are) (?:not )?${ADV}(?:going to|planning to|planning on|about to|set to|scheduled to|due to)|(?:plan|plans|intend|intends|aim|aims|expect|expects) to|(?:have|has) ${ADV}decided (?:not )?to|decided (?:not )?to|will (?:not )?${ADV}|(?:am|is|are) (?:thinking|considering) (?:about |of )?|might|may|(?:am|is|are) considering)(?<obj>.+)`,
    build(m, frame, ctx) {
      const how = m.groups!.how!.toLowerCase();
      const obj = m.groups!.obj!.trim();
      const rawObject = /planning on|thinking|considering/.test(how) ? infinitiveOfGerund(obj) : obj;
      if (/going to$/.test(how) && !/^[a-z]+\b/.test(rawObject)) return [];
      if (/going to$/.test(how) && (/^(?:the|a|an|my|our|his|her|their|this|that)\b/i.test(rawObject) || isKnownPlace(rawObject.split(' ')[0]!))) return [];
      if (FILLER.test(rawObject) && !/^be (?:moving|starting|travell?ing|visiting|getting)\b/i.test(rawObject)) return [];
      if (/going to$/.test(how) && DESTINATIONS.test(rawObject)) return [];
      const when = dateIn(frame.clause, ctx, 'future');
      const tentative = /will|might|may|thinking|considering/.test(how);
      if (tentative && !when && !PLAN_VERBS.test(rawObject)) return [];
      const plan = planObject(rawObject, ctx);
      if (!plan) return [];
      const confidence = /might|may|thinking|considering/.test(how) ? 0.5 : /will/.test(how) ? 0.8 : 0.85;
      return [planFinding(plan, when, confidence, !denied(m.groups!.neg) && !denied(how))];
    },
  },
  {
    // "My son is starting kindergarten in September", "I'm having surgery next week": the present progressive with a future date.
    id: 'arranged',
    plural: true,
    re: re`^${ADV}(?:am|is|are) ${ADV}(?<verb>[a-z]+ing) (?<obj>.+)`,
    build(m, frame, ctx) {
      const verb = m.groups!.verb!.toLowerCase();
      if (ELSEWHERE_PROGRESSIVE.test(verb) || (verb === 'starting' && /^(?:at|with|a new job|my new job|working)\b/i.test(m.groups!.obj!))) return [];
      const when = dateIn(frame.clause, ctx, 'future');
      // Later today is an errand ("cooking dinner tonight"), not a plan worth remembering.
      if (!when || when.at <= ctx.occurredAt) return [];
      if (verb === 'expecting' && /\bbab(?:y|ies)\b/i.test(m.groups!.obj!)) {
        return [{ predicate: 'has_event', object: 'baby due', statement: withDate('is expecting a baby due', when), category: 'plan', when: when.at }];
      }
      const plan = planObject(`${infinitiveOfGerund(verb)} ${m.groups!.obj}`, ctx);
      return plan ? [planFinding(plan, when, 0.8)] : [];
    },
  },
  {
    id: 'wants_to',
    re: re`^${ADV}(?<neg>${NEG_DO})?${ADV}(?:would ${ADV}(?:like|love) to|want to|wants to|(?:am|is|are) ${ADV}hoping to|hope to|hopes to|(?:am|is|are) hoping to|(?:am|is|are) dying to|(?:have|has) always wanted to|dream of|dreams of|(?:am|is|are) dreaming of|wish to|long to) (?<obj>.+)`,
    build(m, frame, ctx) {
      const raw = infinitiveOfGerund(m.groups!.obj!);
      if (FILLER.test(raw) && !/^be (?:a|an)\b/i.test(raw)) return [];
      const object = planObject(raw, ctx);
      if (!object) return [];
      const positive = !denied(m.groups!.neg);
      const when = positive ? dateIn(frame.clause, ctx, 'future') : null;
      const statement = positive ? withDate(`wants to ${object}`, when) : `does not want to ${object}`;
      return [{ predicate: 'wants_to', object, statement, category: 'plan', positive, confidence: 0.7, when: when?.at ?? null }];
    },
  },
  {
    id: 'has_event',
    plural: true,
    re: re`^${ADV}(?:(?:have|has) (?:got )?|(?:am|is|are) (?:going to|attending|having) |will (?:have|be attending) )(?<det>an? |my |our |the |his |her |their )(?<event>${EVENT_RE})\b(?<rest>.*)`,
    build(m, frame, ctx) {
      const event = m.groups!.event!;
      const when = dateIn(frame.clause, ctx, 'future');
      if (!when) return [];
      const det = m.groups!.det!.trim().toLowerCase();
      const owner = det === 'a' || det === 'an' ? det : 'their';
      return [{ predicate: 'has_event', object: event, statement: withDate(`has ${owner} ${event}`, when), category: 'plan', when: when.at }];
    },
  },
  {
    id: 'owns',
    plural: true,
    re: re`^${ADV}(?<neg>${NEG_DO})?${ADV}(?<verb>own|owns|have|has|(?:have|has) got|bought|(?:have|has) (?:just )?bought|drive|drives|ride|rides|run|runs|manage|manages) (?<obj>(?:an? |two |my own |a new |an old |a second )?(?:[\w-]+ ){0,3}?(?:car|truck|van|suv|motorcycle|motorbike|scooter|bike|bicycle|e-bike|boat|yacht|house|home|apartment|flat|condo|cabin|cottage|farm|ranch|piano|tesla|jeep|prius|camper|rv|caravan|beach house|vacation home|summer house|business|restaurant|cafe|shop|bakery|store|company))\b(?<rest>.*)`,
    build(m, frame, ctx) {
      if (/^(?:\s+(?:ride|trip|wash|key|keys|loan|payment|insurance|accident|door|party|tour|meeting|chat)|'s)/i.test(m.groups!.rest!)) return [];
      const runs = /^(?:run|runs|manage|manages)$/i.test(m.groups!.verb!);
      if (runs && !/(?:business|restaurant|cafe|shop|bakery|store|company|farm|ranch)$/i.test(m.groups!.obj!)) return [];
      const object = cleanObject(m.groups!.obj!.replace(/^(?:an?|my own|the)\s+/i, ''), 'thing', ctx.occurredAt);
      if (!object) return [];
      const positive = !denied(m.groups!.neg);
      const bought = /bought/i.test(m.groups!.verb!);
      const when = bought ? dateIn(frame.clause, ctx, 'past') : null;
      const article = /^(?:two|\d)/.test(object) ? '' : /^[aeiou]/i.test(object) ? 'an ' : 'a ';
      const verb = runs ? 'runs' : 'owns';
      return [{ predicate: 'owns', object, statement: positive ? `${verb} ${article}${object}` : `does not own ${article}${object}`, category: 'possession', positive, ...(when ? { validFrom: when.at } : {}), confidence: frame.plural ? 0.8 : 0.85 }];
    },
  },
];

export const planClauseRules: ClauseRule[] = [
  {
    id: 'my_event_is',
    re: reAll`\b${POSSESSOR} (?<event>${EVENT_RE}(?: (?:to|in|at|with|for) [A-Z][\w'-]*(?: [A-Z][\w'-]*)*)?) (?:is|are|will be|was|starts|begins|takes place|is happening|is scheduled)(?<rest>.*)`,
    build(m, _clause, ctx) {
      const event = m.groups!.event!;
      if (/^birthday$/i.test(event)) return [];
      const rest = m.groups!.rest!;
      const when = findDate(rest, ctx.occurredAt, /^ was\b/.test(m[0].slice(m[0].indexOf(event) + event.length)) ? 'past' : 'future');
      if (!when || when.start > 20) return [];
      const about = possessorAbout(m.groups!.poss!, ctx);
      return [{ predicate: 'has_event', object: event, statement: withDate(`has their ${event}`, when), category: 'plan', when: when.at, about }];
    },
  },
];
