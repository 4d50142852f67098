import {
  addDays, addMonthsClamped, compareDates, daysBetween, type IsoDate,
} from './dates.js';
import { nextWorkingDay, type Region } from './holidays.js';

/**
 * Date arithmetic of the statutory month (UK GDPR Art 12, ICO guidance; DESIGN §2), used by
 * `govbot deadline` and `/dsr deadline`. When a request's clock runs, stops and restarts is decided
 * from its history by request-clock.ts, which builds on `pausedDays` here.
 *
 * The day of receipt counts as day one, so "one month" ends on the corresponding calendar date of
 * the next month (31 Mar → 30 Apr when there is no such date). Paused days are added after the
 * month arithmetic; only then is the result rolled past weekends and the region's bank holidays.
 */

export interface DueDateInput {
  readonly receivedOn: IsoDate;
  readonly region: Region;
  /** Days the clock stood still (see `pausedDays`). */
  readonly pausedDays?: number;
  /** Extended by two further months for complexity or number of requests. */
  readonly extended?: boolean;
}

export interface Pause {
  readonly from: IsoDate;
  readonly to: IsoDate;
}

const MONTHS_NORMAL = 1;
const MONTHS_EXTENDED = 3;

/**
 * The calendar end of an extended period: the earlier of "start + 3 months" and "end of the first
 * month + 2 months", which differ after month-end clamps (31 Jan 2026 → 28 Apr, not 30 Apr).
 */
export function extendedCalendarEnd(start: IsoDate): IsoDate {
  const threeMonths = addMonthsClamped(start, MONTHS_EXTENDED);
  const oneThenTwo = addMonthsClamped(addMonthsClamped(start, MONTHS_NORMAL), MONTHS_EXTENDED - MONTHS_NORMAL);
  return compareDates(threeMonths, oneThenTwo) <= 0 ? threeMonths : oneThenTwo;
}

export function statutoryDueDate(input: DueDateInput): IsoDate {
  const paused = input.pausedDays ?? 0;
  if (!Number.isInteger(paused) || paused < 0) {
    throw new RangeError(`pausedDays must be a whole number of days, 0 or more; got ${paused}`);
  }
  const end = input.extended === true ? extendedCalendarEnd(input.receivedOn) : addMonthsClamped(input.receivedOn, MONTHS_NORMAL);
  const calendarEnd = addDays(end, paused);
  return nextWorkingDay(calendarEnd, input.region);
}

/**
 * Days on which the clock stood still: each pause counts from the day the information was asked
 * for to the day it arrived, both included (Art 12A). Overlapping pauses (say identity evidence
 * and a fee awaited at once) count each calendar day once: the clock cannot stop twice.
 */
export function pausedDays(pauses: readonly Pause[]): number {
  const sorted = [...pauses].sort((a, b) => compareDates(a.from, b.from));
  let total = 0;
  let coveredUntil: IsoDate | null = null; // last day already counted
  for (const pause of sorted) {
    if (compareDates(pause.to, pause.from) < 0) {
      throw new RangeError(`A pause cannot end (${pause.to}) before it starts (${pause.from})`);
    }
    const start: IsoDate = coveredUntil !== null && compareDates(pause.from, coveredUntil) <= 0
      ? addDays(coveredUntil, 1)
      : pause.from;
    if (compareDates(pause.to, start) >= 0) {
      total += daysBetween(start, pause.to) + 1;
      coveredUntil = pause.to;
    }
  }
  return total;
}
