import { DEFINITIONS } from './definitions.js';
import type { QuarterReport } from './figures.js';
import { headlineFigures } from './headline.js';
import { esc, pairs, scrubbed, STYLE, table } from './html-parts.js';
import type { ReportPurge } from './rows.js';

export interface RenderedChart {
  readonly id: string;
  readonly title: string;
  readonly alt: string;
  readonly svg: string;
}

/**
 * The full report as one self-contained HTML file: styles inline, charts inline as SVG, no script,
 * nothing fetched, so it opens the same offline, by email or printed. References, dates and
 * counts only. `generatedAt` is shown in the committee's words ("2026-10-01 09:30 BST").
 */
export function renderReportHtml(report: QuarterReport, charts: readonly RenderedChart[], generatedAt: string): string {
  const q = report.quarter;
  const r = report.requests;
  const title = `Accountability report ${q.key}`;
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${esc(title)}</h1>
<p class="meta">Data subject requests, complaints, breaches, deletion and reviews from ${esc(q.start)} to ${esc(q.end)}, with the four quarters before it for trends. Made ${esc(generatedAt)}. Counts, references and dates only: no personal data.</p>
<section aria-labelledby="headline"><h2 id="headline">Headline figures</h2>
<dl class="headline">${headlineFigures(report).map((h) => `<dt>${esc(h.label)}</dt><dd>${esc(h.value)}</dd>`).join('')}</dl></section>
<section aria-labelledby="charts"><h2 id="charts">Charts</h2><div class="charts">
${charts.map((c) => `<figure id="chart-${esc(c.id)}" role="img" aria-label="${esc(c.alt)}">${c.svg}<figcaption>${esc(c.alt)}</figcaption></figure>`).join('\n')}
</div></section>
<section aria-labelledby="requests"><h2 id="requests">Data subject requests</h2>
<h3>Received, by type and by channel</h3>
${table(['Type', 'Received'], pairs(r.receivedByType), 'No requests received.')}
${table(['Channel', 'Received'], pairs(r.receivedByChannel), 'No requests received.')}
<h3>Timeliness</h3>
${table(['Measure', 'Count'], [
  ['Closed in the quarter', r.closed], ['Answered (closed, not withdrawn)', r.answered], ['Answered on time', `${r.onTime}${r.onTimeShare === null ? '' : ` (${r.onTimeShare}%)`}`],
  ['Without extension: on time against the statutory date', `${r.unextended.onTime} of ${r.unextended.answered}`],
  ['Extended: on time against the extended date', `${r.extended.onTime} of ${r.extended.answered}`],
])}
<h3>Answered late</h3>
${table(['Reference', 'Due', 'Answered', 'Days late', 'Delay reasons recorded'], r.late.map((l) => [l.reference, l.due, l.closedOn, l.daysLate, l.delayReasons.join('; ')]), 'None answered late.')}
<h3>Days to answer</h3>
${table(['Measure', 'Median', '90th percentile'], [
  ['Calendar days from receipt', r.daysToClose.fromReceipt.median, r.daysToClose.fromReceipt.p90],
  ['Calendar days from the relevant day', r.daysToClose.fromRelevantDay.median, r.daysToClose.fromRelevantDay.p90],
])}
<p>Clock stopped for clarification: ${esc(r.daysToClose.stoppedDays)} days in all, on ${esc(r.daysToClose.withStops)} of the answered requests.</p>
<h3>Extensions, waits and stops</h3>
${table(['Measure', 'Value'], [
  ['Extended', `${r.extensions.count}${r.extensions.share === null ? '' : ` (${r.extensions.share}% of answered)`}`],
  ['Extension told to the individual within the first period', `${r.extensions.toldInTime} (late: ${r.extensions.toldLate}; not recorded: ${r.extensions.toldNotRecorded})`],
  ['Waits for identity, authority or fee begun', `${r.awaiting.started}${pairs(r.awaiting.byKind).map(([k, n]) => `; ${k} ${n}`).join('')}`],
  ['Median wait (days)', r.awaiting.medianWaitDays ?? '–'], ['Still waiting at quarter end', r.awaiting.stillWaiting],
  ['Clarification stops begun', `${r.clarificationStops.started} (${r.clarificationStops.days} days)`],
])}
<h3>Refusals, withdrawals and identity</h3>
${table(['Outcome', 'Count'], [...pairs(r.refusalsByGround).map(([g, n]) => [`Refused as manifestly ${g}`, n] as [string, number]), ['Withdrawn', r.withdrawn], ['Identity not verified', r.identityRejected]])}
<h3>Processor route</h3>
${table(['Measure', 'Value'], [['Received', r.processorRoute.received], ['Forwarded to the controller', r.processorRoute.forwarded],
  ['Days from receipt to forwarding', r.processorRoute.medianDaysToForward === null ? '–' : `median ${r.processorRoute.medianDaysToForward}, longest ${r.processorRoute.maxDaysToForward}`],
  ['Awaiting forwarding at quarter end', r.processorRoute.awaitingAtEnd]])}
<h3>Open at ${esc(q.end)}</h3>
${table(['Days since receipt', 'Open'], r.openByAge.map((b) => [b.band, b.count]))}
<p>${esc(r.openAtEnd)} open, ${esc(r.overdueAtEnd)} overdue.</p>
<h3>Trend: this quarter and the four before</h3>
${table(['Quarter', 'Received', 'Answered', 'On time', 'Median days', 'Open at end'], report.trend.map((t) => [t.quarter, t.received, t.answered, t.onTimeShare === null ? '–' : `${t.onTimeShare}%`, t.medianDaysToClose ?? '–', t.openAtEnd]))}
</section>
<section aria-labelledby="complaints"><h2 id="complaints">Complaints</h2>
${report.complaints === null ? '<p class="empty">No complaints register yet: govbot does not yet keep complaints, so none are counted here.</p>'
    : table(['Measure', 'Count'], [['Received', report.complaints.received], ['Acknowledged', report.complaints.acknowledged], ['Acknowledged within 30 days', report.complaints.acknowledgedInTime], ['Outcomes given', report.complaints.outcomesGiven], ['Open at quarter end', report.complaints.openAtEnd]])}
</section>
<section aria-labelledby="breaches"><h2 id="breaches">Breaches</h2>
${table(['Measure', 'Count'], [['Became aware in the quarter', report.breaches.count], ['Reported to the regulator', report.breaches.reported], ['Reported within 72 hours', report.breaches.reportedWithin72h], ['Reported late', report.breaches.late], ['Not reportable', report.breaches.notReportable], ['Customers (controllers) to tell / told', `${report.breaches.controllersToTell} / ${report.breaches.controllersTold}`]])}
${table(['Reference', 'Aware', 'Hours to report', 'Status', 'Reason recorded'], report.breaches.lines.map((l) => [l.reference, l.awareOn, l.hoursToReport ?? '–', l.status, scrubbed(l.reason)]), 'No breaches this quarter.')}
</section>
<section aria-labelledby="purge"><h2 id="purge">Quarterly deletion</h2>
${report.purges.length === 0 ? '<p class="empty">No deletion review was swept this quarter.</p>' : report.purges.map(purgeSection).join('\n')}
</section>
<section aria-labelledby="reviews"><h2 id="reviews">Privacy notice and Article 30 reviews</h2>
${table(['Subject', 'Reviewed in the quarter', 'Next due (at quarter end)', 'State'], report.reviews.map((v) => [v.subject, v.doneInQuarter.join(', ') || '–', v.nextDue, v.state]), 'Nothing registered for review.')}
</section>
<section aria-labelledby="audit"><h2 id="audit">Audit chain</h2>
${report.audit.ok ? `<p>Verified when this report was made: <strong>${esc(report.audit.count)}</strong> events, intact from the first. Head hash: <code class="hash">${esc(report.audit.headHash ?? 'none (no events)')}</code></p>`
    : `<p class="warning">The audit chain is broken at event ${esc(report.audit.brokenAt)}: ${esc(report.audit.count)} events verified before it. Tell the chairs and restore from a backup.</p>`}
</section>
<section aria-labelledby="definitions"><h2 id="definitions">Definitions</h2>
<dl class="definitions">${DEFINITIONS.map(([term, meaning]) => `<dt>${esc(term)}</dt><dd>${esc(meaning)}</dd>`).join('')}</dl>
</section>
</main></body></html>
`;
}

function purgeSection(p: ReportPurge): string {
  const reasons = [...new Set([...Object.keys(p.candidatesByReason), ...Object.keys(p.deletedByReason)])].sort();
  return `<h3>${esc(p.reference)} (as of ${esc(p.asOf)}, ${esc(p.status)}${p.finishedOn ? `, finished ${esc(p.finishedOn)}` : ''})</h3>
${table(['Rule', 'Candidates', 'Deleted'], reasons.map((k) => [k, p.candidatesByReason[k] ?? 0, p.deletedByReason[k] ?? 0]))}
${table(['Kept back by the committee', 'Contacts'], pairs(p.keptBackByReason), 'None kept back.')}
${table(['Skipped when carried out', 'Contacts'], pairs(p.skippedByReason), 'None skipped.')}
<p>Candidate list SHA-256: <code class="hash">${esc(p.candidateFileSha256 ?? 'not recorded')}</code></p>
${table(['Audit event', 'Action', 'Day', 'Hash'], p.auditEvents.map((e) => [e.id, e.action, e.on, e.hash]), 'No audit events found for it.')}`;
}
