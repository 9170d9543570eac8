// Synthetic but realistic memory input for the pipeline bench, from templates and a seeded PRNG (no data
// files): chat turns of one to three sentences mixing facts (places, jobs, preferences, plans, relations)
// with small talk, and ready-made beliefs to bulk-load one subject's self-model.
import { objectKey } from '../src/beliefs/lifecycle.js';
import type { Belief } from '../src/beliefs/store.js';
import type { BeliefCategory } from '../src/extraction/types.js';

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)]!,
    chance: (p) => next() < p,
  };
}

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(list: readonly T[]): T;
  chance(p: number): boolean;
}

const names = ['Maya', 'Sam', 'Leo', 'Ana', 'Priya', 'Tom', 'Chloe', 'Omar', 'Ines', 'Kenji', 'Lucia', 'Noah', 'Emma', 'Ravi', 'Sofia', 'Ben'];
const cities = ['Lisbon', 'Porto', 'Berlin', 'Austin', 'Denver', 'Oslo', 'Madrid', 'Toronto', 'Dublin', 'Seattle', 'Lyon', 'Melbourne', 'Osaka', 'Prague', 'Boston', 'Nairobi'];
const countries = ['Japan', 'Italy', 'Iceland', 'Mexico', 'Peru', 'Greece', 'Vietnam', 'Morocco', 'Norway', 'Chile', 'Canada', 'Portugal'];
const companies = ['Acme', 'Stripe', 'Spotify', 'Farfetch', 'Shopify', 'Google', 'Siemens', 'Deloitte', 'Zalando', 'Canva', 'Atlassian', 'Ikea'];
const jobs = ['nurse', 'data engineer', 'teacher', 'software engineer', 'product designer', 'accountant', 'chef', 'pharmacist', 'architect', 'physiotherapist', 'journalist', 'electrician'];
const activities = ['hiking', 'reading', 'cooking', 'climbing', 'running', 'painting', 'gardening', 'swimming', 'cycling', 'photography', 'knitting', 'surfing'];
const foods = ['coffee', 'cilantro', 'sushi', 'olives', 'mushrooms', 'spicy food', 'pizza', 'tofu', 'oysters', 'dark chocolate'];
const bands = ['Radiohead', 'Daft Punk', 'Fleetwood Mac', 'Arctic Monkeys', 'Bon Iver', 'Coldplay', 'Kendrick Lamar', 'ABBA'];
const instruments = ['guitar', 'piano', 'drums', 'violin', 'cello', 'ukulele'];
const pets = ['dog', 'cat', 'kitten', 'puppy', 'parrot', 'rabbit'];
const petNames = ['Max', 'Pixel', 'Mochi', 'Tofu', 'Luna', 'Biscuit', 'Pepper', 'Olive'];
const relatives = ['sister', 'brother', 'cousin'];
const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
const languages = ['Japanese', 'Spanish', 'German', 'Italian', 'Portuguese'];
const appointments = ['job interview', 'dentist appointment', 'doctor appointment', 'team offsite'];
const whens = ['next month', 'next week', 'in two weeks', 'next year'];

const smallTalk = [
  'Good morning!',
  "Thanks, that's really helpful.",
  "Haha, that's funny.",
  'The weather is nice today.',
  'It rained all day.',
  'Work was busy today.',
  "I'm so tired.",
  'Can you help me with my resume?',
  'What do you think about that?',
  "I'll let you know.",
  'We watched a movie last night.',
  'I had coffee with a friend.',
  'Okay, sounds good.',
  'Not much going on today.',
  'Could you explain that again?',
  'I went to the gym yesterday.',
  'Good night!',
  'Let me think about it.',
  'That makes sense.',
  "I'm going to bed.",
];

/** One user's life as the conversation reveals it; moves and job changes update it as they are told. */
interface Persona {
  name: string;
  city: string;
  hometown: string;
  company: string;
  job: string;
}

type FactTemplate = (p: Persona, r: Random) => string;

const withArticle = (noun: string) => `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;

const factTemplates: FactTemplate[] = [
  // places
  (p) => `I live in ${p.city}.`,
  (p) => `I'm currently based in ${p.city}.`,
  (p, r) => {
    const from = p.city;
    p.city = r.pick(cities.filter((c) => c !== from));
    return `I moved from ${from} to ${p.city} last month.`;
  },
  (p) => `I grew up in ${p.hometown}.`,
  (_p, r) => `I went to ${r.pick(countries)} last summer.`,
  (_p, r) => `I've been to ${r.pick(countries)} twice.`,
  // work
  (p) => `I work at ${p.company} as ${withArticle(p.job)}.`,
  (p) => `I'm ${withArticle(p.job)}.`,
  (p) => `I work for ${p.company}.`,
  (p, r) => {
    p.company = r.pick(companies.filter((c) => c !== p.company));
    return `I started at ${p.company} last month.`;
  },
  (_p, r) => `I used to work at ${r.pick(companies)}.`,
  // preferences
  (_p, r) => `I love ${r.pick(activities)}.`,
  (_p, r) => `I love ${r.pick(activities)}, ${r.pick(activities)} and ${r.pick(activities)}.`,
  (_p, r) => `I don't like ${r.pick(foods)}.`,
  (_p, r) => `I can't stand ${r.pick(foods)}.`,
  () => 'I prefer tea over coffee.',
  (_p, r) => `My favourite band is ${r.pick(bands)}.`,
  (_p, r) => `I play ${r.pick(instruments)}.`,
  (_p, r) => `I go ${r.pick(activities)} every weekend.`,
  (_p, r) => `I'm really into ${r.pick(activities)} these days.`,
  () => "I'm vegetarian.",
  // plans
  (_p, r) => `I'm going to ${r.pick(countries)} ${r.pick(whens)}.`,
  (_p, r) => `I'm flying to ${r.pick(cities)} in two weeks.`,
  (_p, r) => `I have ${withArticle(r.pick(appointments))} on ${r.pick(weekdays)}.`,
  (_p, r) => `I plan to learn ${r.pick(languages)} next year.`,
  (_p, r) => `I'd love to visit ${r.pick(countries)} someday.`,
  // relations
  (_p, r) => `My ${r.pick(relatives)} ${r.pick(names)} lives in ${r.pick(cities)}.`,
  (_p, r) => `I have ${withArticle(r.pick(pets))} named ${r.pick(petNames)}.`,
  (_p, r) => `${r.pick(names)} is my best friend.`,
];

/** One conversation_turn envelope body, as POST /external/input takes it (user_id filled in by the caller). */
export interface Turn {
  envelopeId: string;
  user: number;
  text: string;
  timestamp: string;
}

/** A turn of one to three sentences: about a third small talk only, the rest one or two facts and maybe small talk. */
function turnText(p: Persona, r: Random): string {
  if (r.chance(0.35)) return r.chance(0.7) ? r.pick(smallTalk) : `${r.pick(smallTalk)} ${r.pick(smallTalk)}`;
  const sentences = [r.pick(factTemplates)(p, r)];
  if (r.chance(0.4)) sentences.push(r.pick(factTemplates)(p, r));
  if (r.chance(0.4)) sentences.splice(r.int(0, sentences.length), 0, r.pick(smallTalk));
  return sentences.join(' ');
}

/**
 * `count` turns spread round-robin over `users` users, each user's turns in time order (a few minutes to
 * hours apart, starting at `startMs`), with envelope ids `<prefix>-<user>-<n>`.
 */
export function generateTurns(options: { count: number; users: number; seed: number; startMs: number; prefix: string }): Turn[] {
  const r = createRandom(options.seed);
  const personas: Persona[] = [];
  const clocks: number[] = [];
  for (let u = 0; u < options.users; u++) {
    personas.push({ name: r.pick(names), city: r.pick(cities), hometown: r.pick(cities), company: r.pick(companies), job: r.pick(jobs) });
    clocks.push(options.startMs);
  }
  const turns: Turn[] = [];
  for (let i = 0; i < options.count; i++) {
    const user = i % options.users;
    clocks[user]! += r.int(5, 8 * 60) * 60_000;
    turns.push({
      envelopeId: `${options.prefix}-${user}-${Math.floor(i / options.users)}`,
      user,
      text: turnText(personas[user]!, r),
      timestamp: new Date(clocks[user]!).toISOString(),
    });
  }
  return turns;
}

interface BeliefShape {
  predicate: string;
  category: BeliefCategory;
  objects: readonly string[];
  statement: (object: string) => string;
  plan?: boolean;
}

const beliefShapes: BeliefShape[] = [
  { predicate: 'visited', category: 'place', objects: [...countries, ...cities], statement: (o) => `visited ${o}` },
  { predicate: 'lives_in', category: 'place', objects: cities, statement: (o) => `lives in ${o}` },
  { predicate: 'works_at', category: 'occupation', objects: companies, statement: (o) => `works at ${o}` },
  { predicate: 'job_title', category: 'occupation', objects: jobs, statement: (o) => `is ${withArticle(o)}` },
  { predicate: 'loves', category: 'preference', objects: activities, statement: (o) => `loves ${o}` },
  { predicate: 'likes', category: 'preference', objects: [...foods, ...activities], statement: (o) => `likes ${o}` },
  { predicate: 'dislikes', category: 'preference', objects: foods, statement: (o) => `dislikes ${o}` },
  { predicate: 'hobby', category: 'preference', objects: [...activities, ...instruments], statement: (o) => `enjoys ${o} as a hobby` },
  { predicate: 'favorite_band', category: 'preference', objects: bands, statement: (o) => `favorite band is ${o}` },
  { predicate: 'plans_to', category: 'plan', objects: countries.map((c) => `travel to ${c}`), statement: (o) => `plans to ${o}`, plan: true },
  { predicate: 'has_event', category: 'plan', objects: appointments, statement: (o) => `has ${withArticle(o)}`, plan: true },
  { predicate: 'has_pet', category: 'possession', objects: pets.flatMap((k) => petNames.map((n) => `${k} named ${n}`)), statement: (o) => `has a ${o}` },
  { predicate: 'has_friend', category: 'relation', objects: names.map((n) => `friend named ${n}`), statement: (o) => `has a ${o}` },
];

/** Words that make generated objects distinct, as years of conversation would ("hiking in the Alps"). */
const qualifiers = ['', 'in the spring', 'with friends', 'on weekends', 'since college', 'at night', 'in the mountains', 'by the sea', 'with family', 'lately'];

/**
 * `count` beliefs about one subject spread over two years before `nowMs`: about two thirds about the
 * subject, the rest about people in their life; `supersededShare` of them superseded.
 */
export function generateBeliefs(options: {
  count: number;
  subjectId: string;
  seed: number;
  nowMs: number;
  supersededShare: number;
  newId: () => string;
}): Omit<Belief, 'tenantId'>[] {
  const r = createRandom(options.seed);
  const span = 2 * 365 * 86_400_000;
  const out: Omit<Belief, 'tenantId'>[] = [];
  for (let i = 0; i < options.count; i++) {
    const shape = r.pick(beliefShapes);
    const qualifier = r.pick(qualifiers);
    const object = qualifier && !shape.plan ? `${r.pick(shape.objects)} ${qualifier}` : r.pick(shape.objects);
    const about = r.chance(0.65) ? 'self' : r.chance(0.5) ? r.pick(names) : r.pick(relatives);
    const firstSeen = options.nowMs - Math.floor(r.next() * span);
    const lastConfirmed = Math.min(options.nowMs, firstSeen + Math.floor(r.next() * 90 * 86_400_000));
    const superseded = r.chance(options.supersededShare);
    const endedAt = superseded ? Math.min(options.nowMs, lastConfirmed + 86_400_000) : null;
    out.push({
      id: options.newId(),
      subjectId: options.subjectId,
      about,
      predicate: shape.predicate,
      object,
      objectKey: objectKey(object),
      statement: shape.statement(object),
      positive: !r.chance(0.08),
      category: shape.category,
      confidence: Math.round((0.5 + r.next() * 0.45) * 100) / 100,
      confirmations: r.int(1, 5),
      status: superseded ? 'superseded' : 'active',
      source: 'rules',
      validFrom: firstSeen,
      validTo: endedAt,
      whenAt: shape.plan ? lastConfirmed + r.int(1, 120) * 86_400_000 : null,
      firstSeen,
      lastConfirmed,
      recordedAt: firstSeen,
      supersededAt: endedAt,
      supersededBy: null,
      contradicts: null,
      updatedAt: lastConfirmed,
    });
  }
  return out;
}

/** Questions a caller might ask before answering the user, for POST /external/context with `query`. */
export const contextQuestions = [
  'Where does the user live these days?',
  'What does the user do for work?',
  'What food should I avoid suggesting?',
  'Does the user have any upcoming travel plans?',
  'What music do they like?',
  'Tell me about their pets and friends.',
  'What hobbies do they enjoy on weekends?',
  'Has the user been to Japan?',
];
