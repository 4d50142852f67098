import { quoteInput } from './quote.js';
import { err, ok, type Result } from './result.js';

/**
 * A calendar day as `YYYY-MM-DD`. Statutory clocks count calendar days, not instants, so dates
 * are plain strings: they compare correctly as text, store as Postgres `date` and print as the
 * contract requires. A plain alias (not a brand) keeps rows and literals easy to pass; anything
 * typed by a user must go through `parseIsoDate`, and the arithmetic below throws RangeError on a
 * malformed value because that can only be a programming fault.
 */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;
const EXAMPLE = '2026-03-02';
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'] as const;
const WEEKDAYS_SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const WEEKDAYS_LONG = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday',
  'Saturday'] as const;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Strict: exactly `YYYY-MM-DD` and a day that exists. Surrounding spaces are forgiven. */
export function parseIsoDate(input: string): Result<IsoDate> {
  const text = input.trim();
  const match = ISO_DATE.exec(text);
  if (!match) {
    const shown = text === '' ? 'An empty value' : quoteInput(text);
    return err(`${shown} is not a date in the form YYYY-MM-DD (4-digit year, 2-digit month and day), for example ${EXAMPLE}.`);
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12) {
    return err(`"${text}" has month ${match[2]}; months run from 01 to 12, for example ${EXAMPLE}.`);
  }
  const last = daysInMonth(year, month);
  if (day < 1 || day > last) {
    const name = MONTH_NAMES[month - 1] ?? '';
    return err(`"${text}" is not a real date: ${name} ${year} has ${last} days, so the day must be 01 to ${last}, for example ${match[1]}-${match[2]}-${String(last)}.`);
  }
  return ok(text);
}

export function isIsoDate(value: string): boolean {
  return ISO_DATE.test(value) && parseIsoDate(value).ok;
}

/*
 * Statutory clocks do their arithmetic on a few hundred distinct days at most, over and over (a
 * list of a thousand open requests rolls each due date past weekends and bank holidays), and
 * checking and converting a date string dominated that work. Each conversion is a pure function of
 * its argument, so the answers are remembered; the maps are emptied if they ever grow large.
 */
const MEMO_LIMIT = 50_000;
const dayNumbers = new Map<string, number>();
const isoDates = new Map<number, IsoDate>();

/** Days since 1970-01-01, for arithmetic in UTC (no daylight saving to trip over). */
function toDayNumber(date: IsoDate): number {
  const known = dayNumbers.get(date);
  if (known !== undefined) return known;
  const match = ISO_DATE.exec(date);
  if (!match || !parseIsoDate(date).ok) throw new RangeError(`Not an ISO date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  const utc = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  utc.setUTCFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const dayNumber = Math.round(utc.getTime() / MS_PER_DAY);
  if (dayNumbers.size >= MEMO_LIMIT) dayNumbers.clear();
  dayNumbers.set(date, dayNumber);
  return dayNumber;
}

function fromParts(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function fromDayNumber(dayNumber: number): IsoDate {
  const known = isoDates.get(dayNumber);
  if (known !== undefined) return known;
  const utc = new Date(dayNumber * MS_PER_DAY);
  const year = utc.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`Date out of range (years 0000–9999): day ${dayNumber}`);
  const date = fromParts(year, utc.getUTCMonth() + 1, utc.getUTCDate());
  if (isoDates.size >= MEMO_LIMIT) isoDates.clear();
  isoDates.set(dayNumber, date);
  return date;
}

function parts(date: IsoDate): { year: number; month: number; day: number } {
  const utc = new Date(toDayNumber(date) * MS_PER_DAY);
  return { year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() };
}

function assertInteger(n: number, what: string): void {
  if (!Number.isInteger(n)) throw new RangeError(`${what} must be a whole number, got ${n}`);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  assertInteger(days, 'days');
  return fromDayNumber(toDayNumber(date) + days);
}

/**
 * The corresponding day `months` later (or earlier when negative); where the target month is too
 * short, its last day: 31 Mar + 1 → 30 Apr, 30 Jan + 1 → 28 Feb (29 in a leap year).
 */
export function addMonthsClamped(date: IsoDate, months: number): IsoDate {
  assertInteger(months, 'months');
  const { year, month, day } = parts(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  return fromParts(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** Same day `years` later or earlier; 29 Feb becomes 28 Feb in a common year. */
export function addYearsClamped(date: IsoDate, years: number): IsoDate {
  assertInteger(years, 'years');
  return addMonthsClamped(date, years * 12);
}

/** Whole days from `from` to `to`: positive when `to` is later, 0 for the same day. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

export function compareDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  const diff = toDayNumber(a) - toDayNumber(b);
  return diff < 0 ? -1 : diff > 0 ? 1 : 0;
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: IsoDate): number {
  return new Date(toDayNumber(date) * MS_PER_DAY).getUTCDay();
}

export function weekdayName(date: IsoDate, style: 'short' | 'long' = 'short'): string {
  const index = dayOfWeek(date);
  return (style === 'short' ? WEEKDAYS_SHORT[index] : WEEKDAYS_LONG[index]) ?? '';
}

export function isWeekend(date: IsoDate): boolean {
  const index = dayOfWeek(date);
  return index === 0 || index === 6;
}

/** "2026-03-02 Mon": the form cards and replies use. */
export function formatDateWithWeekday(date: IsoDate): string {
  return `${date} ${weekdayName(date)}`;
}

/**
 * The calendar day an instant falls on in `timeZone` (e.g. "today" in Europe/London). Throws
 * RangeError for an unknown zone: config validates TIMEZONE with `isValidTimeZone` at start-up.
 */
export function dateInTimeZone(instant: Date, timeZone: string): IsoDate {
  const formatter = dayFormatter(timeZone);
  const byType = new Map(formatter.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${byType.get('year') ?? ''}-${byType.get('month') ?? ''}-${byType.get('day') ?? ''}`;
}

// Building an Intl formatter costs far more than using one, and "today" is asked on every request.
const dayFormatters = new Map<string, Intl.DateTimeFormat>();
function dayFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
