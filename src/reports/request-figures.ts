import { daysBetween, type IsoDate } from '../domain/dates.js';
import { inQuarter, type Quarter } from './quarter.js';
import type { ReportRequest } from './rows.js';
import { countBy, median, percentile, share, sum } from './stats.js';

/** Age bands of the open backlog at the quarter's end, in calendar days since receipt. */
export const AGE_BANDS = [
  { label: '0–30 days', max: 30 },
  { label: '31–60 days', max: 60 },
  { label: '61–90 days', max: 90 },
  { label: 'over 90 days', max: Number.POSITIVE_INFINITY },
] as const;

export interface LateRequest {
  readonly reference: string;
  readonly due: IsoDate;
  readonly closedOn: IsoDate;
  readonly daysLate: number;
  readonly delayReasons: readonly string[];
}

export interface RequestFigures {
  readonly received: number;
  readonly receivedByType: Record<string, number>;
  readonly receivedByChannel: Record<string, number>;
  readonly closed: number;
  readonly answered: number;
  readonly onTime: number;
  readonly onTimeShare: number | null;
  /** Answered without an extension, and on time against the statutory date. */
  readonly unextended: { readonly answered: number; readonly onTime: number };
  /** Answered after an extension, and on time against the extended date. */
  readonly extended: { readonly answered: number; readonly onTime: number };
  readonly late: readonly LateRequest[];
  readonly daysToClose: {
    readonly fromReceipt: { readonly median: number | null; readonly p90: number | null };
    readonly fromRelevantDay: { readonly median: number | null; readonly p90: number | null };
    readonly stoppedDays: number;
    readonly withStops: number;
  };
  readonly extensions: { readonly count: number; readonly share: number | null; readonly toldInTime: number; readonly toldLate: number; readonly toldNotRecorded: number };
  readonly awaiting: { readonly started: number; readonly byKind: Record<string, number>; readonly medianWaitDays: number | null; readonly stillWaiting: number };
  readonly clarificationStops: { readonly started: number; readonly days: number };
  readonly refusalsByGround: Record<string, number>;
  readonly withdrawn: number;
  readonly identityRejected: number;
  readonly processorRoute: { readonly received: number; readonly forwarded: number; readonly medianDaysToForward: number | null; readonly maxDaysToForward: number | null; readonly awaitingAtEnd: number };
  readonly openAtEnd: number;
  readonly overdueAtEnd: number;
  readonly openByAge: readonly { readonly band: string; readonly count: number }[];
}

/** The date a request had to be answered by: the extended date where it was extended. */
export function answerBy(request: ReportRequest): IsoDate {
  return request.extendedDue ?? request.due;
}

/** Closed with an answer to give (not withdrawn), on our own clock (not the processor route). */
export function isAnswered(request: ReportRequest): request is ReportRequest & { closedOn: IsoDate } {
  return request.closedOn !== null && request.outcome !== 'withdrawn' && !request.processorRoute;
}

export function isOnTime(request: ReportRequest & { closedOn: IsoDate }): boolean {
  return request.closedOn <= answerBy(request);
}

export function openAt(request: ReportRequest, day: IsoDate): boolean {
  return request.received <= day && (request.closedOn === null || request.closedOn > day);
}

export function requestFigures(requests: readonly ReportRequest[], quarter: Quarter): RequestFigures {
  const ours = requests.filter((r) => !r.processorRoute);
  const received = ours.filter((r) => inQuarter(r.received, quarter));
  const closed = ours.filter((r) => inQuarter(r.closedOn, quarter));
  const answered = closed.filter(isAnswered);
  const onTime = answered.filter(isOnTime);
  const extended = answered.filter((r) => r.extendedDue !== null);
  const late = answered.filter((r) => !isOnTime(r)).map((r) => ({
    reference: r.reference, due: answerBy(r), closedOn: r.closedOn, daysLate: daysBetween(answerBy(r), r.closedOn), delayReasons: r.delayReasons,
  })).sort((a, b) => a.reference.localeCompare(b.reference));
  const fromReceipt = answered.map((r) => daysBetween(r.received, r.closedOn));
  const fromRelevant = answered.map((r) => daysBetween(r.relevantDay, r.closedOn));
  const waits = requests.flatMap((r) => r.awaiting).filter((w) => inQuarter(w.from, quarter));
  const stops = ours.flatMap((r) => r.stops).filter((s) => inQuarter(s.from, quarter));
  const processor = requests.filter((r) => r.processorRoute);
  const forwarded = processor.filter((r) => inQuarter(r.forwardedOn, quarter));
  const forwardDays = forwarded.map((r) => daysBetween(r.received, r.forwardedOn!));
  const open = ours.filter((r) => openAt(r, quarter.end));
  const ages = open.map((r) => daysBetween(r.received, quarter.end));
  return {
    received: received.length,
    receivedByType: countBy(received, (r) => r.type),
    receivedByChannel: countBy(received, (r) => r.channel),
    closed: closed.length,
    answered: answered.length,
    onTime: onTime.length,
    onTimeShare: share(onTime.length, answered.length),
    unextended: { answered: answered.length - extended.length, onTime: onTime.filter((r) => r.extendedDue === null).length },
    extended: { answered: extended.length, onTime: extended.filter(isOnTime).length },
    late,
    daysToClose: {
      fromReceipt: { median: median(fromReceipt), p90: percentile(fromReceipt, 90) },
      fromRelevantDay: { median: median(fromRelevant), p90: percentile(fromRelevant, 90) },
      stoppedDays: sum(answered.map((r) => r.stoppedDays)),
      withStops: answered.filter((r) => r.stoppedDays > 0).length,
    },
    extensions: {
      count: extended.length,
      share: share(extended.length, answered.length),
      toldInTime: extended.filter((r) => r.extensionToldOn !== null && r.extensionToldOn <= r.firstPeriodEnd).length,
      toldLate: extended.filter((r) => r.extensionToldOn !== null && r.extensionToldOn > r.firstPeriodEnd).length,
      toldNotRecorded: extended.filter((r) => r.extensionToldOn === null).length,
    },
    awaiting: {
      started: waits.length,
      byKind: countBy(waits, (w) => w.kind),
      medianWaitDays: median(waits.map((w) => daysBetween(w.from, w.to !== null && w.to <= quarter.end ? w.to : quarter.end))),
      stillWaiting: waits.filter((w) => w.to === null || w.to > quarter.end).length,
    },
    clarificationStops: {
      started: stops.length,
      days: sum(stops.map((s) => daysBetween(s.from, s.to !== null && s.to <= quarter.end ? s.to : quarter.end) + 1)),
    },
    refusalsByGround: countBy(closed.filter((r) => r.outcome === 'refused'), (r) => r.refusalGround ?? 'not recorded'),
    withdrawn: closed.filter((r) => r.outcome === 'withdrawn').length,
    identityRejected: closed.filter((r) => r.outcome === 'identity-rejected').length,
    processorRoute: {
      received: processor.filter((r) => inQuarter(r.received, quarter)).length,
      forwarded: forwarded.length,
      medianDaysToForward: median(forwardDays),
      maxDaysToForward: forwardDays.length === 0 ? null : Math.max(...forwardDays),
      awaitingAtEnd: processor.filter((r) => r.received <= quarter.end && (r.forwardedOn === null || r.forwardedOn > quarter.end) && (r.closedOn === null || r.closedOn > quarter.end)).length,
    },
    openAtEnd: open.length,
    overdueAtEnd: open.filter((r) => answerBy(r) < quarter.end).length,
    openByAge: AGE_BANDS.map((band, i) => ({
      band: band.label,
      count: ages.filter((age) => age <= band.max && (i === 0 || age > AGE_BANDS[i - 1]!.max)).length,
    })),
  };
}
