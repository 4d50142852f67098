import {
  addDays, addMonthsClamped, compareDates, daysBetween, formatDateWithWeekday, type IsoDate,
} from './dates.js';
import { nextWorkingDay, type Region } from './holidays.js';
import { err, ok, type Result } from './result.js';

/**
 * Statutory clocks for data subject requests (UK GDPR Art 12 and 12A, ICO guidance; DESIGN §2).
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

export function statutoryDueDate(input: DueDateInput): IsoDate {
  const paused = input.pausedDays ?? 0;
  if (!Number.isInteger(paused) || paused < 0) {
    throw new RangeError(`pausedDays must be a whole number of days, 0 or more; got ${paused}`);
  }
  const months = input.extended === true ? MONTHS_EXTENDED : MONTHS_NORMAL;
  const calendarEnd = addDays(addMonthsClamped(input.receivedOn, months), paused);
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

/**
 * The last day on which an extension may still be decided and told to the individual: the end of
 * the first month, which is the unextended due date (month-end clamp, then the working-day roll).
 *
 * Pauses DO move it: Art 12A stops the clock for the whole response period, and the parallel
 * provision for law-enforcement requests says so in terms (DPA 2018 s54(3C)(b)(ii): the paused
 * period "does not count towards … the period" for giving notice of an extension). Rolling to a
 * working day matches how the ICO counts the month everywhere else, so the committee never sees
 * two different "end of the first month" dates for one request.
 */
export function firstMonthEnds(input: Omit<DueDateInput, 'extended'>): IsoDate {
  return statutoryDueDate({ ...input, extended: false });
}

/**
 * Whether an extension may still be proposed on `today`; if not, a message the committee can act on.
 * Returns the extended due date it would give.
 */
export function checkExtension(input: Omit<DueDateInput, 'extended'>, today: IsoDate): Result<IsoDate> {
  const lastDay = firstMonthEnds(input);
  if (compareDates(today, lastDay) > 0) {
    return err(
      `Too late to extend: the first month ended on ${formatDateWithWeekday(lastDay)}, and an extension ` +
      'must be decided and told to the individual, with reasons, within it. Respond now, or record why it is late.',
    );
  }
  return ok(statutoryDueDate({ ...input, extended: true }));
}
