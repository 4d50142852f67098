import type { IsoDate } from '../../domain/dates.js';
import { requestClock } from '../../domain/request-clock.js';
import type { Region } from '../../domain/holidays.js';
import type { Channel, RequestType } from '../../domain/request-types.js';
import type { ReportPauseData, ReportRequestData } from '../../register/report-data.js';
import type { AwaitingKind, RefusalGround, ReportRequest, RequestOutcome } from '../../reports/rows.js';

/**
 * A register request as a report row, through the request clock (src/domain/request-clock.ts, the
 * Art 12A model): the relevant day, the first period, the extended date (only where the extension
 * is valid, i.e. told in time or still could be), clarification days stopped. `today` is the day the
 * report is made, so an extension whose notice is still owed counts as it would stand then.
 */
export function toReportRequest(row: ReportRequestData, pauses: readonly ReportPauseData[], env: { region: Region; forwardWithinDays: number; today: IsoDate }): ReportRequest {
  const clock = requestClock({
    receivedOn: row.received_on,
    type: row.type as RequestType,
    region: env.region,
    waits: pauses.map((p) => ({ kind: p.kind, from: p.paused_on, to: p.resumed_on })),
    extension: row.extended ? { toldOn: row.extension_told_on } : null,
    processor: row.processor_route ? { forwardWithinDays: env.forwardWithinDays, forwardedOn: row.forwarded_on } : null,
    closedOn: row.closed_on,
    today: env.today,
  });
  const due = clock.unextendedDue ?? row.due_on ?? row.received_on;
  return {
    reference: row.reference,
    type: row.type as RequestType,
    channel: row.received_via as Channel,
    received: row.received_on,
    relevantDay: clock.relevantDay ?? row.received_on,
    due,
    extendedDue: row.extended && clock.extension !== 'not-valid' ? clock.extendedDue : null,
    firstPeriodEnd: clock.firstPeriodEnd ?? due,
    extensionDecidedOn: row.extension_decided_on,
    extensionToldOn: row.extension_told_on,
    stoppedDays: clock.stoppedDays,
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

