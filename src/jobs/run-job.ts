import { latestSlot } from '../domain/schedules.js';
import { claimJobRun, finishJobRun } from '../register/job-runs.js';
import type { JobContext, JobDefinition, JobSummary } from './job.js';
import { errorSummary, isDatabaseUnavailable } from '../errors.js';

export type JobOutcome =
  | { status: 'done'; period: string | null; summary: JobSummary }
  | { status: 'skipped'; period: string | null; reason: string }
  | { status: 'failed'; period: string | null; error: string };

/** A crashed run's claim can be taken over after this long. */
const LEASE_MS = 30 * 60_000;

/**
 * A scheduled firing. Jobs with slots (daily, hourly, quarterly) first claim their slot, so each
 * slot runs once across replicas and restarts; interval jobs claim their work items instead.
 */
export async function runScheduledJob(job: JobDefinition, context: JobContext, now: Date): Promise<JobOutcome> {
  const slot = latestSlot(job.schedule, now, context.config.timezone, context.config.bankHolidayRegion);
  if (!slot) return execute(job, context, now, null, null);
  if (now.getTime() - slot.at.getTime() > job.catchUpMs) {
    return { status: 'skipped', period: slot.key, reason: `slot ${slot.key} is past its catch-up window` };
  }
  const claim = await claimJobRun(context.db, job.name, slot.key, now, LEASE_MS);
  if (claim === null) return { status: 'skipped', period: slot.key, reason: `slot ${slot.key} already ran` };
  return execute(job, context, now, slot.key, claim);
}

/** `govbot jobs run <name>` and chat commands such as `/gov purge run`: runs now, recorded. */
export async function runJobNow(job: JobDefinition, context: JobContext, now: Date): Promise<JobOutcome> {
  const period = `manual ${now.toISOString()}`;
  const claim = await claimJobRun(context.db, job.name, period, now, LEASE_MS);
  if (claim === null) return { status: 'skipped', period, reason: 'already running' };
  return execute(job, context, now, period, claim);
}

async function execute(job: JobDefinition, context: JobContext, now: Date, period: string | null, claim: number | null): Promise<JobOutcome> {
  try {
    const summary = await job.run(context, now);
    if (claim !== null) await finishJobRun(context.db, claim, { ok: true, details: summary }, new Date());
    return { status: 'done', period, summary };
  } catch (error) {
    // A lost database is not the job's failure: the caller waits for it to come back and runs the
    // job again (the claim, if it was taken, is taken over after its lease or retried as failed).
    if (isDatabaseUnavailable(error)) throw error;
    const message = (error as Error)?.message ?? String(error);
    context.logger.error({ err: errorSummary(error), job: job.name, period }, `job ${job.name} failed`);
    if (claim !== null) await finishJobRun(context.db, claim, { ok: false, error: message }, new Date()).catch(() => undefined);
    return { status: 'failed', period, error: message };
  }
}
