// Survey answers: "Where do you live?" + "Porto" becomes "I live in Porto", which the ordinary rules then read.
// The question carries the predicate; short answers ("Porto", "yes", "hiking and reading") carry only the object.

const YES = /^(?:yes|yeah|yep|yup|sure|of course|definitely|absolutely|correct|true|y|I do|I am|I have|I did)\b[\s,.!:;-]*/i;
const NO = /^(?:no|nope|nah|not really|never|not at all|n|I do not|I am not|I have not|I did not|none)\b[\s,.!:;-]*/i;

/** Wh-questions whose answer fills a statement: `{a}` is the answer. */
const TEMPLATES: Array<[RegExp, string]> = [
  [/\b(?:where do you (?:currently )?live|where are you (?:currently )?(?:based|living|located)|what (?:city|town|country) do you live in|where(?:'s| is) home|where do you call home|current (?:city|location))\b/i, 'I live in {a}'],
  [/\b(?:where are you (?:originally )?from|where did you grow up|where do you come from|(?:what|where) is your hometown)\b/i, 'I am from {a}'],
  [/\bwhat(?:'s| is) your nationality\b/i, 'I am {a}'],
  [/\bwhere were you born\b/i, 'I was born in {a}'],
  [/\b(?:what(?:'s| is) your (?:full |first |preferred )?name|what should (?:we|I) call you|what do you go by|who are you)\b/i, 'my name is {a}'],
  [/\b(?:how old are you|what(?:'s| is) your age|age)\b/i, 'I am {a}'],
  [/\b(?:when(?:'s| is) your birthday|what(?:'s| is) your (?:date of birth|birthday|birth date|dob)|when were you born)\b/i, 'my birthday is {a}'],
  [/\b(?:what are your (?:hobbies|interests|passions)|what do you (?:like to do|enjoy doing|do for fun|do in your (?:free|spare) time)|how do you (?:spend|like to spend) your (?:free|spare) time)\b/i, 'my hobbies are {a}'],
  [/\b(?:where do you work|who do you work for|what company do you work (?:for|at)|who is your employer|(?:which|what) company)\b/i, 'I work at {a}'],
  [/\b(?:what do you do(?: for (?:a living|work|your job))?|what(?:'s| is) your (?:current )?(?:job|occupation|profession|role|job title|position)|what is your line of work|what kind of work do you do)\b/i, 'I work as {a}'],
  [/\b(?:where do you study|what (?:school|university|college) do you (?:go to|attend)|where do you go to school)\b/i, 'I study at {a}'],
  [/\b(?:what do you study|what(?:'s| is) your major|what are you studying)\b/i, 'I study {a}'],
  [/\bwhat(?:'s| is) your (?:relationship|marital) status\b/i, 'I am {a}'],
  [/\bwhat(?:'s| is| are) your (?:all-time |absolute )?favou?rite ([a-z ]+?)\s*\??$/i, 'my favorite $1 is {a}'],
  [/\bwhat (?:kind of |type of |sort of )?(?:[a-z]+ )?do you (?:dislike|hate|not like|can't stand)\b/i, 'I dislike {a}'],
  [/\bwhat (?:kind of |type of |sort of )?(?:[a-z]+ )?do you (?:like|love|enjoy)\b/i, 'I like {a}'],
  [/\b(?:dietary (?:restrictions|requirements|preferences)|what(?:'s| is) your diet|do you follow (?:a|any) (?:special )?diet)\b/i, 'I am {a}'],
  [/\b(?:what|which) languages? do you speak\b/i, 'I speak {a}'],
  [/\bwhat(?:'s| is) your (?:native language|mother tongue|first language)\b/i, 'my native language is {a}'],
  [/\b(?:what are your pronouns|which pronouns do you use|pronouns)\b/i, 'my pronouns are {a}'],
  [/\b(?:what(?:'s| is) your gender|how do you identify|gender)\b/i, 'I am a {a}'],
  [/\b(?:what are you allergic to|do you have any (?:food )?allergies|allergies)\b/i, 'I am allergic to {a}'],
  [/\b(?:what are your plans|what are you planning|what are you going to do|any plans)\b/i, 'I am planning to {a}'],
  [/\b(?:where have you (?:travell?ed|been)|what countries have you (?:visited|been to)|where did you (?:go|travel))\b/i, 'I have been to {a}'],
];

/** Yes/no questions turned into the statement they ask about, for either answer. */
const YES_NO: Array<[RegExp, (m: RegExpExecArray) => [yes: string, no: string]]> = [
  [/^do you have (?:any )?(.+?)\s*\??$/i, (m) => [`I have ${m[1]}`, `I do not have ${m[1]}`]],
  [/^do you (.+?)\s*\??$/i, (m) => [`I ${m[1]}`, `I do not ${m[1]}`]],
  [/^are you (.+?)\s*\??$/i, (m) => [`I am ${m[1]}`, `I am not ${m[1]}`]],
  [/^have you (?:ever )?(.+?)\s*\??$/i, (m) => [`I have ${m[1]}`, `I have never ${m[1]}`]],
  [/^is your (.+?) (.+?)\s*\??$/i, (m) => [`my ${m[1]} is ${m[2]}`, `my ${m[1]} is not ${m[2]}`]],
];

/** Profile-style fields in notes and documents ("Location: Porto", "Job title: nurse"), by field name. */
const FIELDS: Array<[RegExp, string]> = [
  [/^(?:full |first |given )?name$/i, 'my name is {a}'],
  [/^(?:nickname|preferred name|goes by)$/i, 'call me {a}'],
  [/^age$/i, 'I am {a}'],
  [/^(?:birthday|date of birth|dob|birth ?date|born)$/i, 'my birthday is {a}'],
  [/^gender$/i, 'I am a {a}'],
  [/^pronouns$/i, 'my pronouns are {a}'],
  [/^(?:location|city|current city|lives in|home|based in|residence|hometown now)$/i, 'I live in {a}'],
  [/^(?:hometown|from|origin|grew up in|country of origin)$/i, 'I am from {a}'],
  [/^nationality$/i, 'I am {a}'],
  [/^(?:occupation|job|job title|title|role|profession|position)$/i, 'I work as {a}'],
  [/^(?:employer|company|works at|workplace|organi[sz]ation)$/i, 'I work at {a}'],
  [/^(?:school|university|college|studies at)$/i, 'I study at {a}'],
  [/^(?:major|field of study|studying|studies)$/i, 'I study {a}'],
  [/^(?:relationship status|marital status)$/i, 'I am {a}'],
  [/^(?:languages?|speaks)$/i, 'I speak {a}'],
  [/^(?:native language|mother tongue|first language)$/i, 'my native language is {a}'],
  [/^(?:diet|dietary restrictions?)$/i, 'I am {a}'],
  [/^(?:allergies|allergic to)$/i, 'I am allergic to {a}'],
  [/^(?:hobbies|interests|hobbies and interests)$/i, 'my hobbies are {a}'],
  [/^(?:likes|loves)$/i, 'I like {a}'],
  [/^(?:dislikes|hates)$/i, 'I dislike {a}'],
  [/^(?:pets?|kids|children)$/i, 'I have {a}'],
  [/^favou?rite ([a-z ]+)$/i, 'my favorite $1 is {a}'],
];

/** "Location: Porto" → "I live in Porto"; null when the line is not a field we know. */
export function fieldStatement(line: string): string | null {
  const m = /^\s*(?:[-*•]\s*)?\**([A-Za-z][A-Za-z' ]{1,30}?)\**\s*:\**\s+(.+?)\s*$/.exec(line);
  if (!m) return null;
  const field = FIELDS.find(([re]) => re.test(m[1]!.trim()));
  if (!field) return null;
  const key = field[0].exec(m[1]!.trim())!;
  return field[1].replace('$1', key[1]?.trim() ?? '').replace('{a}', m[2]!.replace(/\*+/g, ''));
}

function fromQuestionPerson(text: string): string {
  return text.replace(/\byour\b/gi, 'my').replace(/\byours\b/gi, 'mine').replace(/\byourself\b/gi, 'myself');
}

/**
 * Statements a question and its answer make together, for the rules to read.
 * Empty when the question is not one we know or the answer already speaks for itself.
 */
export function surveyStatements(question: string, answer: string): string[] {
  const q = question.trim().replace(/\s+/g, ' ');
  const a = answer.trim().replace(/[.!]+$/, '');
  if (!q || !a) return [];
  const yesNo = YES_NO.find(([re]) => re.test(q));
  if (yesNo && (YES.test(a) || NO.test(a))) {
    const [yes, no] = yesNo[1](yesNo[0].exec(q)!).map(fromQuestionPerson) as [string, string];
    if (NO.test(a) && !YES.test(a)) return [no];
    const content = a.replace(YES, '').replace(YES, '').trim();
    if (content && /^do you have/i.test(q)) return [`I have ${content}`];
    return content ? [yes, content] : [yes];
  }
  for (const [re, template] of TEMPLATES) {
    const m = re.exec(q);
    if (!m) continue;
    const filled = template.replace('$1', m[1]?.trim() ?? '');
    // "In Porto" for "I live in {a}": the answer's own preposition replaces the template's.
    return a.split(/\n+/).map((line) => filled.replace('{a}', line.trim()).replace(/\b(in|at|from|to|as|for) \1\b/i, '$1'));
  }
  return [];
}
