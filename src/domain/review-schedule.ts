import { addYearsClamped, daysBetween, type IsoDate } from './dates.js';

/**
 * The committee's yearly reviews (DESIGN §1): the privacy notice, "on an annual basis, or when we
 * are advised of regulatory changes, whichever is the soonest", and each service provider of the
 * Article 30 register. Pure: the reminder jobs read the register, ask this which milestone is due
 * today, and record its key in `reminders_sent`, so each goes out once however often they run.
 *
 * - Countdown: 30 and 7 days before the review date. Each belongs to a window (the 30-day one
 *   covers 30 to 8 days left, the 7-day one 7 days left to the day itself), so a run missed during
 *   downtime delays a reminder by a day instead of losing it, and a late start sends only the most
 *   urgent one.
 * - Overdue: on the first day overdue and then weekly until the review is recorded: a forgotten
 *   review is a continuing gap, but a daily nudge would become noise.
 * - Keys carry the review date, so a recorded review (a new date a year on) starts afresh.
 * - A regulatory change makes the notice review due at once; it is announced when recorded
 *   (week 0) and then weekly until a review closes it.
 */

export const REVIEW_INTERVAL_YEARS = 1;
export const REVIEW_COUNTDOWN_DAYS = [30, 7] as const;
export const REVIEW_REPEAT_DAYS = 7;
/** A Monday: "never reviewed" nudges are keyed by calendar week counted from it. */
const WEEK_ANCHOR: IsoDate = '2024-01-01';

/** The next yearly review after one done on `reviewedOn`; 29 Feb rolls to 28 Feb. */
export function nextReviewDue(reviewedOn: IsoDate): IsoDate {
  return addYearsClamped(reviewedOn, REVIEW_INTERVAL_YEARS);
}

export type ReviewMilestoneKind = 'due-in-30' | 'due-in-7' | 'overdue';

export interface ReviewMilestone {
  readonly kind: ReviewMilestoneKind;
  /** Unique for the subject and occasion: the milestone of `reminders_sent`. */
  readonly key: string;
  /** Days until the review date: 0 on the day, negative once overdue. */
  readonly daysLeft: number;
}

/** The yearly-review reminder owed today, or null (more than 30 days left). */
export function reviewMilestone(dueOn: IsoDate, today: IsoDate): ReviewMilestone | null {
  const daysLeft = daysBetween(today, dueOn);
  const [far, near] = REVIEW_COUNTDOWN_DAYS;
  if (daysLeft > far) return null;
  if (daysLeft > near) return { kind: 'due-in-30', key: `due-in-${far}:${dueOn}`, daysLeft };
  if (daysLeft >= 0) return { kind: 'due-in-7', key: `due-in-${near}:${dueOn}`, daysLeft };
  const week = Math.floor((-daysLeft - 1) / REVIEW_REPEAT_DAYS);
  return { kind: 'overdue', key: `overdue:${dueOn}:${week}`, daysLeft };
}

export function isOverdue(dueOn: IsoDate, today: IsoDate): boolean {
  return daysBetween(today, dueOn) < 0;
}

/** A regulatory change: announced at once (week 0), then weekly while no review has closed it. */
export function changeMilestoneKey(changeId: number, recordedOn: IsoDate, today: IsoDate): string {
  const week = Math.max(0, Math.floor(daysBetween(recordedOn, today) / REVIEW_REPEAT_DAYS));
  return `change:${changeId}:${week}`;
}

/** The weekly nudge while no notice review has ever been recorded. */
export function neverReviewedKey(today: IsoDate): string {
  return `never-reviewed:${Math.floor(daysBetween(WEEK_ANCHOR, today) / REVIEW_REPEAT_DAYS)}`;
}

export type NoticeDueReason = 'never-reviewed' | 'regulatory-change' | 'yearly';

export interface NoticeDue {
  /** The yearly date, or the day of the earliest open regulatory change if sooner; null if never reviewed. */
  readonly dueOn: IsoDate | null;
  readonly reason: NoticeDueReason;
}

/** When the notice must next be reviewed: yearly, or at once after a regulatory change, whichever is sooner. */
export function noticeReviewDue(lastReviewedOn: IsoDate | null, earliestOpenChangeOn: IsoDate | null): NoticeDue {
  const yearly = lastReviewedOn === null ? null : nextReviewDue(lastReviewedOn);
  if (earliestOpenChangeOn !== null && (yearly === null || earliestOpenChangeOn < yearly)) {
    return { dueOn: earliestOpenChangeOn, reason: 'regulatory-change' };
  }
  return yearly === null ? { dueOn: null, reason: 'never-reviewed' } : { dueOn: yearly, reason: 'yearly' };
}

export type NoticeReminder =
  | { readonly kind: 'change'; readonly key: string; readonly changeId: number; readonly recordedOn: IsoDate }
  | { readonly kind: 'never-reviewed'; readonly key: string }
  | { readonly kind: ReviewMilestoneKind; readonly key: string; readonly daysLeft: number; readonly dueOn: IsoDate };

/**
 * The notice reminders owed today. Open regulatory changes make the review due now, so while any is
 * open the yearly countdown is not sent as well: one nudge per change a week says all there is.
 */
export function noticeRemindersDue(
  input: { readonly lastReviewedOn: IsoDate | null; readonly openChanges: readonly { readonly id: number; readonly recordedOn: IsoDate }[] },
  today: IsoDate,
): NoticeReminder[] {
  if (input.openChanges.length > 0) {
    return input.openChanges.map((change) => ({
      kind: 'change', key: changeMilestoneKey(change.id, change.recordedOn, today), changeId: change.id, recordedOn: change.recordedOn,
    }));
  }
  if (input.lastReviewedOn === null) return [{ kind: 'never-reviewed', key: neverReviewedKey(today) }];
  const dueOn = nextReviewDue(input.lastReviewedOn);
  const milestone = reviewMilestone(dueOn, today);
  return milestone ? [{ ...milestone, dueOn }] : [];
}
