import { addDays, addMonthsClamped, type IsoDate } from './dates.js';
import { nextWorkingDay, type Region } from './holidays.js';

/**
 * When scheduled jobs are due, in the committee's time zone. Each run belongs to a slot (a period
 * key such as "2026-11-26" or "2026-Q4"); a slot runs once however many replicas fire, and a slot
 * missed while the service was down is caught up when it returns, within `catchUpMs`.
 */
export type Schedule =
  | { kind: 'every'; seconds: number }
  | { kind: 'hourly'; minute: number }
  | { kind: 'daily'; hour: number; minute: number }
  /** On the 1st of Jan/Apr/Jul/Oct, or with `workingDay` on the first working day of the quarter. */
  | { kind: 'quarterly'; hour: number; minute: number; workingDay?: boolean };

export interface Slot { key: string; at: Date }

/** Cron expression for the timer (Bree); the slot logic below is what decides. */
export function cronOf(schedule: Schedule): string | null {
  switch (schedule.kind) {
    case 'every': return null;
    case 'hourly': return `${schedule.minute} * * * *`;
    case 'daily': return `${schedule.minute} ${schedule.hour} * * *`;
    // The first working day is within the first week (1 Jan a Friday: Monday the 4th); the slot decides which.
    case 'quarterly': return `${schedule.minute} ${schedule.hour} ${schedule.workingDay ? '1-7' : '1'} 1,4,7,10 *`;
  }
}

export function describeSchedule(schedule: Schedule, timeZone: string): string {
  const hm = (h: number, m: number) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
  switch (schedule.kind) {
    case 'every': return `every ${schedule.seconds} s`;
    case 'hourly': return `hourly at :${String(schedule.minute).padStart(2, '0')}`;
    case 'daily': return `daily ${hm(schedule.hour, schedule.minute)} ${timeZone}`;
    case 'quarterly': return `${schedule.workingDay ? 'first working day of' : '1'} Jan/Apr/Jul/Oct ${hm(schedule.hour, schedule.minute)} ${timeZone}`;
  }
}

/** The most recent slot at or before `now`, or null for schedules without slots. */
export function latestSlot(schedule: Schedule, now: Date, timeZone: string, region: Region = 'england-and-wales'): Slot | null {
  const local = wallClock(now, timeZone);
  switch (schedule.kind) {
    case 'every': return null;
    case 'hourly': {
      let at = fromWallClock(local.date, local.hour, schedule.minute, timeZone);
      if (at > now) at = new Date(at.getTime() - 3_600_000);
      const w = wallClock(at, timeZone);
      return { key: `${w.date}T${String(w.hour).padStart(2, '0')}`, at };
    }
    case 'daily': {
      let date = local.date;
      if (fromWallClock(date, schedule.hour, schedule.minute, timeZone) > now) date = addDays(date, -1);
      return { key: date, at: fromWallClock(date, schedule.hour, schedule.minute, timeZone) };
    }
    case 'quarterly': {
      const day = (start: IsoDate) => (schedule.workingDay ? nextWorkingDay(start, region) : start);
      let start = quarterStart(local.date);
      if (fromWallClock(day(start), schedule.hour, schedule.minute, timeZone) > now) start = addMonthsClamped(start, -3);
      return { key: quarterKey(start), at: fromWallClock(day(start), schedule.hour, schedule.minute, timeZone) };
    }
  }
}

/** The first slot after `now`. */
export function nextSlot(schedule: Schedule, now: Date, timeZone: string, region: Region = 'england-and-wales'): Slot | null {
  const latest = latestSlot(schedule, now, timeZone, region);
  if (!latest) return null;
  const local = wallClock(latest.at, timeZone);
  switch (schedule.kind) {
    case 'hourly': return latestSlot(schedule, new Date(latest.at.getTime() + 3_600_000), timeZone);
    case 'daily': {
      const date = addDays(local.date, 1);
      return { key: date, at: fromWallClock(date, schedule.hour, schedule.minute, timeZone) };
    }
    case 'quarterly': {
      const start = addMonthsClamped(quarterStart(local.date), 3);
      const day = schedule.workingDay ? nextWorkingDay(start, region) : start;
      return { key: quarterKey(start), at: fromWallClock(day, schedule.hour, schedule.minute, timeZone) };
    }
    default: return null;
  }
}

function quarterStart(date: IsoDate): IsoDate {
  const month = Number(date.slice(5, 7));
  const first = month - ((month - 1) % 3);
  return `${date.slice(0, 4)}-${String(first).padStart(2, '0')}-01`;
}

function quarterKey(start: IsoDate): string {
  return `${start.slice(0, 4)}-Q${(Number(start.slice(5, 7)) + 2) / 3}`;
}

interface WallClock { date: IsoDate; hour: number; minute: number }

function wallClock(instant: Date, timeZone: string): WallClock {
  const parts = new Map(clockFormatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    date: `${parts.get('year')}-${parts.get('month')}-${parts.get('day')}`,
    hour: Number(parts.get('hour')),
    minute: Number(parts.get('minute')),
  };
}

const clockFormatters = new Map<string, Intl.DateTimeFormat>();
function clockFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = clockFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    clockFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The instant at which the wall clock in `timeZone` shows `date hour:minute` (DST-aware). */
export function fromWallClock(date: IsoDate, hour: number, minute: number, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = Date.UTC(y, m - 1, d, hour, minute);
  let guess = target;
  // Two corrections settle any offset, including the day the clocks change.
  for (let i = 0; i < 2; i += 1) {
    const w = wallClock(new Date(guess), timeZone);
    const [wy, wm, wd] = w.date.split('-').map(Number) as [number, number, number];
    guess += target - Date.UTC(wy, wm - 1, wd, w.hour, w.minute);
  }
  return new Date(guess);
}
