import { daysBetween, type IsoDate } from '../domain/dates.js';
import { breachFigures, complaintFigures, purgesOf, reviewLines, type BreachFigures, type ComplaintFigures, type ReviewLine } from './other-figures.js';
import { inQuarter, monthsOf, trendQuarters, type Quarter } from './quarter.js';
import { isAnswered, isOnTime, requestFigures, type RequestFigures } from './request-figures.js';
import type { ReportAuditHead, ReportInput, ReportPurge } from './rows.js';
import { share } from './stats.js';

/** One quarter of the trend: the headline figures, computed the same way as the quarter's own. */
export interface TrendPoint {
  readonly quarter: string;
  readonly received: number;
  readonly answered: number;
  readonly onTimeShare: number | null;
  readonly medianDaysToClose: number | null;
  readonly openAtEnd: number;
}

export interface MonthPoint {
  /** "2026-07" */
  readonly month: string;
  readonly received: number;
  readonly answered: number;
  readonly onTime: number;
  readonly onTimeShare: number | null;
}

/** The whole accountability report for one quarter: figures only, ready to render. */
export interface QuarterReport {
  readonly quarter: Quarter;
  readonly requests: RequestFigures;
  /** Calendar days from receipt to answer, one value per request answered in the quarter. */
  readonly daysToClose: readonly number[];
  readonly complaints: ComplaintFigures | null;
  readonly breaches: BreachFigures;
  readonly purges: readonly ReportPurge[];
  readonly reviews: readonly ReviewLine[];
  readonly audit: ReportAuditHead;
  readonly trend: readonly TrendPoint[];
  readonly months: readonly MonthPoint[];
}

export function quarterReport(input: ReportInput, quarter: Quarter, dayOf: (instant: Date) => IsoDate): QuarterReport {
  const requests = requestFigures(input.requests, quarter);
  const window = trendQuarters(quarter);
  return {
    quarter,
    requests,
    daysToClose: input.requests.filter((r) => isAnswered(r) && inQuarter(r.closedOn, quarter)).map((r) => daysBetween(r.received, r.closedOn!)),
    complaints: complaintFigures(input.complaints, quarter),
    breaches: breachFigures(input.breaches, quarter, dayOf),
    purges: purgesOf(input.purges, quarter),
    reviews: reviewLines(input.reviews, quarter),
    audit: input.audit,
    trend: window.map((q) => {
      const figures = q.key === quarter.key ? requests : requestFigures(input.requests, q);
      return { quarter: q.key, received: figures.received, answered: figures.answered, onTimeShare: figures.onTimeShare, medianDaysToClose: figures.daysToClose.fromReceipt.median, openAtEnd: figures.openAtEnd };
    }),
    months: monthsOf(window).map((month) => {
      const ours = input.requests.filter((r) => !r.processorRoute);
      const answered = ours.filter((r) => isAnswered(r) && r.closedOn!.startsWith(month));
      const onTime = answered.filter((r) => isOnTime(r as typeof r & { closedOn: IsoDate })).length;
      return { month, received: ours.filter((r) => r.received.startsWith(month)).length, answered: answered.length, onTime, onTimeShare: share(onTime, answered.length) };
    }),
  };
}

/** The earliest day the register holds anything the report counts, or null when it holds nothing. */
export function firstDataDay(input: ReportInput, dayOf: (instant: Date) => IsoDate): IsoDate | null {
  const days = [
    ...input.requests.map((r) => r.received),
    ...(input.complaints ?? []).map((c) => c.received),
    ...input.breaches.map((b) => dayOf(b.awareAt)),
    ...input.purges.map((p) => p.asOf),
  ].sort();
  return days[0] ?? null;
}

