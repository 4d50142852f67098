import { driverErrorSummary, errorSummary, isDatabaseUnavailable } from '../errors.js';
import type { Logger } from '../logger.js';
import { findJob } from './catalogue.js';
import type { JobContext } from './job.js';
import { runScheduledJob } from './run-job.js';

export interface SlotRuns {
  /** Runs the slot job after those already asked for; one already waiting is not queued twice. */
  run(name: string): void;
  /** Lets the run in hand finish; those still waiting are dropped (the next start catches them up). */
  stop(): Promise<void>;
}

/**
 * Slot jobs kicked in a long-lived thread (the catch-up at start, `/gov purge run`), one at a time:
 * the same slot claim as a Bree firing (runScheduledJob), without a fresh thread that imports
 * everything again. Eight of those at start-up took seconds of CPU from the first acknowledgements.
 * `drained` is called whenever the last job asked for has run.
 */
export function slotRuns(context: JobContext, logger: Logger, drained: () => void = () => undefined, beforeRun: (stopped: () => boolean) => Promise<void> = async () => undefined): SlotRuns {
  const waiting: string[] = [];
  let running: Promise<void> | null = null;
  let stopped = false;
  const next = async (): Promise<void> => {
    for (let name = waiting.shift(); name !== undefined && !stopped; name = waiting.shift()) {
      const job = findJob(name);
      if (!job) continue;
      await beforeRun(() => stopped);
      try {
        const outcome = await runScheduledJob(job, context, new Date());
        logger.debug({ job: name, status: outcome.status }, `job ${name} finished`);
      } catch (error) {
        // The loops report an outage once and the scheduler kicks every slot job again when it ends.
        if (isDatabaseUnavailable(error)) logger.debug({ job: name }, `job ${name} waits for the database: ${driverErrorSummary(error)}`);
        else logger.error({ err: errorSummary(error), job: name }, `job ${name} could not run`);
      }
    }
    running = null;
    if (!stopped) drained();
  };
  return {
    run: (name) => {
      if (stopped || waiting.includes(name)) return;
      waiting.push(name);
      running ??= next();
    },
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}
