import { driverErrorSummary, errorSummary, isDatabaseUnavailable } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ServiceContext } from '../services/context.js';
import { claimInboxItem, finishInboxItem, markInboxItemStarted, type InboxItem } from '../register/slack-inbox.js';
import { INTERRUPTED, runReported, type InboxWorks } from './work.js';
import { acksFirst, type AcksFirst } from './acks-first.js';

/** Four workers: a slow command (a report) does not hold up the rest, and reading commands (lists) run side by side while intakes take turns on the audit chain. */
export const INBOX_WORKERS = 4;
/** Items left by a stopped replica are looked for this often; a fresh item wakes a worker at once. */
const LOOK_EVERY_MS = 15_000;

export interface InboxWorkers {
  /** Work was recorded (at `at`, ms since the epoch): a sleeping worker takes it. */
  wake(at?: number): void;
  start(): void;
  /** Lets the items in hand finish; what is still waiting stays recorded for the next start. */
  stop(): Promise<void>;
}

/**
 * Works through the inbox in the order it was recorded. A worker holds the item's row lock while it
 * works; an item found with a start mark and no lock was interrupted (its process stopped): it runs
 * again only if its effect cannot double (an intake is found by its delivery key, a vote is unique
 * per member), otherwise the person is told to check before asking again. Runs in the service's
 * background thread (src/background), with a pool of its own, off the event loop that answers HTTP.
 */
export function createInboxWorkers(services: ServiceContext, works: InboxWorks, logger: Logger, workers = INBOX_WORKERS, gate: AcksFirst = acksFirst()): InboxWorkers {
  let stopped = true;
  const sleepers = new Set<() => void>();
  let running: Promise<void>[] = [];
  // One line per outage, however many workers find the database gone.
  let outage = false;

  const doItem = async (item: InboxItem): Promise<void> => {
    const work = works.get(item.kind);
    if (!work) {
      logger.error({ kind: item.kind, id: item.id }, 'inbox: no work of this kind; the item is dropped');
      return;
    }
    if (item.interrupted && !work.repeatable(item.payload)) {
      logger.warn({ kind: item.kind, id: item.id }, 'inbox: work interrupted by a stop; not repeated');
      await work.tell(item.payload, INTERRUPTED).catch((error: unknown) => logger.warn({ err: errorSummary(error), kind: item.kind }, 'could not tell the user about the interruption'));
      return;
    }
    await markInboxItemStarted(services.db, item.id);
    // The key keeps the `slack:` prefix whatever the platform: requests logged before carry it.
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
        await gate.wait(() => stopped);
        more = await takeOne();
        outage = false;
      } catch (error) {
        // The register refused the claim or the finish: the item stays recorded for the next look.
        // A lost database is one known condition (the service says so once), not a fault to trace.
        if (isDatabaseUnavailable(error)) {
          if (!outage) logger.warn(`inbox: database unavailable (${driverErrorSummary(error)}); recorded work waits for it`);
          outage = true;
        } else logger.error({ err: errorSummary(error) }, 'inbox: could not take work');
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
    wake: (at = Date.now()) => {
      gate.seen(at);
      for (const resume of [...sleepers]) resume();
    },
    start: () => {
      if (!stopped) return;
      stopped = false;
      running = Array.from({ length: workers }, () => worker());
    },
    stop: async () => {
      stopped = true;
      for (const resume of [...sleepers]) resume();
      await Promise.all(running);
    },
  };
}
