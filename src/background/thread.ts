import { Worker } from 'node:worker_threads';
import { errorSummary } from '../errors.js';
import type { Logger } from '../logger.js';
import type { BackgroundData, FromBackground, ToBackground } from './messages.js';

export interface BackgroundThread {
  /**
   * Resolves once the thread has loaded and started its work (true), or after `withinMs` if it has
   * not (false). Loading its SDKs takes a second or more of CPU, which acknowledgements arriving
   * meanwhile would wait behind.
   */
  ready(withinMs: number): Promise<boolean>;
  /** Work was just recorded in the inbox: a worker takes it now rather than at its next look. */
  wakeInbox(): void;
  /** A request is being answered on the main thread, with nothing recorded: background work gives way to it as to one recorded. */
  answering(): void;
  /** Runs a job now: an interval job's loop is woken (execute-actions after an approval), a slot job queued. */
  kick(job: string): void;
  /** Lets the work in hand finish (what waits stays recorded), then ends the thread. */
  stop(): Promise<void>;
}

export interface BackgroundEvents {
  /** An interval loop found the database gone (false) or back (true). */
  database(loop: string, available: boolean): void;
}

/** How long the work in hand gets to finish on stop before the thread is ended. */
const STOP_GRACE_MS = 30_000;
/** After an unexpected end the thread is started again, this long after (doubling, up to a minute). */
const RESTART_AFTER_MS = 1_000;
const RESTART_AT_MOST_MS = 60_000;

/**
 * One long-lived worker thread for the work that follows an acknowledgement (src/background/entry.ts).
 * It starts once and waits on messages and timers, so idle it costs nothing, and a burst never starts
 * a thread. The service does not wait for it to load (its SDKs take seconds of CPU at its lower
 * priority): messages sent meanwhile wait in its port, and what it will work on waits in the register.
 * Should it end unexpectedly, it is started again: the inbox and the outbox are in the register, so
 * nothing it was doing is lost (interrupted work is handled as after a kill).
 */
export function startBackgroundThread(data: BackgroundData, logger: Logger, events: BackgroundEvents): BackgroundThread {
  const log = logger.child({ component: 'background' });
  let stopping = false;
  let lastWake = 0;
  let lastAnswering = 0;
  let restartAfter = RESTART_AFTER_MS;
  let markReady: () => void = () => undefined;
  const loaded = new Promise<void>((resolve) => { markReady = resolve; });

  const start = (): Worker => {
    const started = new Worker(new URL('./entry.js', import.meta.url), { workerData: data });
    started.on('message', (message: FromBackground) => {
      switch (message.type) {
        case 'ready': restartAfter = RESTART_AFTER_MS; markReady(); log.debug('background thread ready'); return;
        case 'database': events.database(message.loop, message.available); return;
        case 'stopped': return;
      }
    });
    started.on('error', (error) => log.error({ err: errorSummary(error) }, 'background thread failed'));
    started.on('exit', (code) => {
      if (stopping) return;
      log.error({ code }, `background thread ended unexpectedly; starting it again in ${restartAfter / 1000} s`);
      setTimeout(() => {
        if (stopping) return;
        worker = start();
        send({ type: 'wake', at: Date.now() });
      }, restartAfter).unref();
      restartAfter = Math.min(restartAfter * 2, RESTART_AT_MOST_MS);
    });
    return started;
  };
  let worker = start();
  const send = (message: ToBackground) => worker.postMessage(message);

  return {
    ready: async (withinMs) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), withinMs); });
      const outcome = await Promise.race([loaded.then(() => true as const), late]);
      clearTimeout(timer);
      return outcome;
    },
    wakeInbox: () => {
      // One message per millisecond at most: under a burst, a batch of records is one wake.
      const now = Date.now();
      if (now === lastWake) return;
      lastWake = now;
      send({ type: 'wake', at: now });
    },
    answering: () => {
      const now = Date.now();
      if (now === lastAnswering) return;
      lastAnswering = now;
      send({ type: 'answering', at: now });
    },
    kick: (job) => send({ type: 'kick', job }),
    stop: async () => {
      stopping = true;
      const running = worker;
      if (running.threadId === -1) return; // already ended
      const ended = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.postMessage({ type: 'stop' } satisfies ToBackground);
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), STOP_GRACE_MS); });
      if (await Promise.race([ended, graceOver]) === 'late') {
        log.warn(`background thread still busy after ${STOP_GRACE_MS / 1000} s; ending it (its work stays recorded)`);
        await running.terminate();
      }
      clearTimeout(timer);
    },
  };
}
