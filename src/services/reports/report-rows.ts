import { statutoryDueDate } from '../../domain/deadlines.js';
import type { Region } from '../../domain/holidays.js';
import type { Channel, RequestType } from '../../domain/request-types.js';
import type { ReportPauseData, ReportRequestData } from '../../register/report-data.js';
import type { AwaitingKind, RefusalGround, ReportRequest, RequestOutcome } from '../../reports/rows.js';

/**
 * A register request as a report row, through the request clock. This is the one place that knows
 * how the clock is kept: today every pause adds its days to the due date and the period runs from
 * receipt; a clock that restarts on the arrival of identity or a fee changes only this function.
 */
export function toReportRequest(row: ReportRequestData, pauses: readonly ReportPauseData[], region: Region): ReportRequest {
  // The register keeps the days of finished pauses beside the due date they moved.
  const firstPeriod = row.extended ? statutoryDueDate({ receivedOn: row.received_on, region, pausedDays: row.paused_days, extended: false }) : row.due_on;
  return {
    reference: row.reference,
    type: row.type as RequestType,
    channel: row.received_via as Channel,
    received: row.received_on,
    relevantDay: row.received_on,
    due: firstPeriod,
    extendedDue: row.extended ? row.due_on : null,
    firstPeriodEnd: firstPeriod,
    extensionDecidedOn: row.extension_decided_on,
    // Telling the individual of an extension is not recorded by this register yet.
    extensionToldOn: null,
    stoppedDays: row.paused_days,
    closedOn: row.closed_on,
    outcome: OUTCOMES[row.status] ?? null,
    refusalGround: row.refusal_grounds === 'unfounded' || row.refusal_grounds === 'excessive' ? row.refusal_grounds as RefusalGround : null,
    processorRoute: row.processor_route,
    forwardedOn: row.forwarded_on,
    awaiting: pauses.filter((p) => p.kind !== 'clarification').map((p) => ({ kind: p.kind as AwaitingKind, from: p.paused_on, to: p.resumed_on })),
    stops: pauses.filter((p) => p.kind === 'clarification').map((p) => ({ from: p.paused_on, to: p.resumed_on })),
    delayReasons: delayReasons(row),
  };
}

const OUTCOMES: Record<string, RequestOutcome> = {
  completed: 'completed', refused: 'refused', withdrawn: 'withdrawn', 'identity-rejected': 'identity-rejected',
};

/**
 * Why a request may have run late, from what the register knows, in fixed words: free-text notes
 * can name people, so they never reach the report.
 */
export function delayReasons(row: Pick<ReportRequestData, 'failed_attempts' | 'actions_rejected'>): string[] {
  const reasons: string[] = [];
  if (row.failed_attempts > 0) reasons.push(`register change retried (${row.failed_attempts} failed attempt${row.failed_attempts === 1 ? '' : 's'})`);
  if (row.actions_rejected > 0) reasons.push('proposed action rejected by the committee, then decided again');
  return reasons.length > 0 ? reasons : ['no reason recorded'];
}

/** Pauses grouped by request id, in the order read. */
export function pausesByRequest(pauses: readonly ReportPauseData[]): Map<number, ReportPauseData[]> {
  const byRequest = new Map<number, ReportPauseData[]>();
  for (const pause of pauses) {
    const list = byRequest.get(pause.request_id);
    if (list) list.push(pause);
    else byRequest.set(pause.request_id, [pause]);
  }
  return byRequest;
}

