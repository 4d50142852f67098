import fs from 'node:fs/promises';
import path from 'node:path';
import { formatInstant } from '../../domain/breach.js';
import { dateInTimeZone } from '../../domain/dates.js';
import { reportCharts } from '../../reports/charts.js';
import { quarterReport, type QuarterReport } from '../../reports/figures.js';
import { headlineFigures, type Headline } from '../../reports/headline.js';
import type { Quarter } from '../../reports/quarter.js';
import { chartSvg } from '../../reports/render-chart.js';
import { renderReportHtml } from '../../reports/report-html.js';
import { requestLogCsv } from '../../reports/request-log-csv.js';
import { loadReportInput, type ReportDeps } from './build-report.js';

export interface WrittenReport {
  readonly quarter: Quarter;
  readonly htmlPath: string;
  readonly csvPath: string;
  readonly headline: readonly Headline[];
  readonly report: QuarterReport;
}

/** Where `govbot report` writes when no --out is given: beside the exports, readable by govbot alone. */
export function defaultReportsDirectory(dataDir: string): string {
  return path.join(dataDir, 'reports');
}

/**
 * `govbot report`: the self-contained HTML report and the quarter's request log (CSV), each file
 * mode 0600 (written to a temporary name, then renamed, so a reader never sees half a file).
 */
export async function writeReportFiles(deps: ReportDeps, quarter: Quarter, now: Date, outDir: string | null): Promise<WrittenReport> {
  const input = await loadReportInput(deps, quarter, now);
  const report = quarterReport(input, quarter, (instant) => dateInTimeZone(instant, deps.config.timezone));
  const charts = await Promise.all(reportCharts(report).map(async (c) => ({ id: c.id, title: c.title, alt: c.alt, svg: await chartSvg(c) })));
  const directory = outDir ?? defaultReportsDirectory(deps.config.dataDir);
  await fs.mkdir(directory, { recursive: true, mode: 0o700 });
  const htmlPath = path.resolve(directory, `accountability-report-${quarter.key}.html`);
  const csvPath = path.resolve(directory, `requests-${quarter.key}.csv`);
  await writePrivate(htmlPath, renderReportHtml(report, charts, formatInstant(now, deps.config.timezone)));
  await writePrivate(csvPath, requestLogCsv(input.requests, quarter));
  return { quarter, htmlPath, csvPath, headline: headlineFigures(report), report };
}

async function writePrivate(target: string, text: string): Promise<void> {
  const draft = `${target}.${process.pid}.tmp`;
  await fs.writeFile(draft, text, { mode: 0o600 });
  await fs.chmod(draft, 0o600);
  await fs.rename(draft, target);
}
