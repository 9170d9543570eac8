// The objects of beliefs as they should be shown: a place, a company, a job title or a liked thing cut free of
// the clause around it ("Porto with my wife since 2019" → "Porto"), and lists split into their items.
import { findDate } from './dates.js';
import { isKnownPlace } from './lexicon.js';

type ObjectKind = 'place' | 'org' | 'title' | 'thing' | 'plan';

/** Words after which an object never continues, whatever its kind: reasons, time, chat noise. */
const TAIL = new RegExp(
  '\\s+(?:because|cause|cuz|since|though|although|but|so that|so|which|who|whom|whose|where|whereas|while|when|whenever|if|unless|until|till' +
  '|lol|haha\\w*|lmao|tbh|imo|ngl|honestly|anyway|anymore|any more|these days|nowadays|at the moment|right now|for now|at this point' +
  '|for (?:\\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|many|several|a few|a couple of|the past|the last|over) (?:\\w+ )?(?:years?|months?|weeks?|days?|decades?)' +
  '|lately|recently|currently|originally|after all|now|again|too|as well|either|actually|already|yet|at all|every (?:single )?(?:day|week|month|year|morning|evening|night|weekend|summer|winter)' +
  '|each (?:day|week|month|year)|twice|once|(?:\\w+|a few|a couple of|many|several|so many) times|before|a lot|so much|very much|more than anything|more and more|full[- ]time|part[- ]time|though)\\b.*$',
  'i',
);

const KIND_TAIL: Record<ObjectKind, RegExp | null> = {
  place: /\s+(?:with|for|to|on|as|and (?:I|we|my|it|then|now)|by myself|alone|by ourselves|together|permanently|temporarily)\b.*$/i,
  org: /\s+(?:as|in|on|at|with|from|doing|and (?:I|we|my|it)|remotely|from home)\b.*$/i,
  title: /\s+(?:at|for|in|with|from|and|by|working|living|based|located|on|here|there|who|that|right)\b.*$/i,
  thing: /\s+(?:and (?:I|we|my|it))\b.*$/i,
  plan: null,
};

const PRONOUN_ONLY = /^(?:it|that|this|them|those|these|him|her|you|u|me|us|one|ones|some|any|there|here|what|which|something|anything|everything|nothing|stuff|things?|so|too|a lot|lots|much|more|most|all|none|both|either|neither)$/i;
const VAGUE_START = /^(?:it|that|this|when|how|what|why|whatever|the way|the fact|the idea|to be|being|doing (?:it|that)|you|your|him|her|them|someone|somebody|people who)\b/i;

/** "Japan next month" → "Japan": the date is kept elsewhere (`when`, `validFrom`). */
function cutDate(text: string, occurredAt: number): string {
  const date = findDate(text, occurredAt, 'future');
  return date ? text.slice(0, date.start) : text;
}

/** "Porto, Portugal" stays whole; "Porto, which I love" does not. */
function cutAtComma(text: string, kind: ObjectKind): string {
  const [head = '', ...tail] = text.split(/\s*,\s*/);
  if (kind === 'place' && tail.length === 1 && /^[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)*$/.test(tail[0]!) && /^[A-Z]/.test(head)) return `${head}, ${tail[0]}`;
  return head;
}

/** "a small flat in Lisbon" → "Lisbon": the named place after a common noun is what is meant. */
function namedPlaceInside(text: string): string {
  return /^(?:a|an|the|my|our)\s+[a-z][\w\s-]*?\s+in\s+([A-Z].*)$/.exec(text)?.[1] ?? text;
}

/**
 * The object of a belief cut out of the rest of its clause, or null when nothing showable is left
 * (a pronoun, a vague phrase, or something too long to be one thing).
 */
export function cleanObject(raw: string, kind: ObjectKind, occurredAt: number, keepLists = false): string | null {
  let text = raw.trim();
  text = cutDate(text, occurredAt);
  text = text.replace(/\s*[(["].*$/, '');
  // Sentences are already split, so a period left inside is an abbreviation ("St. Mary's") unless a lowercase word follows.
  text = text.replace(/(?:[!?;:…]|\.(?=\s+[a-z])|\.$).*$/, '');
  if (!keepLists || kind === 'place' || kind === 'org' || kind === 'title') text = cutAtComma(text, kind);
  for (let previous = ''; previous !== text; ) {
    previous = text;
    text = text.replace(TAIL, '');
    const kindTail = KIND_TAIL[kind];
    if (kindTail) text = text.replace(kindTail, '');
    text = text.replace(/[\s,;:'"-]+$/, '').replace(/^[\s,;:'"-]+/, '');
  }
  if (kind === 'place') text = namedPlaceInside(text);
  if (!text || PRONOUN_ONLY.test(text) || VAGUE_START.test(text)) return null;
  if (text.split(' ').length > (kind === 'plan' ? 12 : 8)) return null;
  return text;
}

const IDIOMS = new Set([
  'mac and cheese', 'rock and roll', 'fish and chips', 'salt and pepper', 'bread and butter', 'peanut butter and jelly', 'rhythm and blues',
  'drum and bass', 'dungeons and dragons', 'law and order', 'sweet and sour', 'black and white', 'cheese and crackers', 'chips and salsa',
  'pride and prejudice', 'tom and jerry', 'arts and crafts', 'ham and cheese', 'rice and beans', 'pb and j', 'r and b', 'hide and seek',
  'trial and error', 'pros and cons', 'fast and furious', 'pen and paper', 'cookies and cream', 'sturm und drang',
]);

/** "hiking, reading and cooking" → three items; "mac and cheese" stays one. */
export function splitList(object: string): string[] {
  if (IDIOMS.has(object.toLowerCase())) return [object];
  if (object.includes(',')) {
    return object.split(/\s*,\s*(?:and\s+|or\s+|&\s+)?|\s+(?:and|or|&)\s+(?=[^,]*$)/).map((s) => s.trim()).filter(Boolean);
  }
  const parts = object.split(/\s+(?:and|or|&)\s+/);
  if (parts.length !== 2) return [object];
  const [a = '', b = ''] = parts;
  const bothPlaces = isKnownPlace(a) && isKnownPlace(b);
  const bothGerunds = /ing\b/.test(a.split(' ')[0] ?? '') && /ing\b/.test(b.split(' ')[0] ?? '');
  const bothShort = a.split(' ').length <= 2 && b.split(' ').length <= 2 && !/^[A-Z]/.test(a + b);
  return bothPlaces || bothGerunds || bothShort ? [a, b] : [object];
}

/** Looks like a name: every word capitalised ("Acme Corp", "New York"). */
export function looksProper(text: string): boolean {
  return /^(?:the\s+)?[A-Z0-9][\w&.'-]*(?:\s+(?:of|de|da|do|du|van|von|and|&|la|le|the)?\s*[A-Z0-9][\w&.'-]*)*$/.test(text);
}

/** Named, or known to compromise as a place: what "went to X" or "live in X" needs to be read as a place. */
export function placeLike(text: string): boolean {
  return looksProper(text) || isKnownPlace(text);
}

/** A name cut where its capitalised words end: "Samantha but everyone" → "Samantha", "Mary Ann" stays. */
export function nameOnly(text: string): string {
  const [first = '', ...rest] = text.split(' ');
  const tail: string[] = [];
  for (const word of rest) {
    if (!/^[A-Z]/.test(word)) break;
    tail.push(word);
  }
  return [first, ...tail].join(' ');
}
