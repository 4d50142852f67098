import { randomBytes } from 'node:crypto';
import { driverErrorSummary, errorSummary, isDatabaseUnavailable } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ServiceContext } from '../services/context.js';
import { claimInboxItem, finishInboxItem, markInboxItemStarted, recordInbound, type Inbound, type InboxItem } from '../register/slack-inbox.js';

type Payload = Record<string, unknown>;

/** One kind of work the inbox runs: a slash command, a vote click, a submitted form. */
export interface InboxWork {
  /** The work, from the recorded payload, with a context whose `delivery` names this one. */
  run(payload: Payload, services: ServiceContext): Promise<void>;
  /** Whether work a stopped process was in the middle of may run again (its effect cannot double). */
  repeatable(payload: Payload): boolean;
  /** Tells the person who asked: a fault's reference, or that their work was interrupted. */
  tell(payload: Payload, text: string): Promise<unknown>;
}

export type Recorded = 'recorded' | 'replay' | 'failed';

export interface SlackInbox {
  define(kind: string, work: InboxWork): void;
  /** Records the work before the ack, and wakes a worker. */
  record(kind: string, payload: Payload, signature: string | null): Promise<Recorded>;
  start(): void;
  /** Lets the items in hand finish; what is still waiting stays recorded for the next start. */
  stop(): Promise<void>;
}

/** Two workers: a slow command (a report) does not hold up the intakes; more only queue on the counter. */
export const INBOX_WORKERS = 2;
/** Items left by a stopped replica are looked for this often; a fresh item wakes a worker at once. */
const LOOK_EVERY_MS = 15_000;
/**
 * Acks first: while requests are arriving, the work they recorded waits (it is safe in the
 * register) until none has come for QUIET_MS, so the event loop and the pool serve the acks; no
 * item is held back longer than DEFER_AT_MOST_MS, so a long stream of requests cannot starve it.
 */
const QUIET_MS = 50;
const DEFER_AT_MOST_MS = 2_000;

export function faultMessage(reference: string): string {
  return `Something went wrong on our side; nothing was changed. Reference: ${reference}`;
}

/**
 * Runs work after the ack and handles a fault in one place: logged with a short reference, and the
 * person told only that reference.
 */
export async function runReported(logger: Logger, handler: string, work: () => Promise<void>, tellUser: (message: string) => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const faultRef = randomBytes(4).toString('hex');
    // A lost database is one known condition (the service logs it once and reconnects), not a bug.
    if (isDatabaseUnavailable(error)) logger.warn({ faultRef, handler }, `slack handler could not reach the database: ${driverErrorSummary(error)}`);
    else logger.error({ err: errorSummary(error), faultRef, handler }, 'slack handler failed');
    try {
      await tellUser(faultMessage(faultRef));
    } catch (replyError) {
      logger.warn({ err: errorSummary(replyError), faultRef, handler }, 'could not tell the user about the failure');
    }
  }
}

/**
 * Slack work recorded in the register before it is acknowledged (one statement, with the replay
 * check), then done by a few workers in the order it came. The ack never waits on the work, a
 * burst never holds more than a few pool connections, and a service killed right after an ack
 * does the work when it (or another replica) next runs. A worker holds the item's row lock while
 * it works; an item found with a start mark and no lock was interrupted: it runs again only if its
 * effect cannot double (an intake is found by its delivery key, a vote is unique per member),
 * otherwise the person is told to check before asking again.
 */
export function createSlackInbox(services: ServiceContext, logger: Logger, workers = INBOX_WORKERS): SlackInbox {
  const works = new Map<string, InboxWork>();
  let stopped = true;
  const sleepers = new Set<() => void>();
  const wake = (): void => { for (const resume of [...sleepers]) resume(); };
  let running: Promise<void>[] = [];
  // Requests that arrive while a statement is on its way are recorded together in the next one:
  // under a burst, one round trip to the register serves many acks.
  const batch = batcher((requests: readonly Inbound[]) => recordInbound(services.db, requests));
  let recording = 0;
  let lastRecordedAt = 0;
  const acksFirst = async (): Promise<void> => {
    const since = Date.now();
    while (!stopped && (recording > 0 || Date.now() - lastRecordedAt < QUIET_MS) && Date.now() - since < DEFER_AT_MOST_MS) {
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    }
  };

  const doItem = async (item: InboxItem): Promise<void> => {
    const work = works.get(item.kind);
    if (!work) {
      logger.error({ kind: item.kind, id: item.id }, 'slack inbox: no work of this kind; the item is dropped');
      return;
    }
    if (item.interrupted && !work.repeatable(item.payload)) {
      logger.warn({ kind: item.kind, id: item.id }, 'slack inbox: work interrupted by a stop; not repeated');
      await work.tell(item.payload, INTERRUPTED).catch((error: unknown) => logger.warn({ err: errorSummary(error), kind: item.kind }, 'could not tell the user about the interruption'));
      return;
    }
    await markInboxItemStarted(services.db, item.id);
    const delivery = { key: `slack:${item.id}`, again: item.interrupted };
    await runReported(logger, item.kind, () => work.run(item.payload, { ...services, delivery }), (text) => work.tell(item.payload, text));
  };

  const takeOne = async (): Promise<boolean> => services.db.transaction(async (trx) => {
    const item = await claimInboxItem(trx);
    if (!item) return false;
    await doItem(item);
    await finishInboxItem(trx, item.id);
    return true;
  });

  const worker = async (): Promise<void> => {
    while (!stopped) {
      let more = false;
      try {
        await acksFirst();
        more = await takeOne();
      } catch (error) {
        // The register refused the claim or the finish: the item stays recorded for the next look.
        logger.error({ err: errorSummary(error) }, 'slack inbox: could not take work');
      }
      if (!more && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => { sleepers.delete(resume); resolve(); }, LOOK_EVERY_MS);
          const resume = (): void => { clearTimeout(timer); sleepers.delete(resume); resolve(); };
          sleepers.add(resume);
        });
      }
    }
  };

  return {
    define: (kind, work) => { works.set(kind, work); },
    record: async (kind, payload, signature) => {
      recording += 1;
      try {
        const recorded = await batch.add({ kind, payload, signature });
        if (!recorded) {
          logger.warn('slack: a request arrived again with a signature already taken; ignored as a replay');
          return 'replay';
        }
        wake();
        return 'recorded';
      } catch (error) {
        logger.error({ err: errorSummary(error), kind }, 'slack inbox: could not record work; the person is told to try again');
        return 'failed';
      } finally {
        recording -= 1;
        lastRecordedAt = Date.now();
      }
    },
    start: () => {
      if (!stopped) return;
      stopped = false;
      running = Array.from({ length: workers }, () => worker());
    },
    stop: async () => {
      stopped = true;
      wake();
      await Promise.all(running);
    },
  };
}

/** Calls `run` with everything added while the previous call was in flight; one call at a time. */
function batcher<T, R>(run: (items: readonly T[]) => Promise<R[]>): { add(item: T): Promise<R> } {
  let waiting: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  let busy = false;
  const flush = async (): Promise<void> => {
    busy = true;
    while (waiting.length > 0) {
      const taken = waiting;
      waiting = [];
      try {
        const results = await run(taken.map((w) => w.item));
        taken.forEach((w, i) => w.resolve(results[i]!));
      } catch (error) {
        for (const w of taken) w.reject(error);
      }
    }
    busy = false;
  };
  return {
    add: (item) => new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (!busy) void flush();
    }),
  };
}

export const INTERRUPTED = 'govbot was stopped while it was doing this, so it may or may not have taken effect: check (for example with /dsr show) before asking again.';

/** The ack's answer when the work could not be recorded: nothing was done, so the person may retry. */
export const NOT_RECORDED = 'govbot could not reach its register just now, so nothing was recorded or done; please try again in a minute.';
