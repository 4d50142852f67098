import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Bree from 'bree';
import { cronOf } from '../domain/schedules.js';
import type { Logger } from '../logger.js';
import { JOBS } from './catalogue.js';
import type { WorkerData } from './worker.js';
import { errorSummary } from '../errors.js';

export interface Scheduler {
  /** Runs a job now unless it is already running (e.g. execute-actions right after an approval). */
  kick(name: string): void;
  stop(): Promise<void>;
}

/**
 * Bree is only the timer: it starts a worker thread running dist/jobs/<name>.js on each tick. Which
 * slot runs, and whether it already ran on another replica, is decided in the worker (run-job.ts).
 * Slot jobs are also fired once at start-up so a slot missed during downtime is caught up.
 */
export async function startScheduler(options: { timezone: string; logger: Logger; workerData: WorkerData; jobsDirectory?: string }): Promise<Scheduler> {
  if (JOBS.length === 0) return { kick: () => undefined, stop: async () => undefined };
  const directory = options.jobsDirectory ?? compiledJobsDirectory();
  const log = options.logger.child({ component: 'scheduler' });
  // Declared before Bree so its message handler can start jobs; Bree is assigned just below.
  let bree: Bree | null = null;
  const run = (name: string) => {
    bree?.run(name).catch((error: unknown) => log.error({ err: errorSummary(error), job: name }, `could not start job ${name}`));
  };
  bree = new Bree({
    root: false,
    doRootCheck: false,
    timezone: options.timezone,
    worker: { workerData: options.workerData },
    // Bree logs every worker start at info; that is noise at our level.
    logger: { info: () => undefined, warn: (...args: unknown[]) => log.debug({ detail: String(args[0]) }, 'scheduler notice'), error: (...args: unknown[]) => log.error({ detail: String(args[0]) }, 'scheduler error') },
    errorHandler: (error, data) => log.error({ err: errorSummary(error), job: data.name }, `job ${data.name} crashed`),
    workerMessageHandler: ({ name, message }) => {
      const kick = message as { type?: string; job?: string } | null;
      if (kick?.type === 'kick' && typeof kick.job === 'string' && JOBS.some((j) => j.name === kick.job)) run(kick.job);
      else log.debug({ job: name, message }, `job ${name} finished`);
    },
    jobs: JOBS.map((job) => {
      const cron = cronOf(job.schedule);
      return {
        name: job.name,
        path: path.join(directory, `${job.name}.js`),
        timeout: false as const,
        ...(cron ? { cron } : { interval: job.schedule.kind === 'every' ? job.schedule.seconds * 1000 : 60_000 }),
      };
    }),
  });
  await bree.start();
  const kick = run;
  for (const job of JOBS) if (job.schedule.kind !== 'every') kick(job.name);
  return { kick, stop: () => bree.stop() };
}

function compiledJobsDirectory(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // Compiled: dist/src/jobs → dist/jobs. From TypeScript sources (tests): src/jobs → dist/jobs.
  const candidates = [path.resolve(here, '../../jobs'), path.resolve(here, '../../dist/jobs')];
  const found = candidates.find((dir) => here.includes(`${path.sep}dist${path.sep}`) ? dir === candidates[0] : dir === candidates[1]);
  if (!found || !fs.existsSync(found)) throw new Error(`compiled jobs not found in ${found ?? candidates[1]}: run npm run build`);
  return found;
}
