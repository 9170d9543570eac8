// Turns raw conversational text into normalised clauses the patterns can read: sentences, contractions expanded,
// chat spellings fixed ("im", "dont"), and questions, hypotheticals and reported speech set aside.
import { splitSentences } from './lexicon.js';

/** Links, emoji and markdown dropped; quotes straightened; contractions and chat spellings expanded. */
const NORMALIZATIONS: Array<[RegExp, string]> = [
  [/\bhttps?:\/\/\S+/g, ' '],
  [/[\p{Extended_Pictographic}\p{Regional_Indicator}\uFE0F\u200D]/gu, ' '],
  [/\*+|`+|(?<=^|\s)_+|_+(?=\s|$)/g, ''],
  [/[\u2018\u2019\u02bc´]/g, "'"],
  [/[\u201c\u201d]/g, '"'],
  [/(^|[^\w'])i(?=$|[^\w'-]|'(?:m|ve|ll|d)\b)/g, '$1I'],
  [/\b[Ii]m\b/g, "I'm"],
  [/\b[Ii]ve\b/g, "I've"],
  [/\b(can)(?:'t|t|not)\b/gi, '$1 not'],
  [/\bwon'?t\b/gi, 'will not'],
  [/\b(do|does|did|is|are|was|were|have|has|had|would|could|should|must|need)n'?t\b/gi, '$1 not'],
  [/\bI'm\b/g, 'I am'],
  [/\b(I|we|you|they)'ve\b/gi, '$1 have'],
  [/\b(I|we|you|they|he|she|it)'ll\b/gi, '$1 will'],
  [/\b(we|you|they)'re\b/gi, '$1 are'],
  [/\b(it|that|there|he|she|what|where)'s been\b/gi, '$1 has been'],
  [/\b(it|that|there|he|she|what|where)'s\b/gi, '$1 is'],
  [/\bI'd (been|gone|lived|worked|done|had|seen|known|moved|never)\b/g, 'I had $1'],
  [/\b(I|we)'d\b/g, '$1 would'],
  [/\bgonna\b/gi, 'going to'],
  [/\bwanna\b/gi, 'want to'],
  [/\bgotta\b/gi, 'have to'],
  [/\bkinda\b/gi, 'kind of'],
  [/\bfav(?:e|ou?rite)?\b/gi, 'favorite'],
  [/\s+/g, ' '],
];

/** One spelling of each form, so patterns need only that one: "I'm" → "I am", "dont" → "do not". */
function normalize(text: string): string {
  let out = text;
  for (const [re, replacement] of NORMALIZATIONS) out = out.replace(re, replacement);
  return out.trim();
}

/** Asides that introduce a fact without changing it ("just so you know, I…", "remember that my…"). */
const ASIDE = /^(?:(?:please |just )?(?:remember|note|know|keep in mind|be aware)(?: that)?|fyi|for the record|just so you know|I want you to (?:know|remember)(?: that)?|you should know(?: that)?|in case you forgot|as I (?:said|mentioned)(?: before)?)\b[,:]?\s+/i;

const DISCOURSE = /^(?:(?:well|so|oh|ah|um+|uh+|hmm+|yeah|yes|yep|yup|no|nope|ok|okay|hi|hey|hello|haha+|lol|also|and|but|actually|btw|by the way|anyway|anyways|honestly|basically|fun fact|plus|then|oh and|ps|p\.s\.|sure|right|true|thanks|thank you|great|cool|nice)\b[,!.:]?\s+)+/i;

/** Opening words that say nothing ("Well, oh and by the way, I…"), and a greeting's name ("Hi Anna, I…"). */
function stripOpening(clause: string): string {
  return clause.replace(DISCOURSE, '').replace(/^(?:hi|hey|hello)\s+[A-Z]\w*,\s*/i, '').replace(ASIDE, '').replace(DISCOURSE, '');
}

/** Starts that make the whole sentence unreal: conditions, wishes, imagined worlds. */
const HYPOTHETICAL_START = /^(?:if|unless|suppose|supposing|imagine|what if|in case|assuming|even if|had I|were I|say)\b/i;
/** "If I…", "I wish I…", "as if I…" anywhere before the subject. */
const HYPOTHETICAL_INSIDE = /\b(?:if|unless|wish|wished|whether|as though|as if|pretend|pretending|imagine|dreamt|dreamed)\b/i;
/** Someone else's words or beliefs about the speaker ("she said I'm…"). */
const REPORTED = /\b(?:said|says|say|told|tells|tell|asked|asks|thinks|thought|believes|claims|claimed|heard|hears|reckons|joked|jokes)\b/i;

/** "Do you…", "where are you…", "how long have you…": asking, even without a question mark. */
const QUESTION_START = /^(?:(?:what|where|when|who|whom|whose|why|how|which)(?: \w+)? )?(?:do|does|did|are|is|am|was|were|have|has|had|can|could|would|should|will|shall)(?: not)? (?:you|I|we|he|she|they|it|your|my|there|u|ya)\b/i;

/** Leading declarative clauses of a question ("I'm vegetarian, do you eat meat?" keeps "I'm vegetarian"). */
function declarativePart(sentence: string): string | null {
  const m = /^(.+?),\s+(?:and\s+|but\s+|so\s+)?(?:(?:do|does|did|are|is|have|has|can|would|will|what|how|where|when|who|why|which)\s+(?:you|u|they|he|she|it|your)\b|right|ok|okay|no|yeah|eh|huh|you know|isn't it|aren't you|don't you)/i.exec(sentence);
  return m && !QUESTION_START.test(m[1]!) ? m[1]! : null;
}

/** Where clauses break: semicolons, spaced dashes, and a conjunction or comma followed by a new subject. */
const CLAUSE_BREAK = /\s*;\s*|\s+[-–—]+\s+|(?<!^[Mm]e|^I),?\s+(?:and|but|so|because|cause|cuz|though|although|plus|whereas|while)\s+(?=(?:I|we|my|our)\b)|,\s+(?=(?:I|we)\s)/;
/** Subordinate time clauses ("when I was a kid", "since I was 5") describe a backdrop, not a fact to keep. */
const BACKDROP = /^(?:when|since|until|till|before|after|once|as soon as|back when|ever since|whenever|while)\s+(?:I|we)\b[^,]*,?\s*/i;

function clausesOf(sentence: string): string[] {
  return sentence
    .split(CLAUSE_BREAK)
    .map((c) => stripOpening(stripOpening(c.trim()).replace(BACKDROP, '')).replace(/[.!…\s]+$/, ''))
    .filter((c) => c.length > 1);
}

/** The clauses of a text worth reading for facts, normalised: questions and hypotheticals dropped. */
export function readClauses(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\n+/)) {
    for (const raw of splitSentences(line)) {
      const sentence = stripOpening(normalize(raw.replace(/^\s*(?:[-*•>#]+|\d+[.)])\s+/, '')));
      if (!sentence || HYPOTHETICAL_START.test(sentence)) continue;
      let kept = sentence;
      if (/\?\s*$/.test(sentence) || QUESTION_START.test(sentence)) {
        const declarative = declarativePart(sentence.replace(/\?+\s*$/, ''));
        if (!declarative) continue;
        kept = declarative;
      }
      out.push(...clausesOf(kept));
    }
  }
  return out;
}

/** Whether what precedes a subject makes the rest unreal or someone else's claim ("if", "I wish", "she said"). */
export function isUnreal(prefix: string): boolean {
  return HYPOTHETICAL_INSIDE.test(prefix) || REPORTED.test(prefix);
}
