import { daysBetween, formatDateWithWeekday, type IsoDate } from './dates.js';
import { WAIT_WORDS, type RequestClock } from './request-clock.js';

/**
 * Which deadline reminders an open request is owed today (DESIGN §3, sla-reminders), from its clock
 * (src/domain/request-clock.ts). Pure: the job computes the clock, asks this, and records each
 * reminder's milestone key in `reminders_sent`, so each is posted once however often the job runs.
 *
 * - Countdown: due in 7, 3 and 1 days, and due today. A reminder belongs to a window (7 covers 7–4
 *   days left, 3 covers 3–2), so one missed run (downtime) delays it by a day instead of losing it.
 * - Overdue: on the first day overdue and then weekly until the request is closed, each time naming
 *   the chairs. A missed statutory deadline is a continuing breach: a single reminder would let it be
 *   forgotten, a daily one would become noise.
 * - Keys carry the due date, so when the date moves (a stop ended, an extension) the countdown
 *   starts again for the new date.
 * - Awaiting identity, authority or a fee: the clock has not started, so no countdown; after 14
 *   days, and weekly after that, a nudge to chase it. Stopped for clarification: weekly.
 * - Processor route: no Art 12 clock of ours and no escalation to the chairs: on the forwarding
 *   target day, then the first day after it and weekly, a reminder to pass the request on.
 * - An extension whose notice was not recorded by the end of the first period is not valid: once.
 */

export const COUNTDOWN_DAYS = [7, 3, 1] as const;
export const REPEAT_DAYS = 7;
export const AWAITING_NUDGE_DAYS = 14;

export interface ReminderSubject {
  readonly reference: string;
  readonly type: string;
  readonly clock: RequestClock;
  /** The customer the data is processed for, when the company is only its processor. */
  readonly controller: string | null;
}

export type ReminderKind = 'countdown' | 'due-today' | 'overdue' | 'awaiting' | 'stopped' | 'forward' | 'extension-not-valid';

export interface Reminder {
  readonly kind: ReminderKind;
  /** Unique for the request and occasion: the milestone of `reminders_sent`. */
  readonly milestone: string;
  readonly text: string;
}

/** `chairs`: mention tokens for the chairs, named on overdue reminders. */
export function remindersDue(subject: ReminderSubject, today: IsoDate, chairs: readonly string[]): Reminder[] {
  const { clock } = subject;
  const what = `${subject.type} request ${subject.reference}`;
  const ref = subject.reference;
  switch (clock.state) {
    case 'awaiting': {
      const since = clock.since ?? today;
      const days = daysBetween(since, today);
      if (days < AWAITING_NUDGE_DAYS) return [];
      const awaited = WAIT_WORDS[clock.waitingFor ?? 'identity'].awaiting;
      return [{
        kind: 'awaiting',
        milestone: `awaiting:${since}:${Math.floor((days - AWAITING_NUDGE_DAYS) / REPEAT_DAYS)}`,
        text: `${what} has been awaiting ${awaited} since ${formatDateWithWeekday(since)} (${days} days): its clock has not started. Chase it, and when it arrives record it with /dsr resume ${ref} --on YYYY-MM-DD (the clock starts afresh that day).`,
      }];
    }
    case 'stopped': {
      const since = clock.since ?? today;
      const days = daysBetween(since, today);
      const week = Math.floor(days / REPEAT_DAYS);
      if (week < 1) return [];
      return [{
        kind: 'stopped',
        milestone: `stopped:${since}:${week}`,
        text: `The clock of ${what} is still stopped for clarification since ${formatDateWithWeekday(since)} (${days} days): chase the answer, and when it arrives: /dsr resume ${ref} --on YYYY-MM-DD.`,
      }];
    }
    case 'forward':
    case 'forward-overdue':
      return forwardReminder(subject, today, what);
    case 'running':
    case 'overdue': {
      const reminders: Reminder[] = [];
      const countdown = countdownReminder(clock.due ?? today, today, what, chairs);
      if (countdown) reminders.push(countdown);
      if (clock.extension === 'not-valid') {
        reminders.push({
          kind: 'extension-not-valid',
          milestone: `extension-not-valid:${clock.firstPeriodEnd ?? ''}`,
          text: `The extension of ${what} is not valid: the individual was not told of it, with the reasons, by ${clock.firstPeriodEnd ?? ''} (the end of the first period, Art 12(3)). It was due ${formatDateWithWeekday(clock.due ?? today)}: respond now.`,
        });
      }
      return reminders;
    }
    default:
      return [];
  }
}

function forwardReminder(subject: ReminderSubject, today: IsoDate, what: string): Reminder[] {
  const due = subject.clock.due ?? today;
  const late = daysBetween(due, today);
  const controller = subject.controller ?? 'the controller';
  const how = `pass it to ${controller}, the controller, and record it with /dsr forwarded ${subject.reference} (or approve the forwarding on its card)`;
  if (late < 0) return [];
  if (late === 0) {
    return [{ kind: 'forward', milestone: `forward-today:${due}`, text: `${what} is about data processed for ${controller}: ${how} today, ${formatDateWithWeekday(due)} (Art 28(3)(e)).` }];
  }
  return [{
    kind: 'forward',
    milestone: `forward-overdue:${due}:${Math.floor((late - 1) / REPEAT_DAYS)}`,
    text: `${what} is about data processed for ${controller}: it should have been passed on by ${formatDateWithWeekday(due)}, ${late} day${late === 1 ? '' : 's'} ago. Without undue delay, ${how}.`,
  }];
}

function countdownReminder(dueOn: IsoDate, today: IsoDate, what: string, chairs: readonly string[]): Reminder | null {
  const left = daysBetween(today, dueOn);
  const due = formatDateWithWeekday(dueOn);
  if (left > COUNTDOWN_DAYS[0]) return null;
  if (left > 0) {
    // The smallest milestone not yet passed: 5 days left falls in the 7-day window.
    const window = [...COUNTDOWN_DAYS].reverse().find((days) => left <= days) ?? COUNTDOWN_DAYS[0];
    return {
      kind: 'countdown',
      milestone: `due-in-${window}:${dueOn}`,
      text: `${what} is due in ${left} day${left === 1 ? '' : 's'}, on ${due}.`,
    };
  }
  if (left === 0) return { kind: 'due-today', milestone: `due-today:${dueOn}`, text: `${what} is due today, ${due}.` };
  const late = -left;
  const chairsText = chairs.length > 0 ? chairs.join(', ') : 'no chair is set (add one with /gov members add @someone chair)';
  return {
    kind: 'overdue',
    milestone: `overdue:${dueOn}:${Math.floor((late - 1) / REPEAT_DAYS)}`,
    text: `${what} is overdue: it was due ${due}, ${late} day${late === 1 ? '' : 's'} ago. Chairs: ${chairsText}: please see that it is completed, or the delay explained to the individual.`,
  };
}
