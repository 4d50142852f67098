import type { Logger } from '../logger.js';
import { listenForQueuedMessages } from '../register/outbox-listener.js';
import { JOBS } from './catalogue.js';
import type { JobContext } from './job.js';
import { startJobLoop, type JobLoop, type JobLoopOptions } from './job-loop.js';

export const DELIVER = 'deliver-outbox';

export interface JobLoops {
  /** Wakes the loop of an interval job; false if `name` is not one. */
  kick(name: string): boolean;
  stop(): Promise<void>;
}

/**
 * The interval jobs, each in a long-lived loop woken by a kick, and deliver-outbox also by the
 * database's notification that a message was queued (by any replica, or by the CLI), so a card
 * goes out as soon as its transaction commits and an idle service does nothing but wait on two
 * timers. `onDatabase` hears when a loop finds the database gone (false) and back (true).
 */
export function startJobLoops(options: { context: JobContext; logger: Logger; databaseUrl: string; onDatabase?: (name: string, available: boolean) => void; beforeRun?: JobLoopOptions['beforeRun'] }): JobLoops {
  const loops = new Map<string, JobLoop>();
  for (const job of JOBS) {
    if (job.schedule.kind !== 'every') continue;
    loops.set(job.name, startJobLoop(job, options.context, {
      intervalMs: job.schedule.seconds * 1000, logger: options.logger,
      ...(options.beforeRun ? { beforeRun: options.beforeRun } : {}),
      ...(options.onDatabase ? { onDatabase: (available: boolean) => options.onDatabase?.(job.name, available) } : {}),
    }));
  }
  const listener = loops.has(DELIVER)
    ? listenForQueuedMessages(options.databaseUrl, () => loops.get(DELIVER)?.wake(), {
      lost: (message) => options.logger.warn(message),
      back: (message) => options.logger.info(message),
    })
    : null;
  return {
    kick: (name) => {
      const loop = loops.get(name);
      loop?.wake();
      return loop !== undefined;
    },
    stop: async () => {
      await listener?.close();
      await Promise.all([...loops.values()].map((loop) => loop.stop()));
    },
  };
}
