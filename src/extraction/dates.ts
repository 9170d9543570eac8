// Date expressions in conversational English ("next Friday", "last May", "in two weeks", "on June 5th") resolved to absolute UTC dates from the moment they were said.
//
// Conventions, chosen so that every expression has exactly one answer:
// - All arithmetic is in UTC; a resolved date is UTC midnight of its day.
// - Weeks start on Monday. A period ("next week", "last month", "in 2019") resolves to its first day.
// - "next Friday" is the Friday of next week; "this Friday" the one of the current week (today included);
//   "last Friday" the most recent one before today. A bare weekday, month or day of month ("on Friday",
//   "in May", "the 3rd") points forward for future talk and backward for past talk (the caller's direction).

export type Direction = 'past' | 'future';
export type DateUnit = 'day' | 'week' | 'month' | 'season' | 'year';

export interface ResolvedDate {
  /** UTC midnight of the first day the expression refers to (epoch ms). */
  at: number;
  unit: DateUnit;
  /** Whether the text itself named the year ("June 5th, 1990"), as opposed to it being inferred. */
  explicitYear: boolean;
  /** Where the expression sits in the text searched (character offsets). */
  start: number;
  end: number;
}

const DAY = 86_400_000;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const SEASON_START: Record<string, number> = { spring: 2, summer: 5, fall: 8, autumn: 8, winter: 11 };

const MONTH_RE = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
// Full names (and "tues", "thurs"): short forms like "sat" and "sun" are everyday words.
const WEEKDAY_RE = '(monday|tues(?:day)?|wednesday|thurs(?:day)?|friday|saturday|sunday)';
/** A weekday as the weekday matcher reads it, with its modifier ("last Friday", "on Friday"). */
const WEEKDAY_SAID = `(?:(next|last|this coming|this past|this|coming|past|on) )?${WEEKDAY_RE}`;
const BARE_WEEKDAY = new RegExp(`^${WEEKDAY_RE}$`);
const WEEKDAY_ALONE = new RegExp(`^${WEEKDAY_SAID}$`, 'i');
// "this may be", "in march we…": a month name followed by a verb is not a date.
const NOT_A_VERB_NEXT = '(?! (?:be|have|not|need|want|take|seem|sound|also|well|get|go|come|make|help|look|mean|happen|work|change|i|we|you)\\b)';
const ORDINAL_DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const COUNT_RE = '(\\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple(?: of)?|couple(?: of)?|a few|few|several)';
const UNIT_RE = '(day|week|month|year)s?';

const COUNT_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  'a couple': 2, 'a couple of': 2, couple: 2, 'couple of': 2, 'a few': 3, few: 3, several: 3,
};

function monthIndex(word: string): number {
  return MONTHS.findIndex((m) => m.startsWith(word.slice(0, 3)));
}

function weekdayIndex(word: string): number {
  return WEEKDAYS.findIndex((d) => d.startsWith(word.slice(0, 3)));
}

function count(word: string): number {
  return COUNT_WORDS[word] ?? Number(word);
}

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

/** Monday of the week containing the day. */
function startOfWeek(day: number): number {
  const weekday = new Date(day).getUTCDay();
  return day - ((weekday + 6) % 7) * DAY;
}

function utc(year: number, month: number, day = 1): number {
  return Date.UTC(year, month, day);
}

/** Adds months, clamping the day ("Jan 31 + 1 month" → Feb 28/29). */
function addMonths(day: number, months: number): number {
  const d = new Date(day);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return utc(target.getUTCFullYear(), target.getUTCMonth(), Math.min(d.getUTCDate(), lastDay));
}

function validDay(year: number, month: number, day: number): boolean {
  return day >= 1 && new Date(Date.UTC(year, month, day)).getUTCMonth() === month;
}

/** A month and day without a year: the nearest such date on the side the direction says (today counts for both). */
function monthDayNearest(today: number, month: number, day: number, direction: Direction): number | null {
  const year = new Date(today).getUTCFullYear();
  if (!validDay(year, month, day) && !validDay(year + (direction === 'future' ? 1 : -1), month, day)) return null;
  const candidate = utc(year, month, day);
  if (direction === 'future') return candidate >= today ? candidate : utc(year + 1, month, day);
  return candidate <= today ? candidate : utc(year - 1, month, day);
}

/** First day of the named month: "last May" is the latest May before this month, "next May" the first after it. */
function monthNearest(today: number, month: number, modifier: string, direction: Direction): number {
  const d = new Date(today);
  const year = d.getUTCFullYear();
  const current = d.getUTCMonth();
  switch (modifier) {
    case 'last':
      return utc(month < current ? year : year - 1, month);
    case 'next':
      return utc(month > current ? year : year + 1, month);
    case 'this':
      return utc(year, month);
    default:
      if (direction === 'future') return utc(month >= current ? year : year + 1, month);
      return utc(month <= current ? year : year - 1, month);
  }
}

function weekdayResolved(today: number, weekday: number, modifier: string, direction: Direction): number {
  const todayWeekday = new Date(today).getUTCDay();
  const forward = (weekday - todayWeekday + 7) % 7;
  const mondayOffset = (weekday + 6) % 7;
  switch (modifier) {
    case 'next':
      return startOfWeek(today) + 7 * DAY + mondayOffset * DAY;
    case 'this':
    case 'coming':
    case 'this coming':
      return today + forward * DAY;
    case 'last':
    case 'past':
    case 'this past':
      return today - (((todayWeekday - weekday + 7) % 7) || 7) * DAY;
    default:
      if (direction === 'future') return today + (forward || 7) * DAY;
      return today - (((todayWeekday - weekday + 7) % 7) || 7) * DAY;
  }
}

function periodStart(today: number, unit: string, offset: number): number {
  if (unit === 'week') return startOfWeek(today) + offset * 7 * DAY;
  if (unit === 'weekend') return startOfWeek(today) + offset * 7 * DAY + 5 * DAY;
  const d = new Date(today);
  if (unit === 'month') return utc(d.getUTCFullYear(), d.getUTCMonth() + offset);
  return utc(d.getUTCFullYear() + offset, 0);
}

function shift(today: number, unit: string, n: number): number {
  if (unit === 'day') return today + n * DAY;
  if (unit === 'week') return today + n * 7 * DAY;
  if (unit === 'month') return addMonths(today, n);
  return addMonths(today, 12 * n);
}

/** Thanksgiving (US): the fourth Thursday of November. */
function thanksgiving(year: number): number {
  const first = new Date(Date.UTC(year, 10, 1)).getUTCDay();
  return utc(year, 10, 1 + ((4 - first + 7) % 7) + 21);
}

const HOLIDAYS: Array<[RegExp, (year: number) => number]> = [
  [/^christmas eve$/, (y) => utc(y, 11, 24)],
  [/^(?:christmas|xmas)(?: day)?$/, (y) => utc(y, 11, 25)],
  [/^new year'?s eve$/, (y) => utc(y, 11, 31)],
  [/^new year'?s(?: day)?$/, (y) => utc(y, 0, 1)],
  [/^halloween$/, (y) => utc(y, 9, 31)],
  [/^valentine'?s(?: day)?$/, (y) => utc(y, 1, 14)],
  [/^thanksgiving$/, thanksgiving],
];

type Resolve = (m: RegExpExecArray, today: number, direction: Direction) => { at: number; unit: DateUnit; explicitYear?: boolean } | null;

interface Matcher {
  re: RegExp;
  resolve: Resolve;
}

const matchers: Matcher[] = [
  {
    re: /\b(\d{4})-(\d{2})-(\d{2})\b/g,
    resolve: (m) => {
      const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
      return validDay(y, mo, d) ? { at: utc(y, mo, d), unit: 'day', explicitYear: true } : null;
    },
  },
  {
    // 5/6/2024 only when unambiguous: one side above 12 says which is the day.
    re: /\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b/g,
    resolve: (m) => {
      const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const [day, month] = a > 12 && b <= 12 ? [a, b] : b > 12 && a <= 12 ? [b, a] : [0, 0];
      return day && validDay(y, month - 1, day) ? { at: utc(y, month - 1, day), unit: 'day', explicitYear: true } : null;
    },
  },
  {
    re: new RegExp(`\\b${MONTH_RE}\\.? ${ORDINAL_DAY}\\b(?:,? (\\d{4})\\b)?`, 'g'),
    resolve: (m, today, direction) => monthDay(today, monthIndex(m[1]!), Number(m[2]), m[3], direction),
  },
  {
    re: new RegExp(`\\b(?:the )?${ORDINAL_DAY} (?:of )?${MONTH_RE}\\b(?:,? (\\d{4})\\b)?`, 'g'),
    resolve: (m, today, direction) => monthDay(today, monthIndex(m[2]!), Number(m[1]), m[3], direction),
  },
  {
    re: /\b(?:the day (after tomorrow|before yesterday)|today|tonight|this (?:morning|afternoon|evening)|later today|tomorrow|tmrw?|yesterday)\b/g,
    resolve: (m, today) => {
      const word = m[0];
      const offset = m[1] === 'after tomorrow' ? 2 : m[1] === 'before yesterday' ? -2 : word.startsWith('tom') || word.startsWith('tmr') ? 1 : word === 'yesterday' ? -1 : 0;
      return { at: today + offset * DAY, unit: 'day' };
    },
  },
  {
    // Not "in a month ago", which is "a month ago" said clumsily.
    re: new RegExp(`\\b(?:in|within) ${COUNT_RE} (?:more )?${UNIT_RE}\\b(?! ago\\b)`, 'g'),
    resolve: (m, today) => ({ at: shift(today, m[2]!, count(m[1]!)), unit: unitOf(m[2]!) }),
  },
  {
    re: new RegExp(`\\b${COUNT_RE} ${UNIT_RE} ago\\b`, 'g'),
    resolve: (m, today) => ({ at: shift(today, m[2]!, -count(m[1]!)), unit: unitOf(m[2]!) }),
  },
  {
    re: new RegExp(`\\b${COUNT_RE} ${UNIT_RE} from (?:now|today)\\b`, 'g'),
    resolve: (m, today) => ({ at: shift(today, m[2]!, count(m[1]!)), unit: unitOf(m[2]!) }),
  },
  {
    re: /\b(next|last|this|coming|this coming|this past|past|over the) (week|month|year|weekend)\b/g,
    resolve: (m, today, direction) => {
      const offset = periodOffset(m[1]!, direction, m[2] === 'weekend');
      return { at: periodStart(today, m[2]!, offset), unit: m[2] === 'weekend' ? 'day' : (m[2] as DateUnit) };
    },
  },
  {
    re: new RegExp(`\\b${WEEKDAY_SAID}\\b`, 'g'),
    resolve: (m, today, direction) => ({ at: weekdayResolved(today, weekdayIndex(m[2]!), m[1] ?? '', direction), unit: 'day' }),
  },
  {
    // A bare month needs a preposition or modifier, or "may" and "march" would be read as dates.
    re: new RegExp(`\\b(next|last|this|in|since|until|till|by|during|before|after|from|around|early|late|mid|end of|start of|beginning of) (?:of )?${MONTH_RE}\\b${NOT_A_VERB_NEXT}(?: (\\d{4})\\b)?`, 'g'),
    resolve: (m, today, direction) => {
      const month = monthIndex(m[2]!);
      if (m[3]) return { at: utc(Number(m[3]), month), unit: 'month', explicitYear: true };
      return { at: monthNearest(today, month, m[1]!, direction), unit: 'month' };
    },
  },
  {
    re: /\b(next|last|this|this past|this coming|in the|over the|during the) (spring|summer|fall|autumn|winter)\b(?: (?:of )?(\d{4})\b)?/g,
    resolve: (m, today, direction) => ({ at: seasonStart(today, SEASON_START[m[2]!]!, m[1]!, m[3], direction), unit: 'season', explicitYear: Boolean(m[3]) }),
  },
  {
    re: /\b(?:(?:in|since|until|till|by|from|during|around|back in|in early|in late|in mid|early|late|mid)[- ])(\d{4})\b/g,
    resolve: (m) => {
      const year = Number(m[1]);
      return year >= 1900 && year <= 2100 ? { at: utc(year, 0), unit: 'year', explicitYear: true } : null;
    },
  },
  {
    re: /\b(?:(next|last|this) )?(christmas eve|christmas day|christmas|xmas|new year'?s eve|new year'?s day|new year'?s|halloween|valentine'?s day|valentine'?s|thanksgiving)\b/g,
    resolve: (m, today, direction) => holiday(today, m[2]!, m[1] ?? '', direction),
  },
  {
    // "the 3rd" alone, not "the 2nd time".
    re: /\b(?:on |by |until |before |after )?the (\d{1,2})(?:st|nd|rd|th)\b(?=\s*(?:$|[,.;:!?)]|(?:and|at|for|in|to|or|but|so|because|when|we|i|my)\b))/g,
    resolve: (m, today, direction) => dayOfMonth(today, Number(m[1]), direction),
  },
];

function unitOf(word: string): DateUnit {
  return word === 'day' ? 'day' : (word as DateUnit);
}

function periodOffset(modifier: string, direction: Direction, weekend: boolean): number {
  if (modifier === 'next') return 1;
  if (modifier === 'last' || modifier === 'past' || modifier === 'this past') return -1;
  if (modifier === 'over the' && weekend) return direction === 'past' ? -1 : 0;
  return 0;
}

function monthDay(today: number, month: number, day: number, year: string | undefined, direction: Direction): ReturnType<Resolve> {
  if (month < 0) return null;
  if (year) return validDay(Number(year), month, day) ? { at: utc(Number(year), month, day), unit: 'day', explicitYear: true } : null;
  const at = monthDayNearest(today, month, day, direction);
  return at === null ? null : { at, unit: 'day' };
}

function seasonStart(today: number, month: number, modifier: string, year: string | undefined, direction: Direction): number {
  if (year) return utc(Number(year), month);
  const current = new Date(today).getUTCFullYear();
  const thisOne = utc(current, month);
  if (modifier === 'next') return thisOne > today ? thisOne : utc(current + 1, month);
  if (modifier.includes('past') || modifier === 'last') return addMonths(thisOne, 3) <= today ? thisOne : utc(current - 1, month);
  if (modifier === 'this' || modifier.startsWith('this')) return thisOne;
  return direction === 'future' ? (addMonths(thisOne, 3) > today ? thisOne : utc(current + 1, month)) : thisOne <= today ? thisOne : utc(current - 1, month);
}

function holiday(today: number, name: string, modifier: string, direction: Direction): ReturnType<Resolve> {
  const rule = HOLIDAYS.find(([re]) => re.test(name));
  if (!rule) return null;
  const year = new Date(today).getUTCFullYear();
  const thisYear = rule[1](year);
  const forward = modifier === 'next' || (modifier === '' && direction === 'future');
  if (modifier === 'this') return { at: thisYear, unit: 'day' };
  if (forward) return { at: thisYear >= today ? thisYear : rule[1](year + 1), unit: 'day' };
  return { at: thisYear < today ? thisYear : rule[1](year - 1), unit: 'day' };
}

function dayOfMonth(today: number, day: number, direction: Direction): ReturnType<Resolve> {
  if (day < 1 || day > 31) return null;
  const d = new Date(today);
  for (let step = 0; step < 3; step++) {
    const offset = direction === 'future' ? step : -step;
    const year = d.getUTCFullYear();
    const month = d.getUTCMonth() + offset;
    const candidate = new Date(Date.UTC(year, month, 1));
    if (!validDay(candidate.getUTCFullYear(), candidate.getUTCMonth(), day)) continue;
    const at = utc(candidate.getUTCFullYear(), candidate.getUTCMonth(), day);
    if (direction === 'future' ? at >= today : at <= today) return { at, unit: 'day' };
  }
  return null;
}

/**
 * A season is written in lower case unless it begins a name: "the Spring Fling Market", "the Summer
 * Olympics" are events, not times. True when the match ends in a capitalised season word followed by
 * another capitalised word.
 */
function seasonInName(text: string, end: number): boolean {
  const word = /(Spring|Summer|Fall|Autumn|Winter)$/.exec(text.slice(0, end));
  return Boolean(word) && /^ +\p{Lu}/u.test(text.slice(end));
}

/**
 * Days of the year named after a weekday: "the Maundy Thursday service", "Black Friday deals" are not the
 * latest Thursday or Friday. A list, not a rule about capitals: "meeting John Friday" is a weekday.
 */
const WEEKDAY_NAMES = /\b(?:maundy|good|holy|easter|palm|ash|shrove|black|cyber|giving|small business|super bowl) $/;

function weekdayInName(lower: string, start: number, end: number): boolean {
  return BARE_WEEKDAY.test(lower.slice(start, end)) && WEEKDAY_NAMES.test(lower.slice(Math.max(0, start - 20), start));
}

/** Whether a date expression, as found, is a weekday ("Wednesday", "last Friday"). */
export function isWeekday(said: string): boolean {
  return WEEKDAY_ALONE.test(said);
}

/** The first date expression in the text (of overlapping ones, the one reaching furthest), resolved from `occurredAt`. */
export function findDate(text: string, occurredAt: number, direction: Direction): ResolvedDate | null {
  const lower = text.toLowerCase();
  const today = startOfDay(occurredAt);
  let best: ResolvedDate | null = null;
  for (const { re, resolve } of matchers) {
    re.lastIndex = 0;
    for (let m = re.exec(lower); m; m = re.exec(lower)) {
      const end = m.index + m[0].length;
      if (seasonInName(text, end) || weekdayInName(lower, m.index, end)) continue;
      // Of two expressions that overlap, the one that goes on further says more: "before August" is
      // the start of "August 3, 2023", "after May" of "May 5".
      const overlaps = best !== null && m.index < best.end && end > best.start;
      const better = !best || (overlaps ? end > best.end : m.index < best.start);
      if (!better) continue;
      const resolved = resolve(m, today, direction);
      if (resolved) best = { explicitYear: false, ...resolved, start: m.index, end };
    }
  }
  return best;
}

/** "for five years", "for the past 3 months": when a state that still holds began (its unit's precision), and where the text says so. */
export function findDuration(text: string, occurredAt: number): Omit<ResolvedDate, 'explicitYear'> | null {
  const m = new RegExp(`\\bfor (?:the (?:past|last) )?${COUNT_RE} ${UNIT_RE}\\b`, 'i').exec(text);
  if (!m) return null;
  const unit = m[2]!.toLowerCase() as DateUnit;
  return { at: shift(startOfDay(occurredAt), unit, -count(m[1]!.toLowerCase())), unit, start: m.index, end: m.index + m[0].length };
}

/**
 * "in the past two weeks", "over the last few months", "during the past month": a stretch of time that
 * ends now, as a question asks it (unlike "last month", which is the calendar month before this one).
 * From the start of the day that many units back, to the end of today.
 */
export function findSpan(text: string, occurredAt: number): { from: number; to: number; start: number; end: number } | null {
  const m = new RegExp(`\\b(?:(?:in|over|during|within|for) )?the (?:past|last|previous) (?:${COUNT_RE} )?${UNIT_RE}\\b`, 'i').exec(text);
  if (!m) return null;
  const today = startOfDay(occurredAt);
  const n = m[1] ? count(m[1].toLowerCase()) : 1;
  return { from: shift(today, m[2]!.toLowerCase(), -n), to: today + DAY, start: m.index, end: m.index + m[0].length };
}

// What relates a time to the date said after it: an optional offset ("two weeks", "the Sunday") and the word.
const ANCHOR = new RegExp(
  `(?:\\b(?:the|last|that) )?(?:\\b${COUNT_RE} )?\\b(?:(day|week|weekend|month|year|${WEEKDAY_RE.slice(1, -1)})s? )?(before|after|since|until|till|prior to) `,
  'g',
);

/**
 * A time said against another one, as questions ask it: "two weeks before August 11, 2023", "the Sunday
 * before October 25", "the week after the 3rd" (a stretch from the offset to the date, both ends
 * included: what happened then is often told on the later day), and open ones, "before today", "since
 * May" (up to the date, or from it to now). Null when no date in the text is said that way.
 */
export function findAnchored(text: string, occurredAt: number): { from: number; to: number; start: number; end: number } | null {
  const lower = text.toLowerCase();
  ANCHOR.lastIndex = 0;
  for (let m = ANCHOR.exec(lower); m; m = ANCHOR.exec(lower)) {
    const [said, n, unit, word] = m as unknown as [string, string | undefined, string | undefined, string];
    // The date must follow the word at once; the month and year matchers take the word in ("since May").
    const from = m.index + said.length - word.length - 1;
    const date = findDate(text.slice(from), occurredAt, 'past');
    if (!date || (date.start !== 0 && date.start !== word.length + 1)) continue;
    const at = date.at;
    const end = from + date.end;
    if (unit) {
      // An offset counts from a day, not from a month or a year.
      if (date.unit !== 'day' || ['since', 'until', 'till', 'prior to'].includes(word)) continue;
      // "the Sunday before": the one before the day, not that day itself, as "last Sunday" is read.
      if (BARE_WEEKDAY.test(unit)) {
        const weekday = weekdayIndex(unit);
        if (word === 'before') return { from: weekdayResolved(at, weekday, 'last', 'past'), to: at + DAY, start: m.index, end };
        return { from: at, to: weekdayResolved(at, weekday, '', 'future') + DAY, start: m.index, end };
      }
      const steps = n ? count(n) : 1;
      const length = unit === 'weekend' ? 'week' : unit;
      if (word === 'before') return { from: shift(at, length, -steps), to: at + DAY, start: m.index, end };
      return { from: at, to: shift(at, length, steps) + DAY, start: m.index, end };
    }
    if (word === 'since' || word === 'after') return { from: at, to: startOfDay(occurredAt) + DAY, start: from, end };
    return { from: Number.MIN_SAFE_INTEGER, to: at, start: from, end };
  }
  return null;
}

/** "for five years", "for the past 3 months": when a state that still holds began (day precision). */
export function durationStart(text: string, occurredAt: number): number | null {
  return findDuration(text, occurredAt)?.at ?? null;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** How a resolved date reads in a statement: "on 2025-06-05", "in June 2025", "in 2025". */
export function describeDate(date: Pick<ResolvedDate, 'at' | 'unit'>): string {
  const d = new Date(date.at);
  switch (date.unit) {
    case 'day':
      return `on ${isoDay(date.at)}`;
    case 'week':
      return `in the week of ${isoDay(date.at)}`;
    case 'month':
      return `in ${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
    case 'season': {
      const season = Object.keys(SEASON_START).find((s) => SEASON_START[s] === d.getUTCMonth());
      return `in ${season} ${d.getUTCFullYear()}`;
    }
    case 'year':
      return `in ${d.getUTCFullYear()}`;
  }
}

/** A birthday as people say it: "June 5", or "June 5, 1990" when the year is known. */
export function describeMonthDay(date: Pick<ResolvedDate, 'at' | 'explicitYear'>): string {
  const d = new Date(date.at);
  const monthDayText = `${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCDate()}`;
  return date.explicitYear ? `${monthDayText}, ${d.getUTCFullYear()}` : monthDayText;
}

/** The name of a month, for birthdays given as a month only ("my birthday is in May"). */
export function monthName(date: number): string {
  return MONTH_NAMES[new Date(date).getUTCMonth()]!;
}

/** A day as people say it: "8 May 2023". */
export function spokenDay(date: number): string {
  return `${new Date(date).getUTCDate()} ${monthName(date)} ${new Date(date).getUTCFullYear()}`;
}
