import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Bree from 'bree';
import { cronOf } from '../domain/schedules.js';
import type { Logger } from '../logger.js';
import { JOBS } from './catalogue.js';
import type { JobContext } from './job.js';
import { startJobLoops } from './job-loops.js';
import type { WorkerData } from './worker.js';
import { errorSummary } from '../errors.js';

export interface Scheduler {
  /** Runs a job now unless it is already running (e.g. execute-actions right after an approval). */
  kick(name: string): void;
  /** What the interval loops found (they may run in another thread): the database gone or back. */
  databaseSeen(loop: string, available: boolean): void;
  stop(): Promise<void>;
}

/**
 * Two kinds of job. Interval jobs (deliver-outbox, execute-actions) run in long-lived loops
 * (job-loops.ts): here, or, given `runElsewhere`, in the service's background thread, which then
 * also runs every slot job that is kicked (the catch-up at start, a run asked for by a command):
 * one at a time, in a thread that has everything loaded, rather than a fresh worker each.
 *
 * Slot jobs (daily, hourly, quarterly) are timed by Bree, which runs each firing in a worker thread
 * of its own: they are rare, and which slot runs, and whether it already ran on another replica, is
 * decided by the slot claim (run-job.ts). They are also kicked once at start-up so a slot missed
 * during downtime is caught up.
 */
export async function startScheduler(options: { timezone: string; logger: Logger; workerData: WorkerData; context: JobContext; jobsDirectory?: string; runElsewhere?: (name: string) => void }): Promise<Scheduler> {
  const log = options.logger.child({ component: 'scheduler' });
  const slotted = JOBS.filter((job) => job.schedule.kind !== 'every');
  // Database outages, as the interval loops see them: slot jobs that could not run meanwhile are
  // run once more when it is back (their slot claim keeps that to once per slot).
  const down = new Set<string>();
  const databaseSeen = (name: string, available: boolean): void => {
    if (!available) { down.add(name); return; }
    const wasDown = down.size > 0;
    down.delete(name);
    if (wasDown && down.size === 0) for (const job of slotted) kick(job.name);
  };
  const elsewhere = options.runElsewhere;
  const loops = elsewhere ? null : startJobLoops({ context: options.context, logger: log, databaseUrl: options.workerData.databaseUrl, onDatabase: databaseSeen });

  // Declared before Bree so its message handler can start jobs; Bree is assigned just below.
  let bree: Bree | null = null;
  let stopping = false;
  const kick = (name: string): void => {
    if (loops?.kick(name)) return;
    if (elsewhere && JOBS.some((job) => job.name === name)) {
      elsewhere(name);
      return;
    }
    bree?.run(name).catch((error: unknown) => log.error({ err: errorSummary(error), job: name }, `could not start job ${name}`));
  };
  if (slotted.length > 0) {
    const directory = options.jobsDirectory ?? compiledJobsDirectory();
    bree = new Bree({
      root: false,
      doRootCheck: false,
      timezone: options.timezone,
      worker: { workerData: options.workerData },
      // Bree logs every worker start at info; that is noise at our level.
      logger: { info: () => undefined, warn: (...args: unknown[]) => log.debug({ detail: String(args[0]) }, 'scheduler notice'), error: (...args: unknown[]) => log.error({ detail: String(args[0]) }, 'scheduler error') },
      // A worker ended by stop() (stopWorkers) is no crash worth a line.
      errorHandler: (error, data) => { if (!stopping) log.error({ err: errorSummary(error), job: data.name }, `job ${data.name} crashed`); },
      workerMessageHandler: ({ name, message }) => {
        const asked = message as { type?: string; job?: string } | null;
        if (asked?.type === 'kick' && typeof asked.job === 'string' && JOBS.some((j) => j.name === asked.job)) kick(asked.job);
        else if (asked?.type === 'unavailable') log.debug({ job: name }, `job ${name} waits for the database`);
        else log.debug({ job: name, message }, `job ${name} finished`);
      },
      jobs: slotted.map((job) => ({ name: job.name, path: path.join(directory, `${job.name}.js`), timeout: false as const, cron: cronOf(job.schedule) ?? '' })),
    });
    await bree.start();
    for (const job of slotted) kick(job.name);
  }
  const running = bree;
  return {
    kick,
    databaseSeen,
    stop: async () => {
      stopping = true;
      await loops?.stop();
      if (running) await stopWorkers(running);
    },
  };
}

/**
 * How long running slot jobs get to finish on stop before their threads are ended: long enough for
 * a sweep, shorter than a supervisor's usual stop timeout (systemd waits 90 s).
 */
const WORKER_GRACE_MS = 30_000;

/**
 * Bree's stop waits for every worker however long it takes; one stuck on a database that went away
 * would hold the shutdown for ever. Past the grace period the thread is terminated: its effects
 * are transactional, so the open transaction rolls back and the slot runs again later.
 */
async function stopWorkers(bree: Bree): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<void>((resolve) => { timer = setTimeout(resolve, WORKER_GRACE_MS); });
  await Promise.race([bree.stop(), graceOver]);
  clearTimeout(timer);
  await Promise.all([...bree.workers.values()].map((worker) => worker.terminate()));
}

function compiledJobsDirectory(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // Compiled: dist/src/jobs → dist/jobs. From TypeScript sources (tests): src/jobs → dist/jobs.
  const candidates = [path.resolve(here, '../../jobs'), path.resolve(here, '../../dist/jobs')];
  const found = candidates.find((dir) => here.includes(`${path.sep}dist${path.sep}`) ? dir === candidates[0] : dir === candidates[1]);
  if (!found || !fs.existsSync(found)) throw new Error(`compiled jobs not found in ${found ?? candidates[1]}: run npm run build`);
  return found;
}
