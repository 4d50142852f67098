import { randomBytes } from 'node:crypto';
import { renderReportCard } from '../../chat/cards/report-card.js';
import type { CardImage } from '../../chat/card.js';
import { dateInTimeZone } from '../../domain/dates.js';
import { appendAuditEvent } from '../../register/audit-events.js';
import type { Platform } from '../../register/committee.js';
import { enqueueMessage } from '../../register/outbox.js';
import { insertReportImage } from '../../register/report-images.js';
import { requestsByMonthChart } from '../../reports/charts.js';
import { quarterReport } from '../../reports/figures.js';
import { headlineFigures, type Headline } from '../../reports/headline.js';
import type { Quarter } from '../../reports/quarter.js';
import { chartPng } from '../../reports/render-chart.js';
import { loadReportInput, type ReportDeps } from './build-report.js';

/** How long a chart stays at its address: Teams shows it from there when someone scrolls back. */
export const CHART_DAYS = 90;

export interface PostedReport {
  readonly quarter: Quarter;
  readonly platform: Platform;
  readonly headline: readonly Headline[];
  readonly chartUrl: string | null;
}

/**
 * Queues the quarter's summary card, with its main chart, for the committee channel: the figures
 * as facts, the chart kept under a random token (Teams fetches it from PUBLIC_URL; Slack gets the
 * file uploaded with the card), an audit event naming the quarter and the audit head the figures
 * were made against: all in one transaction, so a crash posts the report once or not at all.
 */
export async function postQuarterReport(deps: ReportDeps, quarter: Quarter, now: Date, options: { platform: Platform; by: string }): Promise<PostedReport> {
  const { db, config } = deps;
  const input = await loadReportInput(deps, quarter, now);
  const report = quarterReport(input, quarter, (instant) => dateInTimeZone(instant, config.timezone));
  const chart = requestsByMonthChart(report);
  const png = await chartPng(chart);
  const token = randomBytes(16).toString('hex');
  const url = config.publicUrl ? `${config.publicUrl}/reports/charts/${token}.png` : null;
  const image: CardImage = { title: chart.title, altText: chart.alt, url };
  const headline = headlineFigures(report);
  const notes = [`The full report (every figure, all four charts, definitions) and the request log: govbot report --quarter ${quarter.key}.`];
  if (options.platform === 'teams' && url === null) notes.push('Chart not shown: Teams fetches card images from an https address, so set PUBLIC_URL to govbot\'s public address and the next report will show it.');
  const card = renderReportCard({ quarter: quarter.key, start: quarter.start, end: quarter.end, headline, image, notes, postedAt: now.toISOString() });
  await db.transaction(async (trx) => {
    await insertReportImage(trx, { token, quarter: quarter.key, png, createdAt: now, expiresAt: new Date(now.getTime() + CHART_DAYS * 86_400_000) });
    await enqueueMessage(trx, {
      platform: options.platform, operation: 'post', channel: null, card_key: null,
      payload: { card, image: { token, filename: `accountability-${quarter.key}.png`, title: chart.title } },
    });
    await appendAuditEvent(trx, {
      actor: options.by, action: 'report.posted', subject: `REPORT-${quarter.key}`, occurredAt: now,
      facts: {
        quarter: quarter.key, platform: options.platform, received_count: report.requests.received, answered_count: report.requests.answered,
        on_time_count: report.requests.onTime, audit_count: report.audit.count, audit_head_hash: report.audit.headHash,
      },
    });
  });
  return { quarter, platform: options.platform, headline, chartUrl: url };
}
