import { describe, expect, it } from 'vitest';
import { formatDateWithWeekday } from '../../src/domain/dates.js';
import { pausedDays, statutoryDueDate } from '../../src/domain/deadlines.js';
import type { Region } from '../../src/domain/holidays.js';

const EW: Region = 'england-and-wales';
const SC: Region = 'scotland';
const NI: Region = 'northern-ireland';

/** received, region, expected due date as shown on a card, why */
type Row = [string, Region, string, string];

/** The due date as a card shows it, so each row also pins the weekday (checked with `date -d`). */
function due(receivedOn: string, region: Region, pausedDays = 0, extended = false): string {
  return formatDateWithWeekday(statutoryDueDate({ receivedOn, region, pausedDays, extended }));
}

describe('statutoryDueDate: one month, the ICO examples', () => {
  it.each<Row>([
    ['2025-09-03', EW, '2025-10-03 Fri', '3 Sep → 3 Oct'],
    ['2025-03-31', EW, '2025-04-30 Wed', '31 Mar → 30 Apr (no 31 Apr)'],
    ['2025-01-30', EW, '2025-02-28 Fri', '30 Jan → 28 Feb'],
    ['2024-01-30', EW, '2024-02-29 Thu', '30 Jan → 29 Feb in a leap year'],
    ['2024-11-25', EW, '2024-12-27 Fri', 'Mon 25 Nov 2024 → Fri 27 Dec (25 and 26 Dec are holidays)'],
    ['2026-01-31', EW, '2026-03-02 Mon', '28 Feb 2026 is a Saturday'],
  ])('%s in %s → %s (%s)', (receivedOn, region, expected) => {
    expect(due(receivedOn, region)).toBe(expected);
  });
});

describe('statutoryDueDate: receipt day counts, working day or not', () => {
  it.each<Row>([
    ['2025-12-25', EW, '2026-01-26 Mon', 'received on Christmas Day; 25 Jan is a Sunday'],
    ['2026-01-03', EW, '2026-02-03 Tue', 'received on a Saturday'],
  ])('%s in %s → %s (%s)', (receivedOn, region, expected) => {
    expect(due(receivedOn, region)).toBe(expected);
  });
});

describe('statutoryDueDate: bank holidays by region', () => {
  it.each<Row>([
    // Christmas and New Year
    ['2025-12-01', EW, '2026-01-02 Fri', '1 Jan is a holiday everywhere'],
    ['2025-12-01', NI, '2026-01-02 Fri', '1 Jan is a holiday everywhere'],
    ['2025-12-01', SC, '2026-01-05 Mon', '1 and 2 Jan are Scottish holidays'],
    ['2025-12-02', EW, '2026-01-02 Fri', '2 Jan is a working day in England'],
    ['2025-12-02', SC, '2026-01-05 Mon', 'a Scottish due date of 2 Jan rolls on'],
    ['2026-11-25', EW, '2026-12-29 Tue', 'Fri 25 Dec, weekend, substitute Boxing Day Mon 28'],
    ['2026-11-25', SC, '2026-12-29 Tue', 'same in Scotland'],
    ['2026-11-25', NI, '2026-12-29 Tue', 'same in Northern Ireland'],
    ['2026-11-26', EW, '2026-12-29 Tue', 'Sat 26 Dec and its Monday substitute are not counted twice'],
    ['2026-12-02', EW, '2027-01-04 Mon', 'Sat 2 Jan 2027: Monday is a working day in England'],
    ['2026-12-02', SC, '2027-01-05 Tue', 'Sat 2 Jan 2027: Scotland takes Monday 4 Jan instead'],
    // St Andrew's Day (Scotland)
    ['2026-10-30', SC, '2026-12-01 Tue', "Mon 30 Nov 2026 is St Andrew's Day"],
    ['2026-10-30', EW, '2026-11-30 Mon', 'not a holiday in England'],
    ['2025-10-30', SC, '2025-12-02 Tue', "Sun 30 Nov 2025: St Andrew's substitute Mon 1 Dec"],
    ['2025-10-30', EW, '2025-12-01 Mon', 'England just rolls past the Sunday'],
    ['2024-10-30', SC, '2024-12-03 Tue', "Sat 30 Nov 2024: St Andrew's substitute Mon 2 Dec"],
    // St Patrick's Day and 12 July (Northern Ireland)
    ['2026-02-17', NI, '2026-03-18 Wed', "Tue 17 Mar 2026 is St Patrick's Day"],
    ['2026-02-17', EW, '2026-03-17 Tue', 'not a holiday in England'],
    ['2026-02-17', SC, '2026-03-17 Tue', 'not a holiday in Scotland'],
    ['2024-02-17', NI, '2024-03-19 Tue', "Sun 17 Mar 2024: St Patrick's substitute Mon 18"],
    ['2027-06-12', NI, '2027-07-13 Tue', 'Mon 12 Jul 2027: Battle of the Boyne'],
    ['2027-06-12', EW, '2027-07-12 Mon', 'not a holiday in England'],
    ['2026-06-12', NI, '2026-07-14 Tue', 'Sun 12 Jul 2026: substitute Mon 13'],
    ['2026-06-12', EW, '2026-07-13 Mon', 'England rolls past the Sunday only'],
    // Easter: Good Friday everywhere; Easter Monday is not a Scottish bank holiday
    ['2026-03-03', EW, '2026-04-07 Tue', 'Good Friday 3 Apr, Easter Monday 6 Apr'],
    ['2026-03-03', NI, '2026-04-07 Tue', 'Good Friday 3 Apr, Easter Monday 6 Apr'],
    ['2026-03-03', SC, '2026-04-06 Mon', 'Good Friday only'],
    ['2026-03-06', EW, '2026-04-07 Tue', 'Easter Monday'],
    ['2026-03-06', SC, '2026-04-06 Mon', 'Easter Monday is a working day in Scotland'],
    // Summer bank holiday: first Monday of August in Scotland, last Monday elsewhere
    ['2026-07-03', SC, '2026-08-04 Tue', 'Mon 3 Aug 2026 is the Scottish summer holiday'],
    ['2026-07-03', EW, '2026-08-03 Mon', 'a working day in England'],
    ['2026-07-03', NI, '2026-08-03 Mon', 'a working day in Northern Ireland'],
    ['2026-07-31', EW, '2026-09-01 Tue', 'Mon 31 Aug 2026 is the summer holiday'],
    ['2026-07-31', NI, '2026-09-01 Tue', 'Mon 31 Aug 2026 is the summer holiday'],
    ['2026-07-31', SC, '2026-08-31 Mon', 'a working day in Scotland'],
  ])('%s in %s → %s (%s)', (receivedOn, region, expected) => {
    expect(due(receivedOn, region)).toBe(expected);
  });
});

describe('statutoryDueDate: leap years', () => {
  it.each<[string, Region, string]>([
    ['2024-01-29', EW, '2024-02-29 Thu'],
    ['2024-01-31', EW, '2024-02-29 Thu'],
    ['2023-01-29', EW, '2023-02-28 Tue'],
    ['2024-02-29', EW, '2024-04-02 Tue'], // 29 Mar is Good Friday, 1 Apr Easter Monday
    ['2024-02-29', SC, '2024-04-01 Mon'],
  ])('%s in %s → %s', (receivedOn, region, expected) => {
    expect(due(receivedOn, region)).toBe(expected);
  });
});

describe('statutoryDueDate: pauses and extensions', () => {
  it.each([
    ['2025-09-03', 5, false, '2025-10-08 Wed', 'five paused days after 3 Oct'],
    ['2026-01-31', 1, false, '2026-03-02 Mon', 'days are added after the clamp: 28 Feb + 1 = Sun 1 Mar'],
    ['2025-03-31', 1, false, '2025-05-01 Thu', '30 Apr + 1'],
    ['2024-11-25', 2, false, '2024-12-27 Fri', '27 Dec is already a working day'],
    ['2025-09-03', 0, true, '2025-12-03 Wed', 'three months'],
    ['2025-11-30', 0, true, '2026-03-02 Mon', 'three months to Sat 28 Feb'],
    ['2024-11-30', 0, true, '2025-02-28 Fri', 'three months, clamped'],
    ['2026-01-31', 0, true, '2026-04-28 Tue', 'end of first month (28 Feb) + 2 months, earlier than 31 Jan + 3 months (30 Apr)'],
    ['2024-09-25', 0, true, '2024-12-27 Fri', 'extended into Christmas'],
    ['2025-10-01', 3, true, '2026-01-05 Mon', 'extension and pauses together'],
  ])('%s with %i paused days, extended %s → %s (%s)', (receivedOn, paused, extended, expected) => {
    expect(due(receivedOn, EW, paused, extended)).toBe(expected);
  });

  it.each([-1, 1.5, Number.NaN])('refuses %d paused days as a fault', (paused) => {
    expect(() => statutoryDueDate({ receivedOn: '2025-09-03', region: EW, pausedDays: paused })).toThrow(RangeError);
  });

  it('defaults to no pause and no extension', () => {
    expect(statutoryDueDate({ receivedOn: '2025-09-03', region: EW })).toBe('2025-10-03');
  });
});

describe('pausedDays', () => {
  it.each<[[string, string][], number, string]>([
    [[], 0, 'no pauses'],
    [[['2026-03-05', '2026-03-05']], 1, 'asked and answered the same day'],
    [[['2026-03-05', '2026-03-10']], 6, 'both ends count'],
    [[['2026-03-01', '2026-03-02'], ['2026-03-10', '2026-03-12']], 5, 'separate pauses add up'],
    [[['2026-03-10', '2026-03-12'], ['2026-03-01', '2026-03-02']], 5, 'in any order'],
    [[['2026-03-01', '2026-03-05'], ['2026-03-04', '2026-03-08']], 8, 'overlapping days count once'],
    [[['2026-03-01', '2026-03-10'], ['2026-03-03', '2026-03-04']], 10, 'a pause inside another adds nothing'],
    [[['2026-03-01', '2026-03-02'], ['2026-03-03', '2026-03-04']], 4, 'back to back'],
    [[['2025-12-30', '2026-01-02']], 4, 'across the year end'],
    [[['2024-02-28', '2024-03-01']], 3, 'across a leap day'],
  ])('%j → %i (%s)', (ranges, expected) => {
    expect(pausedDays(ranges.map(([from, to]) => ({ from, to })))).toBe(expected);
  });

  it('refuses a pause that ends before it starts', () => {
    expect(() => pausedDays([{ from: '2026-03-05', to: '2026-03-04' }])).toThrow(RangeError);
  });
});
