import { breachClockJob } from './breach-clock.js';
import { complaintRemindersJob } from './complaint-reminders.js';
import { deliverOutboxJob } from './deliver-outbox.js';
import { executeActionsJob } from './execute-actions.js';
import { expireExportsJob } from './expire-exports.js';
import type { JobDefinition } from './job.js';
import { noticeReviewRemindersJob } from './notice-review-reminders.js';
import { processorReviewRemindersJob } from './processor-review-reminders.js';
import { quarterlyReportJob } from './quarterly-report.js';
import { retentionSweepJob } from './retention-sweep.js';
import { slaRemindersJob } from './sla-reminders.js';

/**
 * Every scheduled job. Each has a thin Bree entry file `jobs/<name>.ts`; `govbot jobs list` and the
 * scheduler both read this list, and a test checks that the two agree.
 */
export const JOBS: readonly JobDefinition[] = [
  executeActionsJob,
  deliverOutboxJob,
  slaRemindersJob,
  noticeReviewRemindersJob,
  processorReviewRemindersJob,
  breachClockJob,
  retentionSweepJob,
  complaintRemindersJob,
  quarterlyReportJob,
  expireExportsJob,
];

export function findJob(name: string): JobDefinition | undefined {
  return JOBS.find((job) => job.name === name);
}
