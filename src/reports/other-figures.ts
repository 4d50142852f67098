import { addDays, daysBetween, type IsoDate } from '../domain/dates.js';
import { BREACH_REPORT_HOURS } from '../domain/breach.js';
import { nextReviewDue } from '../domain/review-schedule.js';
import { inQuarter, shiftQuarter, type Quarter } from './quarter.js';
import type { ReportBreach, ReportComplaint, ReportPurge, ReportReview } from './rows.js';

/** DPA 2018 s.164A(3): acknowledge within 30 days, the period beginning the day after receipt. */
export const COMPLAINT_ACK_DAYS = 30;

export interface ComplaintFigures {
  readonly received: number;
  readonly acknowledged: number;
  readonly acknowledgedInTime: number;
  readonly outcomesGiven: number;
  readonly openAtEnd: number;
}

export function complaintFigures(complaints: readonly ReportComplaint[] | null, quarter: Quarter): ComplaintFigures | null {
  if (complaints === null) return null;
  const received = complaints.filter((c) => inQuarter(c.received, quarter));
  const acknowledged = received.filter((c) => c.acknowledgedOn !== null);
  return {
    received: received.length,
    acknowledged: acknowledged.length,
    acknowledgedInTime: acknowledged.filter((c) => c.acknowledgedOn! <= addDays(c.received, COMPLAINT_ACK_DAYS)).length,
    outcomesGiven: complaints.filter((c) => inQuarter(c.outcomeOn, quarter)).length,
    openAtEnd: complaints.filter((c) => c.received <= quarter.end && (c.outcomeOn === null || c.outcomeOn > quarter.end)).length,
  };
}

export interface BreachLine {
  readonly reference: string;
  readonly awareOn: IsoDate;
  /** Hours from awareness to the regulator's report; null if not reported. */
  readonly hoursToReport: number | null;
  readonly status: 'reported in time' | 'reported late' | 'not reportable' | 'not yet reported';
  readonly reason: string | null;
}

export interface BreachFigures {
  readonly count: number;
  readonly reported: number;
  readonly reportedWithin72h: number;
  readonly late: number;
  readonly notReportable: number;
  readonly controllersToTell: number;
  readonly controllersTold: number;
  readonly lines: readonly BreachLine[];
}

/** Breaches the committee became aware of in the quarter, in the committee's calendar. */
export function breachFigures(breaches: readonly ReportBreach[], quarter: Quarter, dayOf: (instant: Date) => IsoDate): BreachFigures {
  const ours = breaches.filter((b) => inQuarter(dayOf(b.awareAt), quarter));
  const lines: BreachLine[] = ours.map((b) => {
    const hours = b.regulatorNotifiedAt ? Math.round(((b.regulatorNotifiedAt.getTime() - b.awareAt.getTime()) / 3_600_000) * 10) / 10 : null;
    const status: BreachLine['status'] = hours !== null ? (hours <= BREACH_REPORT_HOURS ? 'reported in time' : 'reported late')
      : b.notReportableReason !== null ? 'not reportable' : 'not yet reported';
    return { reference: b.reference, awareOn: dayOf(b.awareAt), hoursToReport: hours, status, reason: status === 'not reportable' ? b.notReportableReason : status === 'reported late' ? b.lateReason : null };
  });
  return {
    count: ours.length,
    reported: lines.filter((l) => l.hoursToReport !== null).length,
    reportedWithin72h: lines.filter((l) => l.status === 'reported in time').length,
    late: lines.filter((l) => l.status === 'reported late').length,
    notReportable: lines.filter((l) => l.status === 'not reportable').length,
    controllersToTell: ours.filter((b) => b.controllersAffected).length,
    controllersTold: ours.filter((b) => b.controllersAffected && b.controllersNotifiedAt !== null).length,
    lines,
  };
}

/** The quarter's purges: those swept as of a day in it. */
export function purgesOf(purges: readonly ReportPurge[], quarter: Quarter): ReportPurge[] {
  return purges.filter((p) => inQuarter(p.asOf, quarter));
}

export interface ReviewLine {
  readonly subject: string;
  readonly kind: ReportReview['kind'];
  readonly doneInQuarter: readonly IsoDate[];
  /** As it stood at the quarter's end. */
  readonly nextDue: IsoDate;
  readonly state: 'done' | 'overdue' | 'due next quarter' | 'not due';
}

/** A review is due a year after the last one (REVIEW_INTERVAL_YEARS), or from its first due date. */
export function reviewDueAsOf(review: ReportReview, day: IsoDate): IsoDate {
  const before = review.reviewedOn.filter((d) => d <= day).sort();
  const last = before[before.length - 1];
  return last === undefined ? review.firstDue : nextReviewDue(last);
}

/**
 * Privacy notice and Article 30 reviews as they stood at the quarter's end: done in the quarter,
 * overdue (due on or before its end and not done), due in the next quarter, or not due yet.
 */
export function reviewLines(reviews: readonly ReportReview[], quarter: Quarter): ReviewLine[] {
  const next = shiftQuarter(quarter, 1);
  return reviews.map((review) => {
    const done = review.reviewedOn.filter((d) => inQuarter(d, quarter));
    const nextDue = reviewDueAsOf(review, quarter.end);
    const state: ReviewLine['state'] = done.length > 0 ? 'done'
      : nextDue <= quarter.end ? 'overdue'
        : nextDue <= next.end ? 'due next quarter' : 'not due';
    return { subject: review.subject, kind: review.kind, doneInQuarter: done, nextDue, state };
  });
}

export function daysLate(due: IsoDate, on: IsoDate): number {
  return Math.max(0, daysBetween(due, on));
}
