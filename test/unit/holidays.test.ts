import { describe, expect, it } from 'vitest';
import {
  bankHolidays, isBankHoliday, isWorkingDay, nextWorkingDay, parseRegion, REGIONS, type Region,
} from '../../src/domain/holidays.js';

const EW: Region = 'england-and-wales';
const SC: Region = 'scotland';
const NI: Region = 'northern-ireland';

describe('parseRegion', () => {
  it.each([
    ['england-and-wales', EW], ['Scotland', SC], [' northern-ireland ', NI],
    ['England and Wales', EW], ['northern_ireland', NI], ['wales', EW], ['NIR', NI], ['SCT', SC],
  ])('reads %j as %s', (input, expected) => {
    expect(parseRegion(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['ireland', 'uk', '', 'constructor'])('rejects %j and lists the valid regions', (input) => {
    const result = parseRegion(input);
    expect(result.ok).toBe(false);
    if (!result.ok) for (const region of REGIONS) expect(result.error).toContain(region);
  });
});

describe('isBankHoliday (date-holidays, public holidays only)', () => {
  // Dates as GOV.UK lists them; weekdays checked with `date -d`.
  it.each([
    // Christmas and New Year
    ['2024-12-25', EW, true], ['2024-12-25', SC, true], ['2024-12-25', NI, true],
    ['2026-01-01', EW, true], ['2026-01-01', SC, true], ['2026-01-01', NI, true],
    ['2026-01-02', SC, true], ['2026-01-02', EW, false], ['2026-01-02', NI, false],
    // Sat 26 Dec 2026: the substitute Monday is the holiday, the Saturday is just a weekend
    ['2026-12-26', EW, false], ['2026-12-28', EW, true], ['2026-12-28', SC, true], ['2026-12-28', NI, true],
    // Sat 2 Jan 2027 in Scotland: substitute Monday 4 Jan
    ['2027-01-04', SC, true], ['2027-01-04', EW, false],
    // St Andrew's Day: Scotland only; Sun 30 Nov 2025 → Mon 1 Dec
    ['2026-11-30', SC, true], ['2026-11-30', EW, false],
    ['2025-12-01', SC, true], ['2025-12-01', EW, false],
    // St Patrick's Day and the Battle of the Boyne: Northern Ireland only
    ['2026-03-17', NI, true], ['2026-03-17', EW, false], ['2026-03-17', SC, false],
    ['2024-03-18', NI, true], // Sun 17 Mar 2024 → Mon 18
    ['2027-07-12', NI, true], ['2027-07-12', EW, false], ['2027-07-12', SC, false],
    ['2026-07-13', NI, true], // Sun 12 Jul 2026 → Mon 13
    // Easter: Good Friday everywhere, Easter Monday not in Scotland
    ['2026-04-03', EW, true], ['2026-04-03', SC, true], ['2026-04-03', NI, true],
    ['2026-04-06', EW, true], ['2026-04-06', NI, true], ['2026-04-06', SC, false],
    // Summer bank holiday: first Monday of August in Scotland, last Monday elsewhere
    ['2026-08-03', SC, true], ['2026-08-03', EW, false], ['2026-08-03', NI, false],
    ['2026-08-31', EW, true], ['2026-08-31', NI, true], ['2026-08-31', SC, false],
    // Observances in date-holidays' default types are not holidays
    ['2026-03-15', EW, false], // Mother's Day (a Sunday anyway)
    ['2026-03-02', EW, false],
  ])('%s in %s: %s', (date, region, expected) => {
    expect(isBankHoliday(date, region)).toBe(expected);
  });
});

describe('bankHolidays', () => {
  it.each([
    [2026, EW, 8], [2026, SC, 9], [2026, NI, 10],
    [2022, EW, 10], // Platinum Jubilee and the Queen's funeral
  ])('%i in %s has %i weekday bank holidays, each listed once', (year, region, count) => {
    const days = bankHolidays(year, region);
    expect(days).toHaveLength(count);
    expect(new Set(days.map((d) => d.date)).size).toBe(count);
    expect(days.map((d) => d.date)).toEqual([...days.map((d) => d.date)].sort());
  });

  it('names substitute days', () => {
    expect(bankHolidays(2026, EW).at(-1)).toEqual({ date: '2026-12-28', name: 'Boxing Day (substitute day)' });
  });
});

describe('working days', () => {
  it.each([
    ['2024-12-25', EW, '2024-12-27'],
    ['2026-12-25', EW, '2026-12-29'],
    ['2025-12-31', SC, '2025-12-31'],
    ['2026-01-01', SC, '2026-01-05'],
    ['2026-01-01', EW, '2026-01-02'],
    ['2026-02-28', EW, '2026-03-02'],
    ['2026-03-02', EW, '2026-03-02'],
  ])('next working day on or after %s in %s is %s', (date, region, expected) => {
    expect(nextWorkingDay(date, region)).toBe(expected);
    expect(isWorkingDay(expected, region)).toBe(true);
  });
});
