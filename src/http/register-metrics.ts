import { dateInTimeZone } from '../domain/dates.js';
import type { Db } from '../register/database.js';
import { jobRunCounts, openRequestsByDaysLeft, outboxCounts } from '../register/metrics.js';
import type { MetricSample } from './metrics.js';

/** What the register says about the service's health, read at each scrape. */
export async function collectRegisterMetrics(db: Db, timeZone: string, now: () => Date): Promise<MetricSample[]> {
  const [jobs, outbox, open] = [await jobRunCounts(db), await outboxCounts(db), await openRequestsByDaysLeft(db, dateInTimeZone(now(), timeZone))];
  return [
    { name: 'govbot_register_up', help: 'Whether the register answered the scrape.', type: 'gauge', values: [{ labels: {}, value: 1 }] },
    { name: 'govbot_job_runs', help: 'Scheduled job runs recorded, by job and outcome.', type: 'gauge', values: jobs.map((r) => ({ labels: { job: r.job, status: r.status }, value: r.count })) },
    { name: 'govbot_outbox_pending', help: 'Chat messages waiting to be delivered.', type: 'gauge', values: [{ labels: {}, value: outbox.pending }] },
    { name: 'govbot_outbox_retrying', help: 'Pending chat messages that have failed at least once.', type: 'gauge', values: [{ labels: {}, value: outbox.failing }] },
    { name: 'govbot_outbox_oldest_pending_seconds', help: 'Age of the oldest undelivered chat message.', type: 'gauge', values: [{ labels: {}, value: outbox.oldestPendingSeconds }] },
    { name: 'govbot_open_requests', help: 'Open data subject requests by days left to their statutory due date.', type: 'gauge', values: ['overdue', 'today', '1-3', '4-7', 'later'].map((bucket) => ({ labels: { days_left: bucket }, value: open.find((o) => o.bucket === bucket)?.count ?? 0 })) },
  ];
}
