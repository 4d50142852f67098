import type { QuarterReport } from './figures.js';

/** A figure with its label: what the CLI prints, the chat card shows and the HTML report leads with. */
export interface Headline {
  readonly label: string;
  readonly value: string;
}

const pct = (value: number | null) => (value === null ? 'none answered' : `${value}%`);
const days = (value: number | null) => (value === null ? 'none' : `${value} days`);

export function headlineFigures(report: QuarterReport): Headline[] {
  const r = report.requests;
  const b = report.breaches;
  const purged = report.purges.map((p) => `${p.reference}: ${Object.values(p.deletedByReason).reduce((a, n) => a + n, 0)} deleted`);
  return [
    { label: 'Requests received', value: String(r.received) },
    { label: 'Answered on time', value: `${pct(r.onTimeShare)} (${r.onTime} of ${r.answered})` },
    { label: 'Days to answer', value: `median ${days(r.daysToClose.fromReceipt.median)}, 90th percentile ${days(r.daysToClose.fromReceipt.p90)}` },
    { label: 'Open at quarter end', value: `${r.openAtEnd} (${r.overdueAtEnd} overdue)` },
    { label: 'Extensions', value: `${r.extensions.count}${r.extensions.share === null ? '' : ` (${r.extensions.share}% of answers)`}` },
    { label: 'Refused / withdrawn', value: `${Object.values(r.refusalsByGround).reduce((a, n) => a + n, 0)} / ${r.withdrawn}` },
    { label: 'Complaints', value: report.complaints === null ? 'no complaints register yet' : `${report.complaints.received} received, ${report.complaints.acknowledgedInTime} acknowledged within 30 days` },
    { label: 'Breaches', value: `${b.count}: ${b.reportedWithin72h} of ${b.reported} reported within 72 hours, ${b.notReportable} not reportable` },
    { label: 'Purge', value: purged.length > 0 ? purged.join('; ') : 'none this quarter' },
    { label: 'Audit chain', value: report.audit.ok ? `verified, ${report.audit.count} events, head ${report.audit.headHash?.slice(0, 16) ?? 'none'}…` : `BROKEN at event ${report.audit.brokenAt}` },
  ];
}
