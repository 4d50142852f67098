import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Bree from 'bree';
import { cronOf } from '../domain/schedules.js';
import type { Logger } from '../logger.js';
import { listenForQueuedMessages } from '../register/outbox-listener.js';
import { JOBS } from './catalogue.js';
import type { JobContext } from './job.js';
import { startJobLoop, type JobLoop } from './job-loop.js';
import type { WorkerData } from './worker.js';
import { errorSummary } from '../errors.js';

export interface Scheduler {
  /** Runs a job now unless it is already running (e.g. execute-actions right after an approval). */
  kick(name: string): void;
  stop(): Promise<void>;
}

const DELIVER = 'deliver-outbox';

/**
 * Two kinds of job. Interval jobs (deliver-outbox, execute-actions) run in this process, each in a
 * long-lived loop woken by a kick, and deliver-outbox also by the database's notification that a
 * message was queued (by any replica, or by the CLI), so a card goes out as soon as its
 * transaction commits and an idle service does nothing but wait on two timers.
 *
 * Slot jobs (daily, hourly, quarterly) stay with Bree, a worker thread per run: they are rare, and
 * which slot runs, and whether it already ran on another replica, is decided in the worker
 * (run-job.ts). They are also fired once at start-up so a slot missed during downtime is caught up.
 */
export async function startScheduler(options: { timezone: string; logger: Logger; workerData: WorkerData; context: JobContext; jobsDirectory?: string }): Promise<Scheduler> {
  const log = options.logger.child({ component: 'scheduler' });
  const slotted = JOBS.filter((job) => job.schedule.kind !== 'every');
  const loops = new Map<string, JobLoop>();
  // Database outages, as the interval loops see them: slot jobs that could not run meanwhile are
  // run once more when it is back (their slot claim keeps that to once per slot).
  const down = new Set<string>();
  const onDatabase = (name: string) => (available: boolean): void => {
    if (!available) { down.add(name); return; }
    const wasDown = down.size > 0;
    down.delete(name);
    if (wasDown && down.size === 0) for (const job of slotted) kick(job.name);
  };
  for (const job of JOBS) {
    if (job.schedule.kind !== 'every') continue;
    loops.set(job.name, startJobLoop(job, options.context, { intervalMs: job.schedule.seconds * 1000, logger: log, onDatabase: onDatabase(job.name) }));
  }
  const listener = loops.has(DELIVER)
    ? listenForQueuedMessages(options.workerData.databaseUrl, () => loops.get(DELIVER)?.wake(), {
      lost: (message) => log.warn(message),
      back: (message) => log.info(message),
    })
    : null;

  // Declared before Bree so its message handler can start jobs; Bree is assigned just below.
  let bree: Bree | null = null;
  let stopping = false;
  const kick = (name: string): void => {
    const loop = loops.get(name);
    if (loop) {
      loop.wake();
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
    stop: async () => {
      stopping = true;
      await listener?.close();
      await Promise.all([...loops.values()].map((loop) => loop.stop()));
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
