import { addDays, addMonthsClamped, type IsoDate } from '../domain/dates.js';
import { quoteInput } from '../domain/quote.js';
import { err, ok, type Result } from '../domain/result.js';

/**
 * A calendar quarter, `2026-Q3`: the period every accountability figure is counted over. Quarters
 * are calendar quarters (Jan–Mar, …) in the committee's time zone, as the quarterly purge is.
 * Report code compares days as text (YYYY-MM-DD sorts as the calendar does): the figures make
 * hundreds of thousands of comparisons, and parsing each date would be most of their cost.
 */
export interface Quarter {
  readonly year: number;
  readonly q: 1 | 2 | 3 | 4;
  /** "2026-Q3" */
  readonly key: string;
  /** First and last day, both included. */
  readonly start: IsoDate;
  readonly end: IsoDate;
}

const QUARTER = /^(\d{4})-Q(\d+)$/i;

export function quarterOf(year: number, q: number): Quarter {
  if (!Number.isInteger(year) || !Number.isInteger(q) || q < 1 || q > 4) throw new RangeError(`no such quarter: ${year}-Q${q}`);
  const start = `${String(year).padStart(4, '0')}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01`;
  return { year, q: q as Quarter['q'], key: `${year}-Q${q}`, start, end: addDays(addMonthsClamped(start, 3), -1) };
}

export function quarterContaining(date: IsoDate): Quarter {
  return quarterOf(Number(date.slice(0, 4)), Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1);
}

export function shiftQuarter(quarter: Quarter, by: number): Quarter {
  const index = quarter.year * 4 + (quarter.q - 1) + by;
  return quarterOf(Math.floor(index / 4), (index % 4) + 1);
}

/** The last quarter that has ended by `today`: what `/gov report` shows when no quarter is named. */
export function lastCompleteQuarter(today: IsoDate): Quarter {
  return shiftQuarter(quarterContaining(today), -1);
}

/** The quarter and the four before it, oldest first: the window trends are drawn over. */
export function trendQuarters(quarter: Quarter): Quarter[] {
  return [-4, -3, -2, -1, 0].map((by) => shiftQuarter(quarter, by));
}

export function inQuarter(date: IsoDate | null, quarter: Quarter): boolean {
  return date !== null && date >= quarter.start && date <= quarter.end;
}

/** The months of a window of quarters, as "2026-07". */
export function monthsOf(quarters: readonly Quarter[]): string[] {
  return quarters.flatMap((quarter) => [0, 1, 2].map((m) => addMonthsClamped(quarter.start, m).slice(0, 7)));
}

/**
 * A quarter typed by a person, checked against today and the first day the register holds data:
 * a quarter not yet ended, `2026-Q5` or one before any data get an answer that says what to type.
 */
export function parseQuarter(input: string, today: IsoDate, firstDataOn: IsoDate | null): Result<Quarter> {
  const text = input.trim();
  const match = QUARTER.exec(text);
  const example = lastCompleteQuarter(today).key;
  if (!match) return err(`${quoteInput(text)} is not a quarter: write it as YYYY-Qn, for example ${example}.`);
  const q = Number(match[2]);
  if (q < 1 || q > 4) return err(`${quoteInput(text)} names quarter ${q}, but a year has four: Q1 (Jan–Mar) to Q4 (Oct–Dec), for example ${example}.`);
  const quarter = quarterOf(Number(match[1]), q);
  if (quarter.end >= today) {
    return err(quarter.start > today
      ? `${quarter.key} has not started yet (it runs ${quarter.start} to ${quarter.end}). The last complete quarter is ${example}.`
      : `${quarter.key} is still running until ${quarter.end}, so its figures are not final. The last complete quarter is ${example}.`);
  }
  if (firstDataOn === null) return err('The register holds no requests, breaches, complaints or purges yet, so there is nothing to report.');
  if (quarter.end < firstDataOn) {
    return err(`${quarter.key} ended before the register's first record (${firstDataOn}), so there is nothing to report for it. The first quarter with data is ${quarterContaining(firstDataOn).key}.`);
  }
  return ok(quarter);
}
