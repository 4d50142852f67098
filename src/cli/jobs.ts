import { describeSchedule, nextSlot } from '../domain/schedules.js';
import { JOBS, findJob } from '../jobs/catalogue.js';
import { runJobNow } from '../jobs/run-job.js';
import { createLogger } from '../logger.js';
import { latestJobRuns } from '../register/job-runs.js';
import { resolveSuppressionPepper } from '../services/suppression-pepper.js';
import { USAGE_ERROR, type CliIo } from './io.js';
import { withDatabase } from './with-database.js';

/** `govbot jobs list` / `govbot jobs run <name>`: the scheduler's jobs, through the same code. */
export async function jobsCommand(args: string[], io: CliIo): Promise<number> {
  const [verb, name, ...rest] = args;
  const now = io.now?.() ?? new Date();
  if (verb === 'list' && name === undefined) {
    if (JOBS.length === 0) {
      io.out('no scheduled jobs are defined in this version');
      return 0;
    }
    return withDatabase(io, async (db, config) => {
      const last = await latestJobRuns(db);
      for (const job of JOBS) {
        const next = nextSlot(job.schedule, now, config.timezone, config.bankHolidayRegion);
        const run = last.get(job.name);
        io.out([
          job.name.padEnd(28),
          describeSchedule(job.schedule, config.timezone).padEnd(36),
          `next: ${next ? next.at.toISOString() : 'continuous'}`.padEnd(32),
          `last: ${run ? `${run.status} ${run.started_at.toISOString()}` : 'never'}`,
        ].join(' '));
      }
      return 0;
    });
  }
  if (verb === 'run' && name !== undefined && rest.length === 0) {
    const job = findJob(name);
    if (!job) {
      io.err(`govbot jobs run: unknown job "${name}"; the jobs are: ${JOBS.map((j) => j.name).join(', ') || 'none yet'}`);
      return USAGE_ERROR;
    }
    return withDatabase(io, async (db, config) => {
      const logger = createLogger({ logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel });
      const pepper = await resolveSuppressionPepper({ configured: config.suppressionPepper, dataDir: config.dataDir, production: config.nodeEnv === 'production' });
      const outcome = await runJobNow(job, { db, config, logger, pepper }, now);
      if (outcome.status === 'done') io.out(`${name}: done ${JSON.stringify(outcome.summary)}`);
      else if (outcome.status === 'skipped') io.out(`${name}: skipped (${outcome.reason})`);
      else io.err(`${name}: failed: ${outcome.error}`);
      return outcome.status === 'failed' ? 1 : 0;
    });
  }
  io.err('usage: govbot jobs list | govbot jobs run <name>');
  return USAGE_ERROR;
}
