import { describe, expect, it } from 'vitest';
import {
  addDays, addMonthsClamped, addYearsClamped, compareDates, dateInTimeZone, daysBetween, daysInMonth,
  formatDateWithWeekday, isIsoDate, isValidTimeZone, isWeekend, parseIsoDate, weekdayName,
} from '../../src/domain/dates.js';

describe('parseIsoDate', () => {
  it.each([
    ['2026-03-02', '2026-03-02'],
    [' 2026-03-02 ', '2026-03-02'],
    ['2024-02-29', '2024-02-29'],
    ['2000-02-29', '2000-02-29'],
    ['2026-12-31', '2026-12-31'],
  ])('accepts %j as %s', (input, expected) => {
    expect(parseIsoDate(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['2026-02-30', 'February 2026 has 28 days', '2026-02-28'],
    ['2025-02-29', 'February 2025 has 28 days', '2025-02-28'],
    ['1900-02-29', 'February 1900 has 28 days', '1900-02-28'],
    ['2026-04-31', 'April 2026 has 30 days', '2026-04-30'],
    ['2026-01-00', 'January 2026 has 31 days', '2026-01-31'],
    ['2026-13-01', 'months run from 01 to 12', '2026-03-02'],
    ['2026-00-10', 'months run from 01 to 12', '2026-03-02'],
    ['2026-2-3', 'YYYY-MM-DD', '2026-03-02'],
    ['02/03/2026', 'YYYY-MM-DD', '2026-03-02'],
    ['2026-03-02T10:00', 'YYYY-MM-DD', '2026-03-02'],
    ['tomorrow', 'YYYY-MM-DD', '2026-03-02'],
    ['', 'An empty value', '2026-03-02'],
  ])('rejects %j, saying %j and showing %s', (input, says, example) => {
    const result = parseIsoDate(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toContain(says);
      expect(result.error).toContain(example);
    }
  });

  it('isIsoDate does not forgive spaces', () => {
    expect(isIsoDate('2026-03-02')).toBe(true);
    expect(isIsoDate(' 2026-03-02')).toBe(false);
    expect(isIsoDate('2026-02-30')).toBe(false);
  });
});

describe('calendar arithmetic', () => {
  it.each([
    ['2026-03-02', 1, '2026-03-03'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-03-29', 1, '2026-03-30'], // UK clocks change that night: no effect on dates
    ['2026-03-02', 0, '2026-03-02'],
    ['2026-03-02', 365, '2027-03-02'],
  ])('addDays(%s, %i) = %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it.each([
    ['2025-03-31', 1, '2025-04-30'],
    ['2025-01-30', 1, '2025-02-28'],
    ['2024-01-30', 1, '2024-02-29'],
    ['2025-01-31', 1, '2025-02-28'],
    ['2025-09-03', 1, '2025-10-03'],
    ['2025-11-30', 3, '2026-02-28'],
    ['2025-12-15', 1, '2026-01-15'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2026-05-31', 12, '2027-05-31'],
  ])('addMonthsClamped(%s, %i) = %s', (date, n, expected) => {
    expect(addMonthsClamped(date, n)).toBe(expected);
  });

  it.each([
    ['2024-02-29', 1, '2025-02-28'],
    ['2024-02-29', 4, '2028-02-29'],
    ['2024-02-29', -3, '2021-02-28'],
    ['2026-03-02', -3, '2023-03-02'],
  ])('addYearsClamped(%s, %i) = %s', (date, n, expected) => {
    expect(addYearsClamped(date, n)).toBe(expected);
  });

  it.each([
    ['2026-03-02', '2026-03-02', 0],
    ['2026-03-02', '2026-03-03', 1],
    ['2026-03-03', '2026-03-02', -1],
    ['2024-02-01', '2024-03-01', 29],
    ['2025-01-01', '2026-01-01', 365],
  ])('daysBetween(%s, %s) = %i', (from, to, expected) => {
    expect(daysBetween(from, to)).toBe(expected);
  });

  it.each([
    ['2026-03-02', '2026-03-03', -1],
    ['2026-03-02', '2026-03-02', 0],
    ['2027-01-01', '2026-12-31', 1],
  ])('compareDates(%s, %s) = %i', (a, b, expected) => {
    expect(compareDates(a, b)).toBe(expected);
  });

  it.each([[2024, 2, 29], [2025, 2, 28], [2100, 2, 28], [2000, 2, 29], [2026, 4, 30], [2026, 12, 31]])(
    'daysInMonth(%i, %i) = %i', (year, month, expected) => {
      expect(daysInMonth(year, month)).toBe(expected);
    });

  it.each(['2026-02-30', '2026-3-1', 'garbage'])('arithmetic on the malformed %j is a fault (RangeError)', (bad) => {
    expect(() => addDays(bad, 1)).toThrow(RangeError);
  });

  it('refuses fractional day counts', () => {
    expect(() => addDays('2026-03-02', 1.5)).toThrow(RangeError);
  });
});

describe('weekdays', () => {
  // Weekdays checked against `date -d`.
  it.each([
    ['2026-03-02', 'Mon', false, '2026-03-02 Mon'],
    ['2024-12-27', 'Fri', false, '2024-12-27 Fri'],
    ['2026-02-28', 'Sat', true, '2026-02-28 Sat'],
    ['2026-03-01', 'Sun', true, '2026-03-01 Sun'],
    ['2024-02-29', 'Thu', false, '2024-02-29 Thu'],
  ])('%s is a %s (weekend: %s)', (date, name, weekend, formatted) => {
    expect(weekdayName(date)).toBe(name);
    expect(isWeekend(date)).toBe(weekend);
    expect(formatDateWithWeekday(date)).toBe(formatted);
  });

  it('gives long names on request', () => {
    expect(weekdayName('2026-03-02', 'long')).toBe('Monday');
  });
});

describe('dateInTimeZone', () => {
  it.each([
    ['2026-07-01T23:30:00Z', 'Europe/London', '2026-07-02'], // BST: already tomorrow in London
    ['2026-01-01T23:30:00Z', 'Europe/London', '2026-01-01'], // GMT: still today
    ['2026-03-29T00:30:00Z', 'Europe/London', '2026-03-29'],
    ['2026-07-01T23:30:00Z', 'UTC', '2026-07-01'],
    ['2026-07-01T03:00:00Z', 'America/New_York', '2026-06-30'],
  ])('%s in %s falls on %s', (instant, zone, expected) => {
    expect(dateInTimeZone(new Date(instant), zone)).toBe(expected);
  });

  it('knows valid zones from typos', () => {
    expect(isValidTimeZone('Europe/London')).toBe(true);
    expect(isValidTimeZone('Europe/Londn')).toBe(false);
  });
});
