import { createRequire } from 'node:module';
import type Holidays from 'date-holidays';
import { addDays, isWeekend, type IsoDate } from './dates.js';
import { err, ok, type Result } from './result.js';

/** The three UK bank-holiday jurisdictions (England and Wales share one calendar). */
export type Region = 'england-and-wales' | 'scotland' | 'northern-ireland';
export const REGIONS: readonly Region[] = ['england-and-wales', 'scotland', 'northern-ireland'];

const STATE_CODES: Readonly<Record<Region, 'ENG' | 'SCT' | 'NIR'>> = {
  'england-and-wales': 'ENG',
  scotland: 'SCT',
  'northern-ireland': 'NIR',
};

/** Other spellings people type for a region (after lower-casing and joining words with '-'). */
const REGION_ALIASES: Readonly<Record<string, Region>> = {
  england: 'england-and-wales', wales: 'england-and-wales', eng: 'england-and-wales',
  wls: 'england-and-wales', 'england-wales': 'england-and-wales',
  sct: 'scotland', nir: 'northern-ireland', ni: 'northern-ireland',
};

export function parseRegion(input: string): Result<Region> {
  const word = input.trim().toLowerCase().replace(/[\s_&]+/g, '-');
  const region = (REGIONS as readonly string[]).includes(word)
    ? (word as Region)
    : Object.hasOwn(REGION_ALIASES, word) ? REGION_ALIASES[word] : undefined;
  if (region) return ok(region);
  const shown = input.trim() === '' ? 'An empty region' : `"${input.trim()}"`;
  return err(`${shown} is not a bank-holiday region. Use one of: ${REGIONS.join(', ')} (for example --region scotland).`);
}

export interface BankHoliday {
  readonly date: IsoDate;
  readonly name: string;
}

/*
 * date-holidays quirks this module hides:
 * - Its default types include observances (Mother's Day, Easter Sunday), so only `public` is kept.
 * - A holiday on a weekend is listed on the weekend date AND on its weekday substitute. Only the
 *   weekday matters (a weekend is never a working day anyway), so weekend dates are dropped and
 *   each day appears once whatever its names.
 * - `start` is local midnight in Europe/London (23:00Z the day before in summer): we read the
 *   `date` text ("YYYY-MM-DD hh:mm:ss"), which is the calendar day whatever the process zone.
 * The data is static per (region, year), so it is computed once and memoised: this keeps the
 * functions pure in effect while a daily reminder job rolls hundreds of due dates.
 */
const calendars = new Map<Region, Holidays>();
const byRegionYear = new Map<string, ReadonlyMap<IsoDate, string>>();

/**
 * The calendar library is loaded on first use, not on import: it takes about a third of a second
 * of CPU, and commands that never count a deadline (an import of contacts, say) load this module
 * through the configuration's list of regions.
 */
let library: typeof Holidays | null = null;

function calendar(region: Region): Holidays {
  let hd = calendars.get(region);
  if (!hd) {
    library ??= createRequire(import.meta.url)('date-holidays') as typeof Holidays;
    hd = new library('GB', STATE_CODES[region], { types: ['public'] });
    calendars.set(region, hd);
  }
  return hd;
}

function holidayMap(year: number, region: Region): ReadonlyMap<IsoDate, string> {
  const key = `${region}:${year}`;
  const cached = byRegionYear.get(key);
  if (cached) return cached;
  const days = new Map<IsoDate, string>();
  for (const h of calendar(region).getHolidays(year)) {
    const date = h.date.slice(0, 10);
    if (h.type !== 'public' || isWeekend(date)) continue;
    const seen = days.get(date);
    days.set(date, seen ? `${seen} / ${h.name}` : h.name);
  }
  const sorted = new Map([...days].sort(([a], [b]) => (a < b ? -1 : 1)));
  byRegionYear.set(key, sorted);
  return sorted;
}

/**
 * Loads the calendar library and the region's holidays of `year` and the next now, rather than
 * in the first deadline counted (the service calls it while it starts: a vote computes its
 * request's clock, and the first vote of a burst would otherwise pay about 0.2 s of CPU for it
 * with every other vote waiting behind).
 */
export function loadBankHolidays(region: Region, year: number): void {
  holidayMap(year, region);
  holidayMap(year + 1, region);
}

/** The weekday bank holidays of a year, in date order, as GOV.UK lists them. */
export function bankHolidays(year: number, region: Region): readonly BankHoliday[] {
  return [...holidayMap(year, region)].map(([date, name]) => ({ date, name }));
}

/** True for a weekday that is a bank holiday; weekend dates are false (they are never working days). */
export function isBankHoliday(date: IsoDate, region: Region): boolean {
  if (isWeekend(date)) return false; // also rejects a malformed date with a RangeError
  return holidayMap(Number(date.slice(0, 4)), region).has(date);
}

export function isWorkingDay(date: IsoDate, region: Region): boolean {
  return !isWeekend(date) && !isBankHoliday(date, region);
}

/** `date` itself when it is a working day, otherwise the next one. */
export function nextWorkingDay(date: IsoDate, region: Region): IsoDate {
  let day = date;
  // A run of non-working days is at most a few days long (Christmas to New Year in Scotland).
  while (!isWorkingDay(day, region)) day = addDays(day, 1);
  return day;
}
