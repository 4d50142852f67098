import { addDays, addMonthsClamped, compareDates, daysBetween, formatDateWithWeekday, type IsoDate } from './dates.js';
import { extendedCalendarEnd, pausedDays } from './deadlines.js';
import { isWorkingDay, nextWorkingDay, type Region } from './holidays.js';
import type { RequestType } from './request-types.js';

/**
 * A request's statutory clock, derived from its history (UK GDPR Art 12 and 12A as inserted by the
 * Data (Use and Access) Act 2025 s.76, in force 5 February 2026; ICO guidance; DESIGN §2). This is
 * the one place the clock is computed: cards, `/dsr show`, `/dsr list`, App Home, reminders and the
 * accountability report all ask `requestClock` and never do date arithmetic of their own.
 *
 * - The period runs from the *relevant day*: the latest of receipt, the arrival of identity
 *   information asked for under Art 12(6) (for an agent, also their authority, per the ICO) and
 *   payment of a fee. Asking for any of them does not pause a running clock: the clock has not
 *   started, and starts afresh, day one, on the arrival day.
 * - One month: the corresponding date of the next month (clamped to its last day), stopped days
 *   added, then rolled once to the next working day of the region.
 * - Stop the clock (Art 12A): access requests only, only while the period runs; the days from the
 *   ask to the answer, both included, do not count; overlapping stops count once. Requests received
 *   before 5 February 2026 have none (the old Art 12(3)).
 * - Extension: valid only if the individual is told, with reasons, by the end of the first period
 *   (its corresponding date plus stopped days, no working-day roll). The extended date is the
 *   earlier of "relevant day + 3 months" and "end of the first period + 2 months", plus stopped
 *   days, then the roll: received 31 Jan 2026 → 28 Apr, not 30 Apr.
 * - Processor route (Art 28(3)(e)): no Art 12 clock of ours; the request is passed to the
 *   controller within `forwardWithinDays` working days.
 */

export const ARTICLE_12A_IN_FORCE: IsoDate = '2026-02-05';

export type WaitKind = 'identity' | 'authority' | 'fee' | 'clarification';

/** Identity, authority and fee: the clock has not started until the answer arrives. */
export function isAwaitingKind(kind: WaitKind): kind is 'identity' | 'authority' | 'fee' {
  return kind !== 'clarification';
}

/** Something asked of the individual: from the day asked to the day it arrived (null: not yet). */
export interface ClockWait {
  readonly kind: WaitKind;
  readonly from: IsoDate;
  readonly to: IsoDate | null;
}

export interface ClockInput {
  readonly receivedOn: IsoDate;
  readonly type: RequestType;
  readonly region: Region;
  /** In the order they were recorded. */
  readonly waits: readonly ClockWait[];
  /** An approved extension, and the day the individual was told of it (null: not yet). */
  readonly extension: { readonly toldOn: IsoDate | null } | null;
  /** Set for a processor-route request (the company processes the data for a customer). */
  readonly processor: { readonly forwardWithinDays: number; readonly forwardedOn: IsoDate | null } | null;
  /** The day the request was closed, or null while it is open. */
  readonly closedOn: IsoDate | null;
  /** The committee's calendar day. */
  readonly today: IsoDate;
}

export type ClockRule = 'article-12a' | 'pre-2026' | 'processor';
export type ClockState =
  | 'awaiting' | 'stopped' | 'running' | 'overdue' | 'closed'
  | 'forward' | 'forward-overdue' | 'forwarded';
export type ExtensionState = 'none' | 'notice-owed' | 'valid' | 'not-valid';
export type ClockStart = 'received' | 'identity' | 'authority' | 'fee';

/** How one wait was counted, for `/dsr show` and the report. */
export interface CountedWait extends ClockWait {
  /** Days it added to the period (clarification stops only). */
  readonly days: number;
  /** Why it changed nothing, when it did not. */
  readonly ignored: string | null;
}

export interface RequestClock {
  readonly rule: ClockRule;
  /** The day the period runs from; null while it has not started (awaiting identity, authority or a fee). */
  readonly relevantDay: IsoDate | null;
  readonly startedBy: ClockStart;
  /** Days the clock stood still (clarification stops that count). */
  readonly stoppedDays: number;
  /** The end of the first period: the day by which an extension must be told (no working-day roll). */
  readonly firstPeriodEnd: IsoDate | null;
  /** The due date without an extension (rolled). */
  readonly unextendedDue: IsoDate | null;
  /** The due date with the two-month extension (rolled), whether or not one was decided. */
  readonly extendedDue: IsoDate | null;
  readonly extension: ExtensionState;
  /** The due date in force: extended if the extension is valid (or may still be), else not. Null while not started or stopped. */
  readonly due: IsoDate | null;
  readonly state: ClockState;
  /** Since when the clock waits (awaiting) or stands still (stopped). */
  readonly since: IsoDate | null;
  readonly waitingFor: WaitKind | null;
  /** Days left (running) or overdue (overdue, forward-overdue), else 0. */
  readonly days: number;
  /** Closed: whether it was closed by its due date (null if it never had one). */
  readonly closedInTime: boolean | null;
  readonly waits: readonly CountedWait[];
  /** Plain words: "clock not started: awaiting identity since 2026-06-08", "running", "overdue by 3 days". */
  readonly status: string;
  /** Which rule set the relevant day: "clock starts afresh on 2026-06-10: identity received". */
  readonly started: string;
}

export const WAIT_WORDS: Readonly<Record<WaitKind, { awaiting: string; arrived: string }>> = {
  identity: { awaiting: 'identity', arrived: 'identity received' },
  authority: { awaiting: "the agent's authority", arrived: "the agent's authority received" },
  fee: { awaiting: 'the fee', arrived: 'fee paid' },
  clarification: { awaiting: 'clarification', arrived: 'clarification received' },
};

export function requestClock(input: ClockInput): RequestClock {
  if (input.processor !== null) return processorClock(input, input.processor);
  const rule: ClockRule = compareDates(input.receivedOn, ARTICLE_12A_IN_FORCE) < 0 ? 'pre-2026' : 'article-12a';
  let relevant: IsoDate = input.receivedOn;
  let startedBy: ClockStart = 'received';
  let stops: { from: IsoDate; to: IsoDate }[] = [];
  let stopIndexes: number[] = [];
  const counted: CountedWait[] = [];
  let open: ClockWait | null = null;

  for (const wait of input.waits) {
    const periodEnd = dueOf(relevant, stops, input.region, input.extension !== null);
    const days = 0;
    if (compareDates(wait.from, periodEnd) > 0) {
      counted.push({ ...wait, days, ignored: `asked after the clock had run out on ${periodEnd}: a clock that has run out cannot be stopped` });
      continue;
    }
    if (isAwaitingKind(wait.kind)) {
      if (wait.to === null) { open = wait; counted.push({ ...wait, days, ignored: null }); break; }
      if (compareDates(wait.to, relevant) >= 0) {
        // The clock starts afresh: anything stopped before the new relevant day no longer matters.
        for (const i of stopIndexes) counted[i] = { ...counted[i]!, days: 0, ignored: `before the clock started afresh on ${wait.to}` };
        relevant = wait.to;
        startedBy = wait.kind;
        stops = [];
        stopIndexes = [];
      }
      counted.push({ ...wait, days, ignored: null });
      continue;
    }
    const notAllowed = rule === 'pre-2026'
      ? `received before ${ARTICLE_12A_IN_FORCE}: the old Art 12(3) has no stop-the-clock`
      : input.type !== 'access' ? 'only an access request can stop the clock for clarification (Art 12A)'
        : compareDates(wait.from, relevant) < 0 ? 'before the clock started' : null;
    if (notAllowed !== null) { counted.push({ ...wait, days, ignored: notAllowed }); continue; }
    if (wait.to === null) { open = wait; counted.push({ ...wait, days, ignored: null }); break; }
    const before = pausedDays(stops);
    stops = [...stops, { from: wait.from, to: wait.to }];
    stopIndexes = [...stopIndexes, counted.length];
    counted.push({ ...wait, days: pausedDays(stops) - before, ignored: null });
  }

  const stoppedDays = pausedDays(stops);
  const started = startedLine(relevant, startedBy) + (rule === 'pre-2026' ? ` (received before ${ARTICLE_12A_IN_FORCE}: the old rule, no stop-the-clock)` : '');
  const base = { rule, startedBy, waits: counted, started };
  if (open !== null && isAwaitingKind(open.kind)) {
    return {
      ...base, relevantDay: null, stoppedDays: 0, firstPeriodEnd: null, unextendedDue: null, extendedDue: null,
      extension: input.extension === null ? 'none' : 'notice-owed', due: null, state: input.closedOn ? 'closed' : 'awaiting',
      since: open.from, waitingFor: open.kind, days: 0, closedInTime: null,
      status: input.closedOn ? 'closed before the clock started' : `clock not started: awaiting ${WAIT_WORDS[open.kind].awaiting} since ${open.from}`,
      started: `clock not started: it starts afresh, day one, on the day ${WAIT_WORDS[open.kind].awaiting} arrives`,
    };
  }

  const firstPeriodEnd = firstEnd(relevant, stops);
  const unextendedDue = nextWorkingDay(addDays(addMonthsClamped(relevant, 1), stoppedDays), input.region);
  const extendedDue = nextWorkingDay(addDays(extendedCalendarEnd(relevant), stoppedDays), input.region);
  const asOf = input.closedOn ?? input.today;
  let extension: ExtensionState = 'none';
  if (input.extension !== null) {
    const told = input.extension.toldOn;
    if (told !== null) extension = compareDates(told, firstPeriodEnd) <= 0 ? 'valid' : 'not-valid';
    else extension = compareDates(asOf, firstPeriodEnd) <= 0 ? 'notice-owed' : 'not-valid';
  }
  const due = extension === 'valid' || extension === 'notice-owed' ? extendedDue : unextendedDue;
  const dates = { relevantDay: relevant, stoppedDays, firstPeriodEnd, unextendedDue, extendedDue, extension };

  if (input.closedOn !== null) {
    const late = daysBetween(due, input.closedOn);
    return { ...base, ...dates, due, state: 'closed', since: null, waitingFor: null, days: 0, closedInTime: late <= 0,
      status: late <= 0 ? 'closed in time' : `closed ${plural(late, 'day')} late` };
  }
  if (open !== null) {
    return { ...base, ...dates, due: null, state: 'stopped', since: open.from, waitingFor: open.kind, days: 0, closedInTime: null,
      status: `stopped: clarification since ${open.from}` };
  }
  const left = daysBetween(input.today, due);
  if (left < 0) {
    return { ...base, ...dates, due, state: 'overdue', since: null, waitingFor: null, days: -left, closedInTime: null,
      status: `overdue by ${plural(-left, 'day')}` };
  }
  return { ...base, ...dates, due, state: 'running', since: null, waitingFor: null, days: left, closedInTime: null, status: 'running' };
}

/** The last day the period runs, as far as the waits so far go: a stop must start on or before it. */
function dueOf(relevant: IsoDate, stops: readonly { from: IsoDate; to: IsoDate }[], region: Region, extended: boolean): IsoDate {
  const end = extended ? extendedCalendarEnd(relevant) : addMonthsClamped(relevant, 1);
  return nextWorkingDay(addDays(end, pausedDays(stops)), region);
}

/** The first period's end: its corresponding date plus the days stopped within it, no roll. */
function firstEnd(relevant: IsoDate, stops: readonly { from: IsoDate; to: IsoDate }[]): IsoDate {
  let end = addMonthsClamped(relevant, 1);
  const within: { from: IsoDate; to: IsoDate }[] = [];
  for (const stop of stops) {
    if (compareDates(stop.from, end) > 0) break; // stopped in the extended period: the first one had ended
    within.push(stop);
    end = addDays(addMonthsClamped(relevant, 1), pausedDays(within));
  }
  return end;
}

function processorClock(input: ClockInput, processor: NonNullable<ClockInput['processor']>): RequestClock {
  const forwardBy = addWorkingDays(input.receivedOn, processor.forwardWithinDays, input.region);
  const base = {
    rule: 'processor' as const, relevantDay: input.receivedOn, startedBy: 'received' as const, stoppedDays: 0,
    firstPeriodEnd: null, unextendedDue: null, extendedDue: null, extension: 'none' as const, due: forwardBy,
    since: null, waitingFor: null, waits: [],
    started: `received ${input.receivedOn}: the controller's request to answer; pass it on within ${plural(processor.forwardWithinDays, 'working day')}`,
  };
  const done = processor.forwardedOn ?? input.closedOn;
  if (done !== null) {
    const late = daysBetween(forwardBy, done);
    return { ...base, state: 'forwarded', days: 0, closedInTime: late <= 0,
      status: processor.forwardedOn ? `forwarded ${processor.forwardedOn}${late > 0 ? `, ${plural(late, 'day')} after the target` : ''}` : 'closed without forwarding' };
  }
  const left = daysBetween(input.today, forwardBy);
  if (left < 0) return { ...base, state: 'forward-overdue', days: -left, closedInTime: null, status: `forwarding overdue by ${plural(-left, 'day')}` };
  return { ...base, state: 'forward', days: left, closedInTime: null, status: `to forward by ${formatDateWithWeekday(forwardBy)}` };
}

/** `days` working days after `date` (the day itself not counted): Mon + 2 → Wed. */
export function addWorkingDays(date: IsoDate, days: number, region: Region): IsoDate {
  let day = date;
  for (let n = 0; n < days;) {
    day = addDays(day, 1);
    if (isWorkingDay(day, region)) n += 1;
  }
  return days === 0 ? nextWorkingDay(day, region) : day;
}

function startedLine(relevant: IsoDate, by: ClockStart): string {
  return by === 'received'
    ? `clock started ${relevant}: request received`
    : `clock starts afresh on ${relevant}: ${WAIT_WORDS[by].arrived}`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** "due 2026-07-10 Fri (12 days left)", "overdue by 3 days (was due 2026-07-10 Fri)": one line for lists and cards. */
export function clockSummary(clock: RequestClock): string {
  const due = clock.due === null ? '' : formatDateWithWeekday(clock.due);
  switch (clock.state) {
    case 'running': return clock.days === 0 ? `due today, ${due}` : `due ${due} (${plural(clock.days, 'day')} left)`;
    case 'overdue': return `overdue by ${plural(clock.days, 'day')} (was due ${due})`;
    case 'forward': return `forward to the controller by ${due}${clock.days === 0 ? ' (today)' : ''}`;
    case 'forward-overdue': return `forwarding overdue by ${plural(clock.days, 'day')} (target ${due})`;
    case 'closed': return clock.due === null ? clock.status : `${clock.status} (was due ${due})`;
    default: return clock.status;
  }
}

/**
 * Why an extension cannot be decided on `today`, or null if it can: only once the clock has started
 * and within its first period, whose end is the last day to decide and tell (Art 12(3)).
 */
export function extensionRefused(clock: RequestClock, today: IsoDate): string | null {
  if (clock.rule === 'processor') return 'a processor-route request has no Art 12 clock of ours to extend: its controller decides';
  if (clock.extension !== 'none') return 'the request is already extended; the law allows one extension of up to two months';
  if (clock.firstPeriodEnd === null) return `the clock has not started (${clock.status}): there is no period to extend yet`;
  if (compareDates(today, clock.firstPeriodEnd) > 0) {
    return `Too late to extend: the first period ended on ${formatDateWithWeekday(clock.firstPeriodEnd)}, and an extension must be decided and told to the individual, with reasons, within it. Respond now, or record why it is late`;
  }
  return null;
}
