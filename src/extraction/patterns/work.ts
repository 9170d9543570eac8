// Work and study: works_at, job_title, studies_at, studies, industry, employment_status.
import { isKnownOrganization, isKnownPlace, OCCUPATIONS } from '../lexicon.js';
import { cleanObject, looksProper } from '../objects.js';
import { ADV, BE, NEG_DO, dateIn, denied, heldSince, re, stopped, withDate, type Finding, type FrameRule, type RuleContext } from '../pattern.js';

const SCHOOLISH = /\b(?:university|college|school|institute|academy|polytechnic|uni|conservatory|seminary)\b/i;

/** The word of a job title that says what the job is ("head of marketing" → "head", "data engineers" → "engineer"). */
function titleHead(title: string): string {
  const words = (title.split(/\s+of\s+/i)[0] ?? title).split(/\s+/);
  const last = (words[words.length - 1] ?? '').toLowerCase();
  return OCCUPATIONS.has(last) ? last : last.replace(/s$/, '');
}

export function isOccupation(title: string): boolean {
  return OCCUPATIONS.has(titleHead(title)) || /^(?:head|chief|director|vp|president|lead)\b/i.test(title);
}

export function jobTitle(title: string, extra: Partial<Finding> = {}): Finding {
  const positive = extra.positive ?? true;
  const article = /^(?:head|chief|director|vp|president|ceo|cto|cfo|coo)\b/i.test(title) ? '' : /^[aeiou]/i.test(title) ? 'an ' : 'a ';
  const statement = extra.statement ?? (positive ? `is ${article}${title}` : `is not ${article}${title}`);
  return { predicate: 'job_title', object: title, statement, category: 'occupation', ...extra };
}

export function worksAt(org: string, extra: Partial<Finding> = {}): Finding {
  const positive = extra.positive ?? true;
  const statement = extra.statement ?? (positive ? `works at ${org}` : `does not work at ${org}`);
  const confidence = extra.confidence ?? (looksProper(org) ? 0.9 : 0.7);
  return { predicate: 'works_at', object: org, statement, category: 'occupation', ...extra, confidence };
}

function org(raw: string | undefined, ctx: RuleContext): string | null {
  if (!raw) return null;
  const object = cleanObject(raw, 'org', ctx.occurredAt);
  if (!object || /^(?:myself|himself|herself|themselves|home|it|them)$/i.test(object)) return null;
  return object;
}

function title(raw: string | undefined, ctx: RuleContext): string | null {
  if (!raw) return null;
  return cleanObject(raw.replace(/^(?:an?|the|my)\s+/i, ''), 'title', ctx.occurredAt);
}

function employment(status: string, extra: Partial<Finding> = {}): Finding {
  return { predicate: 'employment_status', object: status, statement: `is ${status}`, category: 'occupation', ...extra };
}

export const workRules: FrameRule[] = [
  {
    id: 'works_at',
    re: re`^${ADV}(?<neg>${NEG_DO}|(?:am|is|are) not )?${ADV}(?:work|works|working|(?:am|is|are|have been|has been) working|(?:have|has) worked|(?:am|is|are) (?:employed|interning|volunteering))${ADV}(?: (?:full|part)[- ]time| remotely| freelance)? (?:at|for|by) (?<org>.+?)(?: as (?<title>.+))?$`,
    build(m, frame, ctx) {
      if (/^(?:myself|himself|herself|themselves)\b/i.test(m.groups!.org!)) return [employment('self-employed')];
      const object = org(m.groups!.org, ctx);
      if (!object) return [];
      if (denied(m.groups!.neg)) {
        const statement = stopped(frame.rest) ? `no longer works at ${object}` : `does not work at ${object}`;
        return [worksAt(object, { positive: false, statement })];
      }
      const vague = /(?:have|has) worked/.test(frame.rest) && !/\bfor\b|\bsince\b/.test(frame.rest);
      const out = [worksAt(object, { validFrom: heldSince(frame.clause, ctx), ...(vague ? { confidence: 0.7 } : {}) })];
      const job = title(m.groups!.title, ctx);
      if (job) out.push(jobTitle(job));
      return out;
    },
  },
  {
    id: 'worked_at',
    re: re`^${ADV}(?:used to work|worked|(?:was|were) working)(?: as (?<title>.+?))? (?:at|for) (?<org>.+)`,
    build(m, frame, ctx) {
      const object = org(m.groups!.org, ctx);
      if (!object) return [];
      const usedTo = /used to/.test(frame.rest);
      const out = [worksAt(object, { statement: `used to work at ${object}`, validTo: ctx.occurredAt, confidence: usedTo ? 0.9 : 0.7 })];
      const job = title(m.groups!.title, ctx);
      if (job) out.push(jobTitle(job, { statement: `used to work as ${job}`, validTo: ctx.occurredAt, confidence: usedTo ? 0.9 : 0.7 }));
      return out;
    },
  },
  {
    id: 'left_job',
    re: re`^${ADV}(?<how>quit|left|resigned from|retired from|stopped working (?:at|for)|got (?:fired|laid off|let go) from|(?:was|were) (?:fired|laid off|let go) from|(?:have|has) (?:left|quit))(?<job> (?:my|his|her|their) (?:job|position|role|post) (?:at|with))? (?<org>.+)`,
    build(m, _frame, ctx) {
      const object = org(m.groups!.org, ctx);
      if (!object || !looksProper(object) || isKnownPlace(object)) return [];
      const explicit = Boolean(m.groups!.job) || !/^(?:quit|left|(?:have|has) (?:left|quit))$/i.test(m.groups!.how!);
      if (!explicit && !isKnownOrganization(object)) return [];
      const out = [worksAt(object, { positive: false, statement: `no longer works at ${object}`, confidence: 0.85 })];
      if (/retired/i.test(m.groups!.how!)) out.push(employment('retired'));
      return out;
    },
  },
  {
    id: 'started_job',
    re: re`^${ADV}(?<verb>got (?:a |my first |a new |the )?(?:job|position|role|internship|offer) (?:at|with)|got hired (?:at|by)|(?:was|were) hired (?:at|by)|started (?:a new job |my new job |a job |working |an internship |interning |my internship )?(?:at|for|with)|joined|${BE} ${ADV}starting (?:a new job |my new job |working |an internship )?(?:at|with)|will (?:be )?start(?:ing)? (?:a new job |working |my new job )?(?:at|with))\s+(?<org>.+)`,
    build(m, frame, ctx) {
      const object = org(m.groups!.org, ctx);
      if (!object) return [];
      if (/^joined$/i.test(m.groups!.verb!) && (!looksProper(object) || isKnownPlace(object))) return [];
      const future = /starting|will/i.test(m.groups!.verb!);
      const when = dateIn(frame.clause, ctx, future ? 'future' : 'past');
      if (future) {
        const plan = `start working at ${object}`;
        return [{ predicate: 'plans_to', object: plan, statement: withDate(`plans to ${plan}`, when), category: 'plan', when: when?.at ?? null, confidence: 0.85 }];
      }
      return [worksAt(object, { validFrom: when?.at ?? null })];
    },
  },
  {
    id: 'works_as',
    re: re`^${ADV}(?<neg>${NEG_DO})?${ADV}(?:work|works|working|(?:am|is|are) working|(?:have|has) been working|(?:am|is|are) employed|earn (?:my|a) living|make (?:a|my) living)(?: (?:full|part)[- ]time| freelance)? as (?<title>.+?)(?: (?:at|for) (?<org>.+))?$`,
    build(m, _frame, ctx) {
      const job = title(m.groups!.title, ctx);
      if (!job) return [];
      const positive = !denied(m.groups!.neg);
      const out = [jobTitle(job, { positive })];
      const object = positive ? org(m.groups!.org, ctx) : null;
      if (object) out.push(worksAt(object));
      return out;
    },
  },
  {
    id: 'teaches',
    re: re`^${ADV}(?:teach|teaches|(?:am|is|are) teaching) (?<subject>[a-z]+(?: [a-z]+)?) (?:at|in) (?<org>.+)`,
    build(m, _frame, ctx) {
      const subject = m.groups!.subject!.toLowerCase();
      if (/^(?:my|our|the|a|an|them|him|her|it|kids|people|students|classes|online)$/.test(subject.split(' ')[0]!)) return [];
      const out = [jobTitle(`${subject} teacher`, { confidence: 0.85 })];
      const object = org(m.groups!.org, ctx);
      if (object && !isKnownPlace(object)) out.push(worksAt(object));
      return out;
    },
  },
  {
    id: 'promoted',
    re: re`^${ADV}(?:got|(?:was|were)|(?:have|has) been) ${ADV}promoted to (?<title>.+)`,
    build(m, frame, ctx) {
      const job = title(m.groups!.title, ctx);
      if (!job) return [];
      const when = dateIn(frame.clause, ctx, 'past');
      return [jobTitle(job, { statement: `was promoted to ${job}`, validFrom: when?.at ?? null })];
    },
  },
  {
    id: 'became',
    re: re`^${ADV}(?:became|(?:have|has) become|qualified as|(?:am|is|are) now) (?:an? |the )(?<title>.+)`,
    build(m, frame, ctx) {
      const job = title(m.groups!.title, ctx);
      if (!job || !isOccupation(job)) return [];
      const when = dateIn(frame.clause, ctx, 'past');
      return [jobTitle(job, { validFrom: when?.at ?? null })];
    },
  },
  {
    id: 'studies',
    re: re`^${ADV}(?<neg>${NEG_DO})?${ADV}(?<verb>study|studies|studying|(?:am|is|are) studying|(?:am|is|are) majoring in|majors? in|majored in|studied|(?:am|is|are) (?:doing|getting|pursuing|working on|finishing) (?:a|an|my|his|her) (?:degree|masters?|master's|phd|ph\.d\.|bachelor'?s|ba|bsc|msc|mba|doctorate)(?: degree)? in)(?: (?<field>.+?))?(?: (?:at|in) (?<school>[A-Z].*))?$`,
    build(m, frame, ctx) {
      if (denied(m.groups!.neg)) return [];
      const past = /studied|majored/i.test(m.groups!.verb!);
      const extra = past ? { validTo: ctx.occurredAt, confidence: 0.8 } : {};
      const out: Finding[] = [];
      const field = m.groups!.field ? cleanObject(m.groups!.field, 'title', ctx.occurredAt) : null;
      if (field && !/^(?:hard|a lot|abroad|online|there|here|full[- ]time|part[- ]time)$/i.test(field)) {
        out.push({ predicate: 'studies', object: field, statement: past ? `studied ${field}` : `studies ${field}`, category: 'occupation', ...extra });
      }
      const school = org(m.groups!.school, ctx);
      if (school && !isKnownPlace(school)) out.push({ predicate: 'studies_at', object: school, statement: past ? `studied at ${school}` : `studies at ${school}`, category: 'occupation', ...extra });
      return frame.plural ? [] : out;
    },
  },
  {
    id: 'graduated',
    re: re`^${ADV}(?<verb>graduated|(?:have|has) graduated|(?:am|is|are) graduating|will graduate|got (?:my|a|his|her) (?:degree|diploma|masters?|phd|bachelor'?s)) (?:from )?(?<school>.+)`,
    build(m, frame, ctx) {
      const school = org(m.groups!.school, ctx);
      if (!school || !looksProper(school)) return [];
      const future = /graduating|will/i.test(m.groups!.verb!);
      const when = dateIn(frame.clause, ctx, future ? 'future' : 'past');
      if (future) {
        const plan = `graduate from ${school}`;
        return [
          { predicate: 'studies_at', object: school, statement: `studies at ${school}`, category: 'occupation' },
          { predicate: 'plans_to', object: plan, statement: withDate(`plans to ${plan}`, when), category: 'plan', when: when?.at ?? null, confidence: 0.85 },
        ];
      }
      return [{ predicate: 'studies_at', object: school, statement: withDate(`graduated from ${school}`, when), category: 'occupation', validTo: when?.at ?? ctx.occurredAt }];
    },
  },
  {
    id: 'student_at',
    re: re`^${ADV}(?:(?:am|is|are) (?:an? )?(?:\w+ )?(?:student|freshman|sophomore|junior|senior|undergrad|undergraduate|postgrad|grad student|phd student|phd candidate|postdoc) at|go to|goes to|attend|attends|(?:am|is|are) (?:at|in) (?:grad school|college|uni|university|school|med school|law school) at|started (?:college|university|uni|grad school|med school|law school|school|a (?:degree|masters?|phd|course)(?: in [\w ]+?)?) at) (?<school>.+)`,
    build(m, frame, ctx) {
      const school = org(m.groups!.school, ctx);
      if (!school) return [];
      const viaGo = /^(?:\w+ )*(?:go|goes|attend|attends) /i.test(frame.rest);
      if (viaGo && !SCHOOLISH.test(school)) return [];
      if (!looksProper(school) && !SCHOOLISH.test(school)) return [];
      const started = /^(?:\w+ )*started /i.test(frame.rest) ? dateIn(frame.clause, ctx, 'past') : null;
      return [{ predicate: 'studies_at', object: school, statement: `studies at ${school}`, category: 'occupation', ...(started ? { validFrom: started.at } : {}) }];
    },
  },
  {
    id: 'employment_status',
    re: re`^${ADV}(?<neg>(?:am|is|are) not |${NEG_DO})?(?:(?:am|is|are) ${ADV}(?<st>retired|unemployed|jobless|out of work|between jobs|self-employed|freelancing|job hunting|looking for (?:a )?(?:new )?(?:job|work)|on (?:maternity|paternity|parental) leave|(?:a )?stay-at-home (?:mom|mum|dad|parent)|(?:a )?full-time (?:mom|mum|dad|parent)|(?:a )?freelancer)|(?<st2>retired|lost (?:my|his|her|their) job|got laid off|got fired|(?:was|were) laid off|(?:was|were) fired|work for (?:myself|himself|herself)|works for (?:himself|herself)))(?=$|\s|,)`,
    build(m, frame, ctx) {
      const raw = (m.groups!.st ?? m.groups!.st2 ?? '').toLowerCase();
      const status = /retired/.test(raw) ? 'retired'
        : /self|myself|himself|herself|freelanc/.test(raw) ? 'self-employed'
        : /stay-at-home|full-time/.test(raw) ? 'a stay-at-home parent'
        : /leave/.test(raw) ? 'on parental leave'
        : 'unemployed';
      const when = /retired|lost|laid|fired/.test(raw) && !/^(?:am|is|are)/.test(frame.rest) ? dateIn(frame.clause, ctx, 'past') : null;
      const positive = !denied(m.groups!.neg);
      return [employment(status, { positive, statement: positive ? `is ${status}` : `is not ${status}`, validFrom: when?.at ?? null })];
    },
  },
  {
    id: 'industry',
    re: re`^${ADV}(?:work|works|working|(?:am|is|are) working|(?:have|has) worked) in (?<field>.+)`,
    build(m, _frame, ctx) {
      const field = cleanObject(m.groups!.field!, 'org', ctx.occurredAt);
      if (!field || isKnownPlace(field) || /^[A-Z]/.test(field) && looksProper(field)) return [];
      if (/^(?:a|an|the)\s/i.test(field)) return [worksAt(field, { confidence: 0.6 })];
      return [{ predicate: 'industry', object: field, statement: `works in ${field}`, category: 'occupation', confidence: 0.85 }];
    },
  },
];
