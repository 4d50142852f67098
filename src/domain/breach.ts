import { parseIsoDate } from './dates.js';
import { err, ok, type Result } from './result.js';

/**
 * The 72-hour breach clock (UK GDPR Art 33). It runs on the wall clock from the moment the
 * company became aware, weekends and bank holidays included, so it is plain instant arithmetic:
 * no calendar, no time zone. Time zones only matter for reading and showing times to people.
 */

export const BREACH_REPORT_HOURS = 72;
const MS_PER_HOUR = 3_600_000;

/** The reminders the hourly job sends, from least to most urgent. */
export type BreachMilestone = 24 | 12 | 4 | 'overdue';
const MILESTONES_BY_URGENCY: readonly (BreachMilestone | null)[] = [null, 24, 12, 4, 'overdue'];

export interface BreachClock {
  readonly deadline: Date;
  /** Exact hours until the deadline (fractional; negative once overdue). Round when displaying. */
  readonly hoursLeft: number;
  readonly overdue: boolean;
  /** The most urgent threshold crossed, or null with more than 24 hours left. */
  readonly milestone: BreachMilestone | null;
}

export function breachDeadline(awareAt: Date): Date {
  return new Date(awareAt.getTime() + BREACH_REPORT_HOURS * MS_PER_HOUR);
}

export function breachClock(awareAt: Date, now: Date): BreachClock {
  const deadline = breachDeadline(awareAt);
  const hoursLeft = (deadline.getTime() - now.getTime()) / MS_PER_HOUR;
  // At the deadline instant itself the report is still (just) in time.
  const overdue = hoursLeft < 0;
  const milestone: BreachMilestone | null =
    overdue ? 'overdue' : hoursLeft <= 4 ? 4 : hoursLeft <= 12 ? 12 : hoursLeft <= 24 ? 24 : null;
  return { deadline, hoursLeft, overdue, milestone };
}

/**
 * Whether `current` is more urgent than the last milestone announced, so that an hourly job that
 * missed a run (or ran twice) still sends each reminder once and never goes backwards.
 */
export function isNewMilestone(lastAnnounced: BreachMilestone | null, current: BreachMilestone | null): boolean {
  return MILESTONES_BY_URGENCY.indexOf(current) > MILESTONES_BY_URGENCY.indexOf(lastAnnounced);
}

/** "2026-03-02 14:05 GMT": an instant as people in `timeZone` read it. */
export function formatInstant(instant: Date, timeZone: string): string {
  const p = wallClockParts(instant, timeZone, 'short');
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

export function validateAwareAt(awareAt: Date, now: Date, timeZone = 'UTC'): Result<Date> {
  if (Number.isNaN(awareAt.getTime())) {
    return err('The awareness time is not a valid time. Use --aware YYYY-MM-DDTHH:MM, for example --aware 2026-03-02T09:30.');
  }
  if (awareAt.getTime() > now.getTime()) {
    return err(
      `The awareness time ${formatInstant(awareAt, timeZone)} is in the future (it is now ${formatInstant(now, timeZone)}). ` +
      'Give when the company became aware of the breach, for example --aware 2026-03-02T09:30, or leave --aware out to mean now.',
    );
  }
  return ok(awareAt);
}

const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})?$/i;

/**
 * Reads `--aware YYYY-MM-DDTHH:MM` as wall-clock time in `timeZone` (an explicit `Z` or `+01:00`
 * wins), then checks it is not in the future. In the autumn hour that happens twice the earlier
 * instant is taken, which gives the earlier, safer deadline; a time skipped by the spring change
 * is read with the offset before the change.
 */
export function parseAwareAt(text: string, timeZone: string, now: Date): Result<Date> {
  const example = 'for example --aware 2026-03-02T09:30';
  const match = LOCAL_DATE_TIME.exec(text.trim());
  if (!match) return err(`"${text.trim()}" is not a time in the form YYYY-MM-DDTHH:MM, ${example}.`);
  const [, datePart = '', hh = '', mm = '', zone] = match;
  const date = parseIsoDate(datePart);
  if (!date.ok) return date;
  // UK GDPR's breach duty began on 25 May 2018; earlier dates are typing mistakes (and Date.UTC
  // reads two-digit years as 19xx).
  if (date.value < '2018-05-25') return err(`${date.value} is before UK GDPR applied (2018-05-25): give when the company became aware, ${example}.`);
  if (Number(hh) > 23 || Number(mm) > 59) return err(`"${hh}:${mm}" is not a time of day (00:00 to 23:59), ${example}.`);
  const [y, mo, d] = datePart.split('-').map(Number) as [number, number, number];
  const wallMs = Date.UTC(y, mo - 1, d, Number(hh), Number(mm));
  let instantMs: number;
  if (zone !== undefined) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const offsetMin = zone.toUpperCase() === 'Z' ? 0 : sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
    instantMs = wallMs - offsetMin * 60_000;
  } else {
    instantMs = zonedWallToInstant(wallMs, timeZone);
  }
  return validateAwareAt(new Date(instantMs), now, timeZone);
}

function wallClockParts(instant: Date, timeZone: string, timeZoneName?: 'short'): Record<string, string> {
  const formatter = new Intl.DateTimeFormat('en-GB', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', ...(timeZoneName ? { timeZoneName } : {}),
  });
  return Object.fromEntries(formatter.formatToParts(instant).map((p) => [p.type, p.value]));
}

/** Offset of `timeZone` from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(instantMs: number, timeZone: string): number {
  const p = wallClockParts(new Date(instantMs), timeZone);
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

function zonedWallToInstant(wallMs: number, timeZone: string): number {
  // The offsets in force half a day either side cover any daylight-saving change near this time.
  const before = wallMs - offsetAt(wallMs - 12 * MS_PER_HOUR, timeZone);
  const after = wallMs - offsetAt(wallMs + 12 * MS_PER_HOUR, timeZone);
  const exact = [before, after].filter((t) => t + offsetAt(t, timeZone) === wallMs);
  return exact.length > 0 ? Math.min(...exact) : before;
}
