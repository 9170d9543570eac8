// Reading questions: content words, names, and the time they point at, resolved from a reference moment.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { feedbackTerms, inFirstPerson, matchedTerms, parseQuery, wantedPredicates } from './query.js';

const ref = Date.UTC(2026, 10, 25, 12, 0, 0); // Wednesday 25 November 2026

test('question words and fillers are dropped; content words and numbers stay, once each', () => {
  const q = parseQuery('What did she say about the 3 books she would like to read, the books?', ref);
  assert.deepEqual(q.terms, ['3', 'books', 'read']);
  assert.equal(q.window, null);
});

test('capitalised words are candidate names, possessives included; the first word only when it is not a question word', () => {
  assert.deepEqual(parseQuery("What is Caroline's favourite book by Ann Patchett?", ref).names, ['Caroline', 'Ann', 'Patchett']);
  assert.deepEqual(parseQuery('Did I tell you about Porto?', ref).names, ['Porto']);
});

test('relative and absolute times become windows, and their words leave the terms', () => {
  const lastMay = parseQuery('Where did Mel travel last May?', ref);
  assert.deepEqual([lastMay.window?.from, lastMay.window?.to], [Date.UTC(2026, 3, 24), Date.UTC(2026, 5, 8)], 'a month, a week either side');
  assert.deepEqual(lastMay.terms, ['mel', 'travel']);
  const yesterday = parseQuery('what did I eat yesterday', ref);
  assert.deepEqual([yesterday.window?.from, yesterday.window?.to], [Date.UTC(2026, 10, 22), Date.UTC(2026, 10, 27)], 'a day, two days either side');
  const clumsy = parseQuery('What charity event did I join in a month ago?', ref);
  assert.equal(clumsy.window?.text, 'a month ago');
  const year = parseQuery('books read in 2022', ref);
  assert.deepEqual([year.window?.from, year.window?.to], [Date.UTC(2022, 0, 1), Date.UTC(2023, 0, 1)]);
});

test('a time after the question (a plan, or how often) is no window, and its words still leave the terms', () => {
  const plan = parseQuery('What am I cooking next week?', ref);
  assert.equal(plan.window, null);
  assert.deepEqual(plan.terms, ['cooking']);
  const rate = parseQuery('How many devices do I use in a day?', ref);
  assert.equal(rate.window, null);
  assert.deepEqual(rate.terms, ['devices', 'use']);
  assert.equal(parseQuery('What should I serve this weekend?', ref).window, null, 'Wednesday: the coming weekend');
  assert.notEqual(parseQuery('What did I eat today?', ref).window, null);
  assert.notEqual(parseQuery('What did I do this week?', ref).window, null);
});

test('a stretch up to now is a window ending today, not the calendar period before this one', () => {
  const recent = parseQuery('How many times did I bake something in the past two weeks?', ref);
  assert.deepEqual([recent.window?.from, recent.window?.to], [Date.UTC(2026, 10, 11), Date.UTC(2026, 10, 26)]);
  assert.equal(recent.window?.text, 'in the past two weeks');
  assert.deepEqual(recent.terms, ['times', 'bake']);
  const lastMonth = parseQuery('What did I bake last month?', ref);
  assert.deepEqual([lastMonth.window?.from, lastMonth.window?.to], [Date.UTC(2026, 8, 24), Date.UTC(2026, 10, 8)], 'October, a week either side');
});

test('a stretch against a date ("the week before August 3") is a window from one to the other, two days either side', () => {
  const week = parseQuery('What did John do the week before August 3, 2023 with his kids?', ref);
  assert.deepEqual([week.window?.from, week.window?.to], [Date.UTC(2023, 6, 25), Date.UTC(2023, 7, 6)]);
  assert.equal(week.window?.text, 'the week before August 3, 2023');
  assert.deepEqual(week.terms, ['john', 'kids']);
  const before = parseQuery('Which airlines did I fly with before today?', ref);
  assert.deepEqual([before.window?.from, before.window?.to], [Number.MIN_SAFE_INTEGER, Date.UTC(2026, 10, 27)], 'open at the start');
});

test('a weekday said with a wider time ("the Wednesday two months ago") is within that time, not the latest such weekday', () => {
  const q = parseQuery('What did I do with Rachel on the Wednesday two months ago?', ref);
  assert.deepEqual([q.window?.from, q.window?.to], [Date.UTC(2026, 8, 18), Date.UTC(2026, 9, 8)], 'September, a week either side');
  assert.equal(q.window?.text, 'Wednesday two months ago');
  assert.deepEqual(q.terms, ['rachel']);
  const apart = parseQuery('On Saturday, what did I buy last month?', ref);
  assert.equal(apart.window?.text, 'last month');
  assert.deepEqual(apart.terms, ['saturday', 'buy'], 'said apart, the weekday stays a word of the question');
  assert.equal(parseQuery('What did I eat on Wednesday?', ref).window?.from, Date.UTC(2026, 10, 16), 'alone, the latest Wednesday (two days of margin)');
});

test('words that point back at the conversation itself ("I mentioned", "do you remember") are not what it is about', () => {
  assert.deepEqual(parseQuery('I mentioned a museum trip with a friend; do you remember where?', ref).terms, ['museum', 'trip', 'friend']);
  assert.deepEqual(parseQuery('How many months have passed since I told you about the wedding?', ref).terms, ['months', 'wedding']);
});

test('the kind of question points at the predicates that answer it', () => {
  assert.ok(wantedPredicates('Where does she live now?').includes('lives_in'));
  assert.ok(wantedPredicates('What does he do for work?').includes('job_title'));
  assert.deepEqual(wantedPredicates('What colour was the bowl?'), []);
});

test('matched terms compare by a crude stem', () => {
  assert.deepEqual(matchedTerms(['books', 'reading', 'porto'], 'She read a book in Lisbon.'), ['books', 'reading']);
});

test('feedback words are the ones at least two of the best texts share, most shared first, beyond the query and the names', () => {
  const texts = ['We adopted a puppy from the shelter.', 'The shelter puppy chewed my shoes!', 'Caroline said the shelter needs volunteers.', 'Rain again.'];
  assert.deepEqual(feedbackTerms(texts, ['adopted', 'caroline'], 5), ['shelter', 'puppy']);
  assert.deepEqual(feedbackTerms(texts, ['puppy', 'shelter'], 5), []);
});

test('feedback leaves out what every conversation says (thanks, great, awesome) and the attachment markup', () => {
  const texts = ['Great news, thanks! [shared: a sketch of the harbour]', 'Awesome, thanks! The harbour sketch is great.', 'Great! [shared: harbour at dawn]'];
  assert.deepEqual(feedbackTerms(texts, [], 5), ['harbour', 'sketch']);
});

test("a question's vector text asks in the first person of the speakers it names, possessives included, unless nothing else is left", () => {
  assert.equal(inFirstPerson('What activities does Melanie partake in?', ['Melanie']), 'What activities does I partake in?');
  assert.equal(inFirstPerson("Did Caroline's kids and Melanie go camping?", ['Caroline', 'Melanie']), 'Did my kids and I go camping?');
  assert.equal(inFirstPerson('Is Melanie Melanies friend, or Mel?', ['Melanie']), 'Is I Melanies friend, or Mel?', 'whole words only');
  assert.equal(inFirstPerson('What did Jo (the elder) say?', ['Jo (the']), 'What did I elder) say?', 'a name is text, not a pattern');
  assert.equal(inFirstPerson('Melanie?', ['Melanie']), 'Melanie?');
  assert.equal(inFirstPerson("Melanie's?", ['Melanie']), "Melanie's?");
  assert.equal(inFirstPerson('What did she say?', []), 'What did she say?');
});
