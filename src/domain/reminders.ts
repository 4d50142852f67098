import { daysBetween, formatDateWithWeekday, type IsoDate } from './dates.js';

/**
 * Which deadline reminders an open request is owed today (DESIGN §3, sla-reminders). Pure: the job
 * reads the register, asks this, and records each reminder's milestone key in `reminders_sent`,
 * so each is posted once however often the job runs.
 *
 * - Countdown: due in 7, 3 and 1 days, and due today. A reminder belongs to a window (7 covers 7–4
 *   days left, 3 covers 3–2), so one missed run (downtime) delays it by a day instead of losing it.
 * - Overdue: on the first day overdue and then weekly until the request is closed, each time naming
 *   the chairs. A missed statutory deadline is a continuing breach: a single reminder would let it be
 *   forgotten, a daily one would become noise.
 * - Keys carry the due date, so when the date moves (a pause ended, an extension) the countdown
 *   starts again for the new date.
 * - Paused: the clock is stopped, so no countdown; instead a weekly "still paused since" nudge.
 * - Controller: data processed for a customer must be passed to them without undue delay; two days
 *   after forwarding was proposed and while it awaits approval, a reminder, then weekly.
 */

export const COUNTDOWN_DAYS = [7, 3, 1] as const;
export const REPEAT_DAYS = 7;
export const FORWARD_AFTER_DAYS = 2;

export interface ReminderSubject {
  readonly reference: string;
  readonly type: string;
  readonly dueOn: IsoDate;
  /** The day the open pause began, or null when the clock runs. */
  readonly pausedSince: IsoDate | null;
  readonly pauseKind: string | null;
  /** The customer the data is processed for, when the company is only its processor. */
  readonly controller: string | null;
  /** The day an open forwarding proposal was made, while it awaits approval; else null. */
  readonly forwardProposedOn: IsoDate | null;
}

export type ReminderKind = 'countdown' | 'due-today' | 'overdue' | 'paused' | 'forward';

export interface Reminder {
  readonly kind: ReminderKind;
  /** Unique for the request and occasion: the milestone of `reminders_sent`. */
  readonly milestone: string;
  readonly text: string;
}

/** `chairs`: mention tokens for the chairs, named on overdue reminders. */
export function remindersDue(subject: ReminderSubject, today: IsoDate, chairs: readonly string[]): Reminder[] {
  const what = `${subject.type} request ${subject.reference}`;
  if (subject.pausedSince !== null) {
    const days = daysBetween(subject.pausedSince, today);
    const week = Math.floor(days / REPEAT_DAYS);
    if (week < 1) return [];
    return [{
      kind: 'paused',
      milestone: `paused:${subject.pausedSince}:${week}`,
      text: `The clock of ${what} is still paused since ${formatDateWithWeekday(subject.pausedSince)} (${subject.pauseKind ?? 'waiting'}, ${days} days): chase what was asked for, or resume it with /dsr resume ${subject.reference}.`,
    }];
  }
  const reminders: Reminder[] = [];
  const countdown = countdownReminder(subject, today, what, chairs);
  if (countdown) reminders.push(countdown);
  if (subject.controller !== null && subject.forwardProposedOn !== null) {
    const waiting = daysBetween(subject.forwardProposedOn, today);
    if (waiting >= FORWARD_AFTER_DAYS) {
      reminders.push({
        kind: 'forward',
        milestone: `forward:${subject.forwardProposedOn}:${Math.floor((waiting - FORWARD_AFTER_DAYS) / REPEAT_DAYS)}`,
        text: `${what} is about data processed for ${subject.controller}: pass it to the controller without undue delay (the forwarding has waited for approval since ${formatDateWithWeekday(subject.forwardProposedOn)}).`,
      });
    }
  }
  return reminders;
}

function countdownReminder(subject: ReminderSubject, today: IsoDate, what: string, chairs: readonly string[]): Reminder | null {
  const left = daysBetween(today, subject.dueOn);
  const due = formatDateWithWeekday(subject.dueOn);
  if (left > COUNTDOWN_DAYS[0]) return null;
  if (left > 0) {
    // The smallest milestone not yet passed: 5 days left falls in the 7-day window.
    const window = [...COUNTDOWN_DAYS].reverse().find((days) => left <= days) ?? COUNTDOWN_DAYS[0];
    return {
      kind: 'countdown',
      milestone: `due-in-${window}:${subject.dueOn}`,
      text: `${what} is due in ${left} day${left === 1 ? '' : 's'}, on ${due}.`,
    };
  }
  if (left === 0) return { kind: 'due-today', milestone: `due-today:${subject.dueOn}`, text: `${what} is due today, ${due}.` };
  const late = -left;
  const chairsText = chairs.length > 0 ? chairs.join(', ') : 'no chair is set (add one with /gov members add @someone chair)';
  return {
    kind: 'overdue',
    milestone: `overdue:${subject.dueOn}:${Math.floor((late - 1) / REPEAT_DAYS)}`,
    text: `${what} is overdue: it was due ${due}, ${late} day${late === 1 ? '' : 's'} ago. Chairs: ${chairsText}: please see that it is completed, or the delay explained to the individual.`,
  };
}
