import { setImmediate as yieldToIo } from 'node:timers/promises';
import { driverErrorSummary, errorSummary, isDatabaseUnavailable } from '../errors.js';
import type { Logger } from '../logger.js';
import type { JobContext, JobDefinition } from './job.js';
import { runScheduledJob, type JobOutcome } from './run-job.js';

export interface JobLoop {
  /** Runs the job again as soon as the current run ends (or now, if it is waiting). */
  wake(): void;
  /** Lets the current run finish, then ends the loop. */
  stop(): Promise<void>;
}

/**
 * An interval job (deliver-outbox, execute-actions) run in the service's own process, on the
 * service's pool: one run, then a wait for the job's interval or a wake-up, whichever comes first.
 * A worker thread per tick would import knex, pg and the chat SDKs afresh each time (about 180 ms
 * of CPU) and open a pool of its own: under a burst of commands that starved the acknowledgements,
 * and idle it cost a good part of a core. Waiting here costs nothing but a timer.
 *
 * Exactly-once across replicas does not depend on this loop: each run claims its work items with
 * FOR UPDATE SKIP LOCKED, so loops in several processes take different items.
 */
export interface JobLoopOptions {
  intervalMs: number;
  logger: Logger;
  /** Told when a run finds the database gone (false) and when it answers again (true). */
  onDatabase?: (available: boolean) => void;
  /** Awaited before each run: in the service's background thread, acknowledgements arriving go first (src/inbox/acks-first.ts). */
  beforeRun?: (stopped: () => boolean) => Promise<void>;
}

/** While the database is away, runs are retried at growing intervals up to this. */
const OUTAGE_MAX_WAIT_MS = 30_000;

export function startJobLoop(job: JobDefinition, context: JobContext, options: JobLoopOptions): JobLoop {
  let stopped = false;
  // Not null while the database is unreachable: the wait before the next try (doubling).
  let outageWait: number | null = null;
  let woken = false;
  let interrupt: (() => void) | null = null;
  const wake = (): void => {
    woken = true;
    interrupt?.();
  };
  const pause = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(() => { interrupt = null; resolve(); }, ms);
    interrupt = () => { clearTimeout(timer); interrupt = null; resolve(); };
  });
  const running = (async () => {
    while (!stopped) {
      await options.beforeRun?.(() => stopped);
      if (stopped) break;
      woken = false;
      const outcome = await runOnce(job, context, options.logger);
      if (stopped) break;
      if (outcome.status === 'unavailable') {
        // One line when the outage starts, none while it lasts; a wake-up (the outbox listener
        // reconnected) still ends the wait early.
        if (outageWait === null) {
          options.logger.warn(`database unavailable (${outcome.reason}): ${job.name} waits for it and retries, up to every ${OUTAGE_MAX_WAIT_MS / 1000} s`);
          options.onDatabase?.(false);
        }
        outageWait = Math.min((outageWait ?? options.intervalMs / 2) * 2, OUTAGE_MAX_WAIT_MS);
        await pause(outageWait);
        continue;
      }
      if (outageWait !== null) {
        outageWait = null;
        options.logger.info(`database available again: ${job.name} resumed`);
        options.onDatabase?.(true);
      }
      // More due at once (a full run, or work queued while it ran): go on, letting I/O in first.
      if (outcome.status === 'done' && (woken || outcome.summary.more === true)) {
        await yieldToIo();
        continue;
      }
      if (!woken) await pause(options.intervalMs);
    }
  })();
  return {
    wake,
    stop: async () => {
      stopped = true;
      interrupt?.();
      await running;
    },
  };
}

type LoopOutcome = JobOutcome | { status: 'unavailable'; reason: string };

async function runOnce(job: JobDefinition, context: JobContext, logger: Logger): Promise<LoopOutcome> {
  try {
    return await runScheduledJob(job, context, new Date());
  } catch (error) {
    if (isDatabaseUnavailable(error)) return { status: 'unavailable', reason: driverErrorSummary(error) };
    // runScheduledJob records a job's own failure; this is the database refusing the claim itself.
    logger.error({ err: errorSummary(error), job: job.name }, `job ${job.name} could not run`);
    return { status: 'failed', period: null, error: (error as Error)?.message ?? String(error) };
  }
}
