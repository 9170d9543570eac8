// The rule extractor, table-driven: text in, beliefs out. Said on Wednesday 2025-06-11 unless a case says otherwise.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRuleExtractor } from './rules.js';
import type { ExtractedBelief, ExtractionInput } from './types.js';

const WEDNESDAY = Date.UTC(2025, 5, 11, 15, 30);
const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);

type Expected = Partial<ExtractedBelief>;

interface Case {
  text: string;
  speaker?: string | null;
  question?: string;
  /** Beliefs that must be among those found (fields compared are those given; `positive` defaults to true). */
  expect?: Expected[];
  /** Beliefs that must not be found. */
  absent?: Expected[];
  /** Nothing at all may be found. */
  none?: true;
}

const extractor = createRuleExtractor();

function input(c: Case): ExtractionInput {
  return {
    text: c.text,
    speaker: c.speaker === undefined ? null : c.speaker,
    subjectNames: ['Sam', 'Sam Rivera'],
    occurredAt: WEDNESDAY,
    inputType: c.question ? 'survey_answer' : 'conversation_turn',
    ...(c.question ? { question: c.question } : {}),
  };
}

function matches(belief: ExtractedBelief, expected: Expected): boolean {
  const wanted: Expected = { about: 'self', positive: true, ...expected };
  return Object.entries(wanted).every(([key, value]) => {
    const actual = belief[key as keyof ExtractedBelief];
    return typeof value === 'string' && typeof actual === 'string' ? actual.toLowerCase() === value.toLowerCase() : actual === value;
  });
}

function show(beliefs: ExtractedBelief[]): string {
  return beliefs.map((b) => `${b.about} ${b.predicate} "${b.object}" ${b.positive ? '+' : '-'}`).join('; ') || '(nothing)';
}

const cases: Record<string, Case[]> = {
  identity: [
    { text: "Hi, I'm Sam!", expect: [{ predicate: 'name', object: 'Sam' }] },
    { text: 'My name is Samantha but everyone calls me Sam.', expect: [{ predicate: 'name', object: 'Samantha' }, { predicate: 'nickname', object: 'Sam' }], absent: [{ predicate: 'name', object: 'Samantha but everyone' }] },
    { text: 'You can call me Alex.', expect: [{ predicate: 'name', object: 'Alex' }] },
    { text: "I'm 34.", expect: [{ predicate: 'age', object: '34' }] },
    { text: "i'm thirty-four years old", expect: [{ predicate: 'age', object: '34' }] },
    { text: 'I turned 30 last week.', expect: [{ predicate: 'age', object: '30', validFrom: day('2025-06-02') }] },
    { text: "I'm in my early thirties.", expect: [{ predicate: 'age', object: 'early 30s' }] },
    { text: 'My birthday is on June 5th.', expect: [{ predicate: 'birthday', object: 'June 5' }] },
    { text: 'I was born on March 3rd, 1990.', expect: [{ predicate: 'birthday', object: 'March 3, 1990' }] },
    { text: 'I was born in 1990 in Lisbon.', expect: [{ predicate: 'birth_year', object: '1990' }] },
    { text: "I'm non-binary and my pronouns are they/them.", expect: [{ predicate: 'gender', object: 'non-binary' }, { predicate: 'pronouns', object: 'they/them' }] },
    { text: "I'm a woman.", expect: [{ predicate: 'gender', object: 'female' }] },
    { text: 'My native language is Portuguese.', expect: [{ predicate: 'native_language', object: 'Portuguese' }] },
    { text: "I'm a native Spanish speaker and I also speak English and French.", expect: [{ predicate: 'native_language', object: 'Spanish' }, { predicate: 'speaks', object: 'English' }, { predicate: 'speaks', object: 'French' }] },
    { text: "I'm Canadian.", expect: [{ predicate: 'nationality', object: 'Canadian' }] },
    { text: "I'm from Lisbon, Portugal.", expect: [{ predicate: 'from', object: 'Lisbon, Portugal' }] },
    { text: 'I grew up in Ohio.', expect: [{ predicate: 'from', object: 'Ohio' }] },
  ],
  place: [
    { text: 'I live in Porto.', expect: [{ predicate: 'lives_in', object: 'Porto', statement: 'lives in Porto', confidence: 0.9, category: 'place' }] },
    { text: 'i live in porto with my wife', expect: [{ predicate: 'lives_in', object: 'porto' }, { predicate: 'relationship_status', object: 'married' }] },
    { text: 'I just moved to Porto.', expect: [{ predicate: 'lives_in', object: 'Porto' }] },
    {
      text: 'I moved from Lisbon to Porto last year.',
      expect: [{ predicate: 'lives_in', object: 'Porto', validFrom: day('2024-01-01') }, { predicate: 'lives_in', object: 'Lisbon', validTo: day('2024-01-01') }],
    },
    { text: 'I moved to Porto from Lisbon.', expect: [{ predicate: 'lives_in', object: 'Porto' }, { predicate: 'lives_in', object: 'Lisbon', validTo: WEDNESDAY }] },
    { text: 'I used to live in Berlin.', expect: [{ predicate: 'lives_in', object: 'Berlin', validTo: WEDNESDAY }] },
    { text: "I don't live in Paris anymore.", expect: [{ predicate: 'lives_in', object: 'Paris', positive: false, statement: 'no longer lives in Paris' }] },
    { text: "I'm currently based in Berlin, Germany.", expect: [{ predicate: 'lives_in', object: 'Berlin, Germany' }] },
    { text: "I've lived in a small flat in Lisbon for five years.", expect: [{ predicate: 'lives_in', object: 'Lisbon' }] },
    { text: "I've been to Japan twice.", expect: [{ predicate: 'visited', object: 'Japan' }] },
    { text: 'I went to Italy last summer.', expect: [{ predicate: 'visited', object: 'Italy', when: day('2024-06-01') }] },
    { text: "I've never been to Asia.", expect: [{ predicate: 'visited', object: 'Asia', positive: false }] },
    { text: 'I went to the gym yesterday.', none: true },
  ],
  occupation: [
    { text: 'I work at Acme Corp as a data engineer.', expect: [{ predicate: 'works_at', object: 'Acme Corp' }, { predicate: 'job_title', object: 'data engineer' }] },
    { text: 'I work for Google.', expect: [{ predicate: 'works_at', object: 'Google', category: 'occupation' }] },
    { text: "I'm a nurse.", expect: [{ predicate: 'job_title', object: 'nurse', statement: 'is a nurse' }] },
    { text: 'im a software engineer at Stripe', expect: [{ predicate: 'job_title', object: 'software engineer' }, { predicate: 'works_at', object: 'Stripe' }] },
    { text: "I'm a nurse at St. Mary's Hospital.", expect: [{ predicate: 'works_at', object: "St. Mary's Hospital" }] },
    { text: "I'm head of marketing at Spotify.", expect: [{ predicate: 'job_title', object: 'head of marketing' }, { predicate: 'works_at', object: 'Spotify' }] },
    { text: 'I work as a data engineer.', expect: [{ predicate: 'job_title', object: 'data engineer' }] },
    { text: 'I got promoted to senior engineer last month.', expect: [{ predicate: 'job_title', object: 'senior engineer', validFrom: day('2025-05-01') }] },
    { text: 'I no longer work at Acme.', expect: [{ predicate: 'works_at', object: 'Acme', positive: false }] },
    { text: 'I used to work at Google.', expect: [{ predicate: 'works_at', object: 'Google', validTo: WEDNESDAY }] },
    { text: 'I quit my job at Amazon.', expect: [{ predicate: 'works_at', object: 'Amazon', positive: false }] },
    { text: "I'm starting a new job at Stripe next month.", expect: [{ predicate: 'plans_to', object: 'start working at Stripe', when: day('2025-07-01') }] },
    { text: "I'm studying computer science at MIT.", expect: [{ predicate: 'studies', object: 'computer science' }, { predicate: 'studies_at', object: 'MIT' }] },
    { text: 'I graduated from Stanford in 2015.', expect: [{ predicate: 'studies_at', object: 'Stanford', validTo: day('2015-01-01') }] },
    { text: "I'm retired.", expect: [{ predicate: 'employment_status', object: 'retired' }] },
    { text: 'I work in marketing.', expect: [{ predicate: 'industry', object: 'marketing' }] },
    { text: "I'm a perfectionist and a night owl.", expect: [{ predicate: 'is_a', object: 'perfectionist' }], absent: [{ predicate: 'job_title' }] },
  ],
  relation: [
    { text: "I'm married.", expect: [{ predicate: 'relationship_status', object: 'married', category: 'relation' }] },
    { text: "I'm not married.", expect: [{ predicate: 'relationship_status', object: 'married', positive: false }] },
    { text: 'We got married in 2019.', expect: [{ predicate: 'relationship_status', object: 'married', validFrom: day('2019-01-01') }] },
    { text: "I'm engaged to Ben!", expect: [{ predicate: 'relationship_status', object: 'engaged' }, { predicate: 'partner', object: 'Ben' }] },
    { text: 'My wife Ana is a doctor.', expect: [{ predicate: 'partner', object: 'Ana' }, { about: 'Ana', predicate: 'job_title', object: 'doctor' }], absent: [{ predicate: 'job_title', object: 'doctor' }] },
    { text: 'My sister Emma lives in Berlin.', expect: [{ predicate: 'has_sibling', object: 'sister named Emma' }, { about: 'Emma', predicate: 'lives_in', object: 'Berlin' }], absent: [{ predicate: 'lives_in', object: 'Berlin' }] },
    { text: 'My sister just started at Google.', expect: [{ about: 'sister', predicate: 'works_at', object: 'Google' }], absent: [{ predicate: 'works_at', object: 'Google' }] },
    { text: 'I have a dog named Max.', expect: [{ predicate: 'has_pet', object: 'dog named Max', category: 'possession' }] },
    { text: 'my dog Max is 5', expect: [{ predicate: 'has_pet', object: 'dog named Max' }, { about: 'Max', predicate: 'age', object: '5' }] },
    { text: 'We adopted a kitten last week.', expect: [{ predicate: 'has_pet', object: 'kitten', validFrom: day('2025-06-02') }] },
    { text: 'I have two kids.', expect: [{ predicate: 'has_child', object: 'two kids' }] },
    { text: "I don't have any pets.", expect: [{ predicate: 'has_pet', positive: false }] },
    { text: "I'm an only child.", expect: [{ predicate: 'has_sibling', positive: false }] },
    { text: 'Emma is my best friend.', expect: [{ predicate: 'has_friend', object: 'best friend named Emma' }] },
    { text: 'I broke up with my boyfriend last month.', expect: [{ predicate: 'relationship_status', object: 'single' }], absent: [{ predicate: 'relationship_status', object: 'in a relationship' }] },
    { text: 'I live with my parents.', expect: [{ predicate: 'lives_with', object: 'parents' }] },
  ],
  preference: [
    { text: 'I love hiking, reading and cooking.', expect: [{ predicate: 'loves', object: 'hiking' }, { predicate: 'loves', object: 'reading' }, { predicate: 'loves', object: 'cooking' }] },
    { text: "I don't like coffee.", expect: [{ predicate: 'likes', object: 'coffee', positive: false, statement: 'does not like coffee' }] },
    { text: "I can't stand cilantro.", expect: [{ predicate: 'hates', object: 'cilantro' }] },
    { text: 'I prefer tea over coffee.', expect: [{ predicate: 'prefers', object: 'tea' }] },
    { text: 'I love mac and cheese.', expect: [{ predicate: 'loves', object: 'mac and cheese' }] },
    { text: 'I love to cook.', expect: [{ predicate: 'loves', object: 'cooking' }] },
    { text: 'My favourite band is Radiohead.', expect: [{ predicate: 'favorite_band', object: 'Radiohead', statement: 'favorite band is Radiohead' }] },
    { text: 'Pizza is my favorite food.', expect: [{ predicate: 'favorite_food', object: 'Pizza' }] },
    { text: "I'm vegetarian.", expect: [{ predicate: 'diet', object: 'vegetarian', statement: 'is vegetarian' }] },
    { text: "I'm not vegetarian anymore.", expect: [{ predicate: 'diet', object: 'vegetarian', positive: false }] },
    { text: "I don't eat meat.", expect: [{ predicate: 'eats', object: 'meat', positive: false, statement: 'does not eat meat' }] },
    { text: "I'm not a smoker.", expect: [{ predicate: 'smokes', positive: false }] },
    { text: 'I quit smoking last year.', expect: [{ predicate: 'smokes', positive: false, validFrom: day('2024-01-01') }] },
    { text: "I'm allergic to peanuts and shellfish.", expect: [{ predicate: 'allergic_to', object: 'peanuts' }, { predicate: 'allergic_to', object: 'shellfish' }] },
    { text: 'I play guitar.', expect: [{ predicate: 'hobby', object: 'guitar', statement: 'plays guitar' }] },
    { text: "I've been running a lot.", expect: [{ predicate: 'hobby', object: 'running' }] },
    { text: 'I go hiking every weekend.', expect: [{ predicate: 'hobby', object: 'hiking' }] },
    { text: "I'm really into photography these days.", expect: [{ predicate: 'likes', object: 'photography' }] },
  ],
  plan: [
    { text: "I'm going to Japan next month.", expect: [{ predicate: 'plans_to', object: 'travel to Japan', when: day('2025-07-01'), category: 'plan' }] },
    { text: "I'm going to move to Berlin next Friday.", expect: [{ predicate: 'plans_to', object: 'move to Berlin', when: day('2025-06-20') }], absent: [{ predicate: 'lives_in' }] },
    { text: 'My wedding is on June 20th.', expect: [{ predicate: 'has_event', object: 'wedding', when: day('2025-06-20') }] },
    { text: 'I have a job interview on Friday.', expect: [{ predicate: 'has_event', object: 'job interview', when: day('2025-06-13') }] },
    { text: "I'm flying to Paris in two weeks.", expect: [{ predicate: 'plans_to', object: 'travel to Paris', when: day('2025-06-25') }] },
    { text: 'I plan to retire next year.', expect: [{ predicate: 'plans_to', object: 'retire', when: day('2026-01-01') }] },
    { text: "I'd love to visit Japan someday.", expect: [{ predicate: 'wants_to', object: 'visit Japan' }] },
    { text: 'We are getting married on the 3rd.', expect: [{ predicate: 'plans_to', object: 'get married', when: day('2025-07-03') }] },
    { text: 'My son is starting kindergarten in September.', expect: [{ about: 'son', predicate: 'plans_to', object: 'start kindergarten', when: day('2025-09-01') }] },
    { text: "I'm cooking dinner tonight.", none: true },
    { text: "I'm not going to Japan after all.", expect: [{ predicate: 'plans_to', object: 'travel to Japan', positive: false }] },
  ],
  'several facts at once': [
    { text: 'I live in Porto and work at Acme.', expect: [{ predicate: 'lives_in', object: 'Porto' }, { predicate: 'works_at', object: 'Acme' }] },
    {
      text: 'Last year I moved to Lisbon and started at Farfetch last month.',
      expect: [{ predicate: 'lives_in', object: 'Lisbon', validFrom: day('2024-01-01') }, { predicate: 'works_at', object: 'Farfetch', validFrom: day('2025-05-01') }],
    },
    { text: "I'm 29, married, and I live in Austin with my husband and our dog.", expect: [{ predicate: 'age', object: '29' }, { predicate: 'lives_in', object: 'Austin' }, { predicate: 'has_pet', object: 'dog' }] },
    { text: "I've got three kids and a dog.", expect: [{ predicate: 'has_child', object: 'three kids' }, { predicate: 'has_pet', object: 'dog' }] },
    { text: 'I want you to remember that I am allergic to nuts.', expect: [{ predicate: 'allergic_to', object: 'nuts' }] },
    { text: 'Me and my wife just bought a house in Denver.', expect: [{ predicate: 'owns', object: 'house' }], absent: [{ about: 'wife', predicate: 'owns' }] },
    { text: 'I teach math at a high school.', expect: [{ predicate: 'job_title', object: 'math teacher' }] },
    { text: 'We have two cats, Mochi and Tofu.', expect: [{ predicate: 'has_pet', object: 'two cats named Mochi and Tofu' }] },
    { text: "I've been married for 10 years.", expect: [{ predicate: 'relationship_status', object: 'married', validFrom: day('2015-06-11') }] },
    { text: "I've lived in Porto since 2019.", expect: [{ predicate: 'lives_in', object: 'Porto', validFrom: day('2019-01-01') }] },
    { text: 'Lives in Porto. Works at Acme as a nurse.', expect: [{ predicate: 'lives_in', object: 'Porto' }, { predicate: 'works_at', object: 'Acme' }, { predicate: 'job_title', object: 'nurse' }] },
    { text: 'Sam Rivera is a software engineer based in Lisbon.', expect: [{ predicate: 'job_title', object: 'software engineer' }, { predicate: 'lives_in', object: 'Lisbon' }] },
  ],
  speakers: [
    { text: 'I live in Porto.', speaker: 'Anna', expect: [{ about: 'Anna', predicate: 'lives_in', object: 'Porto' }], absent: [{ predicate: 'lives_in' }] },
    { text: 'My sister works at Google.', speaker: 'Anna', expect: [{ about: "Anna's sister", predicate: 'works_at', object: 'Google' }] },
    { text: "I'm a nurse.", speaker: 'sam', expect: [{ predicate: 'job_title', object: 'nurse' }] },
    { text: "I'm a nurse.", speaker: 'user', expect: [{ predicate: 'job_title', object: 'nurse' }] },
    { text: 'Sam lives in Porto.', speaker: 'Anna', expect: [{ predicate: 'lives_in', object: 'Porto' }] },
    { text: 'Anna lives in Berlin.', expect: [{ about: 'Anna', predicate: 'lives_in', object: 'Berlin' }], absent: [{ predicate: 'lives_in' }] },
    { text: "I'm a teacher and I live in Oslo.", speaker: 'assistant', none: true },
    { text: 'You live in Porto, right?', speaker: 'Anna', none: true },
  ],
  survey: [
    { text: 'Porto', question: 'Where do you live?', expect: [{ predicate: 'lives_in', object: 'Porto' }] },
    { text: 'In Porto, near the river', question: 'Where do you live?', expect: [{ predicate: 'lives_in', object: 'Porto' }] },
    { text: 'Yes, I do. Two cats.', question: 'Do you have pets?', expect: [{ predicate: 'has_pet', object: 'two cats' }] },
    { text: '34', question: 'How old are you?', expect: [{ predicate: 'age', object: '34' }] },
    { text: 'yes', question: 'Are you married?', expect: [{ predicate: 'relationship_status', object: 'married' }] },
    { text: 'no', question: 'Do you smoke?', expect: [{ predicate: 'smokes', positive: false }] },
    { text: 'Yes, a dog named Max', question: 'Do you have any pets?', expect: [{ predicate: 'has_pet', object: 'dog named Max' }] },
    { text: 'hiking and reading', question: 'What are your hobbies?', expect: [{ predicate: 'hobby', object: 'hiking' }, { predicate: 'hobby', object: 'reading' }] },
    { text: 'nurse', question: 'What do you do for work?', expect: [{ predicate: 'job_title', object: 'nurse' }] },
    { text: 'Radiohead', question: "What's your favorite band?", expect: [{ predicate: 'favorite_band', object: 'Radiohead' }] },
    { text: 'Acme', question: 'Who do you work for?', expect: [{ predicate: 'works_at', object: 'Acme' }] },
    { text: 'I live in Porto with my husband.', question: 'Where do you live?', expect: [{ predicate: 'lives_in', object: 'Porto' }] },
    {
      text: 'Name: Sam\nLocation: Porto, Portugal\nOccupation: nurse\nFavorite food: sushi',
      expect: [{ predicate: 'name', object: 'Sam' }, { predicate: 'lives_in', object: 'Porto, Portugal' }, { predicate: 'job_title', object: 'nurse' }, { predicate: 'favorite_food', object: 'sushi' }],
    },
    { text: '- I live in *Porto* 🇵🇹\n- I love 🍕!!', expect: [{ predicate: 'lives_in', object: 'Porto' }], absent: [{ predicate: 'loves' }] },
  ],
  nothing: [
    { text: 'Do you live in Porto?', none: true },
    { text: 'If I lived in Paris, I would be happy.', none: true },
    { text: 'I wish I lived in Paris.', none: true },
    { text: "She said she's moving to Berlin.", none: true },
    { text: "My friend told me I'm a great cook.", none: true },
    { text: "I'm so tired.", none: true },
    { text: "I'm 5 minutes away.", none: true },
    { text: "I'm 100% sure.", none: true },
    { text: 'I like it.', none: true },
    { text: 'I love you.', none: true },
    { text: "I'll let you know.", none: true },
    { text: "I'm going to be honest.", none: true },
    { text: "I'm going to bed.", none: true },
    { text: 'I have a question about my account.', none: true },
    { text: 'Can you help me with my resume?', none: true },
    { text: 'The weather is nice today.', none: true },
    { text: 'He lives in Berlin.', none: true },
    { text: 'I want to know more about that.', none: true },
    { text: 'I joined a gym.', none: true },
    { text: '', none: true },
  ],
};

describe('rule extractor', () => {
  it('is named "rules"', () => {
    assert.equal(extractor.name, 'rules');
  });

  for (const [group, list] of Object.entries(cases)) {
    describe(group, () => {
      for (const c of list) {
        const label = `${c.text || '(empty)'}${c.speaker ? ` [${c.speaker}]` : ''}${c.question ? ` {${c.question}}` : ''}`;
        it(label, async () => {
          const beliefs = await extractor.extract(input(c));
          if (c.none) assert.deepEqual(beliefs, [], `expected nothing, got ${show(beliefs)}`);
          for (const expected of c.expect ?? []) {
            assert.ok(beliefs.some((b) => matches(b, expected)), `missing ${JSON.stringify(expected)}; got ${show(beliefs)}`);
          }
          for (const unwanted of c.absent ?? []) {
            assert.ok(!beliefs.some((b) => matches(b, unwanted)), `unexpected ${JSON.stringify(unwanted)}; got ${show(beliefs)}`);
          }
        });
      }
    });
  }

  it('gives the same beliefs, in the same order, every time', async () => {
    const text = 'I moved from Lisbon to Porto last year. My wife Ana and I love hiking, and my sister Emma works at Google.';
    const first = await extractor.extract(input({ text }));
    const second = await extractor.extract(input({ text }));
    assert.deepEqual(second, first);
    assert.ok(first.length >= 4);
  });

  it('fills every field of the contract', async () => {
    const [belief] = await extractor.extract(input({ text: 'I live in Porto.' }));
    assert.ok(belief);
    assert.deepEqual(Object.keys(belief).sort(), ['about', 'category', 'confidence', 'object', 'positive', 'predicate', 'statement']);
    assert.ok(belief.confidence > 0 && belief.confidence <= 1);
  });

  it('hedged statements get less confidence than plain ones', async () => {
    const [plain] = await extractor.extract(input({ text: "I'm going to move to Berlin." }));
    const [hedged] = await extractor.extract(input({ text: 'I think I might move to Berlin.' }));
    assert.ok(plain && hedged);
    assert.ok(hedged.confidence < plain.confidence);
  });

  it('reads several sentences and clauses of one turn', async () => {
    const beliefs = await extractor.extract(input({ text: "I'm Portuguese but I live in London. I work at Acme; my husband is a chef." }));
    assert.ok(beliefs.some((b) => matches(b, { predicate: 'nationality', object: 'Portuguese' })));
    assert.ok(beliefs.some((b) => matches(b, { predicate: 'lives_in', object: 'London' })));
    assert.ok(beliefs.some((b) => matches(b, { predicate: 'works_at', object: 'Acme' })));
    assert.ok(beliefs.some((b) => matches(b, { about: 'husband', predicate: 'job_title', object: 'chef' })));
  });
});
