import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig } from '../config.js';
import { errorSummary } from '../errors.js';
import { acksFirst, AFTER_START_MS } from '../inbox/acks-first.js';
import { createInboxWorkers, INBOX_WORKERS } from '../inbox/workers.js';
import type { InboxWork } from '../inbox/work.js';
import { startJobLoops, type JobLoops } from '../jobs/job-loops.js';
import { slotRuns, type SlotRuns } from '../jobs/slot-runs.js';
import { createLogger } from '../logger.js';
import { createKnex } from '../register/database.js';
import type { ServiceContext } from '../services/context.js';
import type { BackgroundData, FromBackground, ToBackground } from './messages.js';
import { lowerThisThreadsPriority } from './thread-priority.js';

/**
 * The service's background thread (started by thread.ts): the work recorded in the inbox before
 * its ack, the interval jobs' loops (cards out through the outbox, approved actions) and the slot
 * jobs kicked (the catch-up at start), on a pool of its own. The main thread then only verifies, records and answers HTTP, and its event loop
 * never waits behind an intake's statements or a card's delivery.
 */
const POOL = { min: 0, max: 12 };

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('the background entry runs in a worker thread');
  const data = workerData as BackgroundData;
  const post = (message: FromBackground) => port.postMessage(message);
  lowerThisThreadsPriority();
  const config = loadConfig();
  const logger = createLogger(config).child({ thread: 'background' });
  const db = createKnex(data.databaseUrl, POOL);
  let loops: JobLoops | null = null;
  let slots: SlotRuns | null = null;
  const kick = (name: string): void => { if (!loops?.kick(name)) slots?.run(name); };
  const services: ServiceContext = { db, config, pepper: data.pepper, logger, clock: () => new Date(), kickJob: kick };
  // Everything this thread runs gives way to acknowledgements arriving on the main thread.
  const gate = acksFirst();
  gate.holdFor(AFTER_START_MS);
  const beforeRun = (stopped: () => boolean) => gate.wait(stopped);
  if (data.loops) {
    const log = logger.child({ component: 'scheduler' });
    // A run of deliveries stops between messages for acknowledgements arriving, once it has had its slice.
    loops = startJobLoops({ context: { ...services, giveWay: () => gate.giveWay() }, logger: log, databaseUrl: data.databaseUrl, onDatabase: (loop, available) => post({ type: 'database', loop, available }), beforeRun });
    let caughtUp = false;
    slots = slotRuns(services, log, () => {
      if (caughtUp) return;
      caughtUp = true;
      // The scheduler kicks every slot job at start: this is the end of that catch-up.
      log.info('caught up: every scheduled job that fell due while the service was down has been checked');
    }, beforeRun);
  }
  const works = new Map<string, InboxWork>();
  if (data.slack && config.slack.botToken) {
    const { slackInboxWorks } = await import('../slack/inbox-works.js');
    for (const [kind, work] of slackInboxWorks({ token: config.slack.botToken, apiUrl: config.slack.apiUrl, logger })) works.set(kind, work);
  }
  if (data.teams) {
    const { teamsInboxWorks } = await import('../teams/inbox-works.js');
    for (const [kind, work] of teamsInboxWorks({ config, logger })) works.set(kind, work);
  }
  const inbox = works.size > 0 ? createInboxWorkers(services, works, logger, INBOX_WORKERS, gate) : null;
  inbox?.start();

  port.on('message', (message: ToBackground) => {
    switch (message.type) {
      case 'wake':
        gate.seen(message.at);
        inbox?.wake(message.at);
        return;
      case 'answering': gate.seen(message.at); return;
      case 'kick': kick(message.job); return;
      case 'stop':
        void (async () => {
          try {
            await inbox?.stop();
            await slots?.stop();
            await loops?.stop();
            await db.destroy();
          } catch (error) {
            logger.error({ err: errorSummary(error) }, 'background thread: error while stopping');
          }
          post({ type: 'stopped' });
          // In a worker thread this ends the thread alone, whatever sockets (keep-alive) are still open.
          process.exit(0);
        })();
    }
  });
  post({ type: 'ready' });
}

main().catch((error: unknown) => {
  // The main thread sees the thread end and says so; the reason is logged here, where it is known.
  process.stderr.write(`govbot background thread: ${(error as Error)?.stack ?? String(error)}\n`);
  throw error;
});
