import { dateInTimeZone } from '../domain/dates.js';
import { lastCompleteQuarter } from '../reports/quarter.js';
import { platformForNewCard } from '../services/committee-channel.js';
import { resolveQuarter } from '../services/reports/build-report.js';
import { postQuarterReport } from '../services/reports/post-report.js';
import type { JobContext, JobDefinition, JobSummary } from './job.js';

/**
 * The quarter just ended, posted to the committee channel with its chart on the first working day
 * of the next, after the retention sweep. The slot (`2026-Q4` for the run in October) is claimed
 * once across replicas, so the card goes once; a register with nothing to report posts nothing.
 */
export async function postLastQuarterReport(context: JobContext, now: Date): Promise<JobSummary> {
  const quarter = await resolveQuarter(context, lastCompleteQuarter(dateInTimeZone(now, context.config.timezone)).key, now);
  if (!quarter.ok) return { posted: false, reason: quarter.error };
  const platform = await platformForNewCard(context.db, context.config, 'slack');
  const posted = await postQuarterReport(context, quarter.value, now, { platform, by: 'govbot' });
  return { posted: true, quarter: posted.quarter.key, platform, headline: Object.fromEntries(posted.headline.map((h) => [h.label, h.value])) };
}

export const quarterlyReportJob: JobDefinition = {
  name: 'quarterly-report',
  schedule: { kind: 'quarterly', hour: 9, minute: 30, workingDay: true },
  description: 'posts the accountability report for the quarter just ended, with its chart, to the committee channel',
  // Missed while the service was down: still worth posting within the first fortnight.
  catchUpMs: 14 * 24 * 3_600_000,
  run: postLastQuarterReport,
};
