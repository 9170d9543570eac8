// Date resolution: each expression, said on Wednesday 2025-06-11, resolves to one UTC day.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeDate, describeMonthDay, durationStart, findAnchored, findDate, findDuration, findSpan, type Direction } from './dates.js';

const WEDNESDAY = Date.UTC(2025, 5, 11, 15, 30);

function day(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`);
}

const cases: Array<[text: string, direction: Direction, expected: string | null, unit?: string]> = [
  ['today', 'future', '2025-06-11', 'day'],
  ['tonight', 'future', '2025-06-11'],
  ['tomorrow morning', 'future', '2025-06-12'],
  ['yesterday', 'past', '2025-06-10'],
  ['the day after tomorrow', 'future', '2025-06-13'],
  ['the day before yesterday', 'past', '2025-06-09'],
  ['next week', 'future', '2025-06-16', 'week'],
  ['last week', 'past', '2025-06-02', 'week'],
  ['this week', 'future', '2025-06-09', 'week'],
  ['next month', 'future', '2025-07-01', 'month'],
  ['last month', 'past', '2025-05-01', 'month'],
  ['next year', 'future', '2026-01-01', 'year'],
  ['last year', 'past', '2024-01-01', 'year'],
  ['next Friday', 'future', '2025-06-20'],
  ['this Friday', 'future', '2025-06-13'],
  ['on Friday', 'future', '2025-06-13'],
  ['on Friday', 'past', '2025-06-06'],
  ['last Friday', 'past', '2025-06-06'],
  ['last Wednesday', 'past', '2025-06-04'],
  ['next Monday', 'future', '2025-06-16'],
  ['this past Sunday', 'past', '2025-06-08'],
  ['in two weeks', 'future', '2025-06-25', 'week'],
  ['in 3 days', 'future', '2025-06-14', 'day'],
  ['in a month', 'future', '2025-07-11', 'month'],
  ['in a couple of weeks', 'future', '2025-06-25'],
  ['two years ago', 'past', '2023-06-11', 'year'],
  ['a few days ago', 'past', '2025-06-08'],
  ['last May', 'past', '2025-05-01', 'month'],
  ['last September', 'past', '2024-09-01'],
  ['next May', 'future', '2026-05-01'],
  ['in August', 'future', '2025-08-01', 'month'],
  ['in August', 'past', '2024-08-01'],
  ['in March 2019', 'past', '2019-03-01', 'month'],
  ['on June 5th', 'future', '2026-06-05', 'day'],
  ['on June 5th', 'past', '2025-06-05'],
  ['June 20', 'future', '2025-06-20'],
  ['June 5th, 1990', 'past', '1990-06-05'],
  ['5 June 2024', 'past', '2024-06-05'],
  ['the 3rd of July', 'future', '2025-07-03'],
  ['on the 3rd', 'future', '2025-07-03'],
  ['on the 20th', 'future', '2025-06-20'],
  ['on the 3rd', 'past', '2025-06-03'],
  ['in 2019', 'past', '2019-01-01', 'year'],
  ['this weekend', 'future', '2025-06-14'],
  ['next weekend', 'future', '2025-06-21'],
  ['last weekend', 'past', '2025-06-07'],
  ['for Christmas', 'future', '2025-12-25'],
  ['last Christmas', 'past', '2024-12-25'],
  ['on Thanksgiving', 'future', '2025-11-27'],
  ['next summer', 'future', '2026-06-01', 'season'],
  ['this summer', 'future', '2025-06-01', 'season'],
  ['In the Spring we moved', 'past', '2025-03-01', 'season'],
  ['I sold jam in the Spring Fling Market', 'past', null],
  ['we met during the Summer Olympics', 'past', null],
  ['2024-03-15', 'past', '2024-03-15'],
  ['15/03/2024', 'past', '2024-03-15'],
  ['03/04/2024', 'past', null],
  ['I may move', 'future', null],
  ['this may be fine', 'future', null],
  ['the 2nd time I went', 'past', null],
  ['I sat in the sun', 'past', null],
  ['I have 2 dogs', 'past', null],
];

describe('findDate', () => {
  for (const [text, direction, expected, unit] of cases) {
    it(`${text} (${direction}) → ${expected ?? 'nothing'}`, () => {
      const found = findDate(text, WEDNESDAY, direction);
      if (expected === null) return assert.equal(found, null);
      assert.ok(found, 'no date found');
      assert.equal(new Date(found.at).toISOString().slice(0, 10), expected);
      if (unit) assert.equal(found.unit, unit);
    });
  }

  it('finds the expression inside a sentence and reports where it is', () => {
    const text = "I'm flying to Japan next month with Ana";
    const found = findDate(text, WEDNESDAY, 'future');
    assert.ok(found);
    assert.equal(text.slice(found.start, found.end), 'next month');
  });

  it('dates a state from how long it has held', () => {
    assert.equal(durationStart("I've lived here for five years", WEDNESDAY), day('2020-06-11'));
    assert.equal(durationStart('married for the past 3 months', WEDNESDAY), day('2025-03-11'));
    const text = "I've painted for seven years now";
    const found = findDuration(text, WEDNESDAY)!;
    assert.deepEqual({ ...found, said: text.slice(found.start, found.end) }, { at: day('2018-06-11'), unit: 'year', start: 13, end: 28, said: 'for seven years' });
    assert.equal(findDuration('I painted it years ago', WEDNESDAY), null);
    assert.equal(durationStart('I live here', WEDNESDAY), null);
  });

  it('reads a stretch up to now ("in the past two weeks") from that many units back to the end of today', () => {
    const text = 'How often did I swim in the past two weeks?';
    const span = findSpan(text, WEDNESDAY)!;
    assert.deepEqual({ from: span.from, to: span.to, said: text.slice(span.start, span.end) }, { from: day('2025-05-28'), to: day('2025-06-12'), said: 'in the past two weeks' });
    assert.equal(findSpan('over the last few months', WEDNESDAY)?.from, day('2025-03-11'));
    assert.equal(findSpan('during the past month', WEDNESDAY)?.from, day('2025-05-11'), 'no count: one unit');
    assert.equal(findSpan('What did I do last month?', WEDNESDAY), null, '"last month" is the calendar month: findDate reads it');
  });

  it('reads a time said against a date as the stretch between them, both days included', () => {
    const read = (text: string) => {
      const found = findAnchored(text, WEDNESDAY);
      return found && { from: found.from, to: found.to, said: text.slice(found.start, found.end) };
    };
    // 2023-08-11 is a Friday; 2022-10-25 a Tuesday; 2023-10-28 a Saturday.
    assert.deepEqual(read('the puppy she got two weeks before August 11, 2023?'), { from: day('2023-07-28'), to: day('2023-08-12'), said: 'two weeks before August 11, 2023' });
    assert.deepEqual(read('What did John do the week before August 3, 2023?'), { from: day('2023-07-27'), to: day('2023-08-04'), said: 'the week before August 3, 2023' });
    assert.deepEqual(read('on the Sunday before October 25, 2022'), { from: day('2022-10-23'), to: day('2022-10-26'), said: 'the Sunday before October 25, 2022' });
    assert.deepEqual(read('on the Saturday after October 28, 2023'), { from: day('2023-10-28'), to: day('2023-11-05'), said: 'the Saturday after October 28, 2023' }, 'the next one, not the same day');
    assert.deepEqual(read('three days after the 2nd'), { from: day('2025-06-02'), to: day('2025-06-06'), said: 'three days after the 2nd' });
    assert.deepEqual(read('a month before August 11, 2023'), { from: day('2023-07-11'), to: day('2023-08-12'), said: 'a month before August 11, 2023' }, 'a month, not a Monday');
  });

  it('reads "before", "until", "since" and "after" a date as open stretches', () => {
    const read = (text: string) => {
      const found = findAnchored(text, WEDNESDAY);
      return found && { from: found.from, to: found.to, said: text.slice(found.start, found.end) };
    };
    assert.deepEqual(read('Which airlines did I fly with before today?'), { from: Number.MIN_SAFE_INTEGER, to: day('2025-06-11'), said: 'before today' });
    assert.deepEqual(read('What have I cooked since May?'), { from: day('2025-05-01'), to: day('2025-06-12'), said: 'since May' });
    assert.deepEqual(read('What did I do after May 5?'), { from: day('2025-05-05'), to: day('2025-06-12'), said: 'after May 5' });
    assert.equal(read('What did I do before I moved?'), null, 'no date after the word');
    assert.equal(read('a week before the trip'), null, 'an event, not a date: nothing to count from');
    assert.equal(read('two weeks ago'), null);
  });

  it('of two expressions that overlap, reads the one that goes on further', () => {
    const text = 'What did he do before August 3, 2023?';
    const found = findDate(text, WEDNESDAY, 'past')!;
    assert.deepEqual({ at: found.at, unit: found.unit, said: text.slice(found.start, found.end) }, { at: day('2023-08-03'), unit: 'day', said: 'August 3, 2023' });
    assert.equal(findDate('after May 5', WEDNESDAY, 'past')?.at, day('2025-05-05'));
    assert.equal(findDate('since May', WEDNESDAY, 'past')?.unit, 'month');
  });

  it('leaves a weekday inside a name alone ("the Maundy Thursday service", "Black Friday")', () => {
    assert.equal(findDate('Did I attend the Maundy Thursday service at the church?', WEDNESDAY, 'past'), null);
    assert.equal(findDate('I bought it on Black Friday.', WEDNESDAY, 'past'), null);
    assert.equal(findDate('What did Caroline do last Friday?', WEDNESDAY, 'past')?.at, day('2025-06-06'), 'a time word before it');
    assert.equal(findDate('On Friday, what did I eat?', WEDNESDAY, 'past')?.at, day('2025-06-06'), 'first in the sentence');
    assert.equal(findDate('I was meeting John Friday.', WEDNESDAY, 'past')?.at, day('2025-06-06'), 'after a name, still a weekday');
  });

  it('marks years the text named', () => {
    assert.equal(findDate('June 5th, 1990', WEDNESDAY, 'past')?.explicitYear, true);
    assert.equal(findDate('June 5th', WEDNESDAY, 'past')?.explicitYear, false);
  });
});

describe('describing dates', () => {
  it('reads by unit', () => {
    assert.equal(describeDate({ at: day('2025-06-05'), unit: 'day' }), 'on 2025-06-05');
    assert.equal(describeDate({ at: day('2025-07-01'), unit: 'month' }), 'in July 2025');
    assert.equal(describeDate({ at: day('2026-01-01'), unit: 'year' }), 'in 2026');
    assert.equal(describeDate({ at: day('2025-06-16'), unit: 'week' }), 'in the week of 2025-06-16');
    assert.equal(describeDate({ at: day('2026-06-01'), unit: 'season' }), 'in summer 2026');
  });

  it('gives birthdays as month and day, with the year only when known', () => {
    assert.equal(describeMonthDay({ at: day('1990-06-05'), explicitYear: true }), 'June 5, 1990');
    assert.equal(describeMonthDay({ at: day('2026-06-05'), explicitYear: false }), 'June 5');
  });
});
