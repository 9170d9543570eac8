// What words are: compromise's lexicon (places, first names, organisations, demonyms, verb forms, sentence boundaries)
// and Engram's own vocabularies for what beliefs are about (occupations, relatives, pets, diets, languages).
//
// compromise is used through its lexicon and helpers rather than by tagging whole sentences: a full parse costs
// about a millisecond per sentence on the project's machines, which alone would exceed the extractor's budget.
import nlp from 'compromise';

/** The parts of compromise's world this module reads; compromise types `world()` only as `object`. */
interface CompromiseWorld {
  model: { one: { lexicon: Record<string, string | string[]> } };
  methods: {
    one: { tokenize: { splitSentences(text: string, world: CompromiseWorld): string[] } };
    two: {
      transform: {
        verb: {
          conjugate(infinitive: string, model: unknown): Record<string, string | undefined>;
          toInfinitive(word: string, model: unknown, tense: string): string;
        };
      };
    };
  };
}

const world = nlp.world() as unknown as CompromiseWorld;
const lexicon = world.model.one.lexicon;

/** Sentences of a text: compromise's splitter knows abbreviations ("Dr.", "St. Louis", "U.S."). */
export function splitSentences(text: string): string[] {
  return world.methods.one.tokenize.splitSentences(text, world).map((s) => s.trim()).filter(Boolean);
}

function tagsOf(phrase: string): string[] {
  const tags = lexicon[phrase.toLowerCase()];
  return tags === undefined ? [] : Array.isArray(tags) ? tags : [tags];
}

const PLACE_TAGS = new Set(['City', 'Country', 'Region', 'Place']);
const NAME_TAGS = new Set(['FirstName', 'MaleName', 'FemaleName', 'Person']);

/** Known to compromise as a city, country, region or place ("porto", "new york", "Porto, Portugal"). */
export function isKnownPlace(phrase: string): boolean {
  const parts = phrase.split(/,\s*/);
  return parts.every((part) => tagsOf(part.replace(/^the\s+/i, '')).some((t) => PLACE_TAGS.has(t)));
}

/** A given name or a famous person's name that compromise knows ("Emma", "sam"). */
export function isKnownPersonName(word: string): boolean {
  return tagsOf(word).some((t) => NAME_TAGS.has(t));
}

export function isKnownOrganization(phrase: string): boolean {
  return tagsOf(phrase).includes('Organization');
}

/** "Portuguese", "Canadian": nationality adjectives. */
export function isDemonym(word: string): boolean {
  return tagsOf(word).includes('Demonym');
}

export function isMonthOrWeekday(word: string): boolean {
  return tagsOf(word).some((t) => t === 'Month' || t === 'WeekDay');
}

const conjugations = new Map<string, Record<string, string | undefined>>();

function conjugate(verb: string): Record<string, string | undefined> {
  let forms = conjugations.get(verb);
  if (!forms) {
    forms = world.methods.two.transform.verb.conjugate(verb, world.model) ?? {};
    conjugations.set(verb, forms);
  }
  return forms;
}

/** "swim" → "swimming". Multi-word phrases conjugate their first word ("work out" → "working out"). */
export function gerund(phrase: string): string {
  const [verb = '', ...rest] = phrase.split(' ');
  const lower = verb.toLowerCase();
  const form = conjugate(lower).Gerund ?? `${lower}ing`;
  return [form, ...rest].join(' ');
}

/** "moving to Berlin" → "move to Berlin": plans read as infinitives. */
export function infinitiveOfGerund(phrase: string): string {
  const [verb = '', ...rest] = phrase.split(' ');
  if (!/ing$/i.test(verb)) return phrase;
  return [world.methods.two.transform.verb.toInfinitive(verb.toLowerCase(), world.model, 'Gerund'), ...rest].join(' ');
}

/** "go" → "goes", "play guitar" → "plays guitar": statements are in the third person. */
export function thirdPerson(phrase: string): string {
  const [verb = '', ...rest] = phrase.split(' ');
  const irregular: Record<string, string> = { be: 'is', am: 'is', are: 'is', have: 'has', do: 'does', go: 'goes' };
  const lower = verb.toLowerCase();
  const form = irregular[lower] ?? conjugate(lower).PresentTense ?? `${lower}s`;
  return [form, ...rest].join(' ');
}

/** Job heads: the last word of a job title ("senior software engineer" → "engineer"). */
export const OCCUPATIONS = new Set(
  `accountant actor actress actuary administrator admin analyst anesthesiologist animator announcer architect archivist artist assistant
  associate attorney auditor author baker banker barber barista bartender biologist bookkeeper builder butcher buyer carer caregiver
  carpenter cashier ceo cfo chef chemist chiropractor cleaner clerk clinician coach consultant contractor coo coordinator copywriter
  counselor counsellor courier cto curator dancer dean dentist designer detective developer dietitian dietician diplomat director
  dispatcher doctor driver economist editor educator electrician engineer entrepreneur epidemiologist executive farmer firefighter
  fisherman florist founder cofounder co-founder freelancer gardener geologist graphic hairdresser hairstylist handyman historian
  homemaker housekeeper hygienist illustrator influencer instructor intern interpreter investor janitor jeweler journalist judge
  labourer laborer landscaper lawyer lecturer librarian lifeguard linguist locksmith machinist manager marketer mathematician mechanic
  midwife miner musician nanny nurse officer optician optometrist owner painter paralegal paramedic pastor pharmacist photographer
  physician physicist physio physiotherapist pilot plumber podcaster policeman policewoman politician postdoc practitioner president
  priest principal producer professor programmer psychiatrist psychologist publisher rabbi radiologist realtor receptionist recruiter
  rep representative reporter researcher salesman salesperson saleswoman scientist secretary senator server singer sociologist soldier
  songwriter specialist statistician strategist streamer student supervisor surgeon surveyor tailor teacher technician technologist
  therapist trader trainer translator tutor typist vet veterinarian vp waiter waitress welder writer youtuber`.split(/\s+/),
);

/** Nouns that say what kind of person someone is, not their job ("I'm a night owl", "I'm an introvert"). */
export const PERSON_KINDS = new Set([
  ...`introvert extrovert ambivert optimist pessimist realist perfectionist procrastinator overthinker worrier homebody foodie bookworm
  nerd geek gamer runner reader swimmer cyclist hiker climber surfer skier snowboarder golfer jogger skater drinker non-drinker`.split(/\s+/),
  'night owl', 'early bird', 'early riser', 'morning person', 'night person', 'dog person', 'cat person', 'people person', 'coffee drinker', 'tea drinker',
]);

export type RelationKind = 'partner' | 'sibling' | 'child' | 'parent' | 'grandparent' | 'grandchild' | 'relative' | 'friend' | 'acquaintance';

/** Words for people the subject is related to, by kind. */
export const RELATIVES: Record<string, RelationKind> = {};
const RELATIVE_WORDS: Record<RelationKind, string> = {
  partner: 'wife husband spouse partner girlfriend boyfriend fiance fiancé fiancee fiancée gf bf',
  sibling: 'sister brother sibling siblings sis twin stepsister stepbrother half-sister half-brother sisters brothers',
  child: 'son daughter kid kids child children baby toddler stepson stepdaughter sons daughters twins',
  parent: 'mom mum mother dad father mommy mummy daddy mama papa parents stepmom stepmum stepmother stepdad stepfather',
  grandparent: 'grandma grandmother grandpa grandfather granny nana grandparents',
  grandchild: 'grandson granddaughter grandkid grandkids grandchild grandchildren',
  relative: 'aunt auntie uncle cousin niece nephew in-laws mother-in-law father-in-law sister-in-law brother-in-law cousins',
  friend: 'friend friends bestie bff',
  acquaintance: 'roommate flatmate housemate boss manager coworker co-worker colleague neighbor neighbour mentor therapist landlord',
};
for (const [kind, words] of Object.entries(RELATIVE_WORDS) as Array<[RelationKind, string]>) {
  for (const word of words.split(' ')) RELATIVES[word] = kind;
}

/** Predicates for each kind of relation ("has_sibling"); partners get the single-valued `partner`. */
export const RELATION_PREDICATES: Record<RelationKind, string> = {
  partner: 'partner',
  sibling: 'has_sibling',
  child: 'has_child',
  parent: 'has_parent',
  grandparent: 'has_grandparent',
  grandchild: 'has_grandchild',
  relative: 'has_relative',
  friend: 'has_friend',
  acquaintance: 'knows',
};

/** Modifiers that may stand between "my" and a relative ("my older sister", "my best friend"). */
export const RELATIVE_MODIFIERS = 'older|younger|little|big|baby|twin|eldest|oldest|youngest|middle|best|step|half|new|only|two|three|four|2|3|4';

export const PETS = new Set(
  `dog dogs puppy pup cat cats kitten kitty hamster rabbit bunny parrot bird budgie cockatiel canary fish goldfish turtle tortoise snake
  lizard gecko iguana horse pony ferret rat mouse chinchilla hedgehog pig guinea-pig retriever labrador lab poodle beagle husky corgi pug
  pet pets dachshund terrier shepherd bulldog chihuahua collie spaniel greyhound rottweiler boxer doberman schnauzer pomeranian shih-tzu
  doodle labradoodle goldendoodle whippet dalmatian tabby siamese persian ragdoll bengal sphynx`.split(/\s+/),
);

export const LANGUAGES = new Set(
  `english spanish portuguese french german italian dutch russian ukrainian polish czech greek turkish arabic hebrew persian farsi hindi
  urdu bengali punjabi tamil telugu marathi gujarati kannada malayalam chinese mandarin cantonese japanese korean vietnamese thai
  indonesian malay tagalog filipino swahili amharic yoruba hausa igbo zulu xhosa afrikaans swedish norwegian danish finnish icelandic
  hungarian romanian bulgarian serbian croatian bosnian slovak slovenian lithuanian latvian estonian catalan basque galician irish welsh
  gaelic latin esperanto asl albanian armenian georgian kazakh uzbek mongolian nepali sinhala khmer lao burmese somali`.split(/\s+/),
);

/** Diets people say they follow; values of the single-valued `diet`. */
export const DIETS = new Set(
  `vegetarian vegan pescatarian pescetarian keto paleo carnivore flexitarian plant-based kosher halal omnivore gluten-free dairy-free
  lacto-vegetarian ovo-vegetarian fruitarian low-carb`.split(/\s+/),
);

/** Hobby verbs: "I run", "I go hiking", "I've been climbing a lot". */
export const ACTIVITY_VERBS = new Set(
  `run jog swim hike climb cycle bike surf ski snowboard skate skateboard knit crochet sew paint draw sketch bake cook garden dance sing
  meditate fish hunt sail row box golf bowl fence kayak canoe camp journal volunteer read write blog vlog travel backpack boulder
  dive scuba-dive snorkel skydive ride lift train workout`.split(/\s+/),
);

export const EVENT_NOUNS = new Set(
  `wedding party exam exams test interview surgery operation appointment flight trip vacation holiday holidays graduation recital concert
  gig marathon race game match meeting presentation conference deadline anniversary move performance show tournament competition
  ceremony reunion shower checkup check-up date procedure audition defense defence final finals`.split(/\s+/),
);

export const RELIGIONS = new Set(
  `christian catholic protestant orthodox muslim jewish buddhist hindu sikh jain atheist agnostic mormon pagan`.split(/\s+/),
);

/** A verb in the present or past tense ("lives", "moved", "is"): what can start a second predicate after "and". */
export function isFiniteVerb(word: string): boolean {
  return tagsOf(word).some((t) => t === 'PresentTense' || t === 'PastTense' || t === 'Copula');
}

/** Unknown to compromise, or known only as a noun ("Max", "Faith"): capitalised after "I'm", likely a name. */
export function couldBeName(word: string): boolean {
  return tagsOf(word).every((t) => t === 'Noun' || t === 'Singular' || t === 'ProperNoun');
}

function alternation(words: Iterable<string>): string {
  return [...words].sort((a, b) => b.length - a.length).map((w) => w.replace(/[-.]/g, '\\$&')).join('|');
}

/** Regex alternatives for relatives and pets, longest first ("mother-in-law" before "mother"). */
export const RELATIVE_RE = alternation(Object.keys(RELATIVES));
export const PET_RE = alternation(PETS);
/** Pets whose word means nothing else ("my lab", "my mouse" are often not animals): for bare mentions. */
export const UNAMBIGUOUS_PET_RE = alternation([...PETS].filter((w) => !/^(?:lab|boxer|persian|bengal|mouse|rat|pig|shepherd|pet|pets|bird|fish)$/.test(w)));
