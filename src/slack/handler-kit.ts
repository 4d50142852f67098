import { randomBytes } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import type { Logger } from '../logger.js';
import type { ServiceContext } from '../services/context.js';
import { deliveryVerdict } from './replay-guard.js';
import { driverErrorSummary, errorSummary, isDatabaseUnavailable } from '../errors.js';

/**
 * What every Slack handler gets: the use cases' context, a logger, the Web API client, and `guard`, which runs the
 * work that follows an ack(). Bolt answers Slack before that work ends (processBeforeResponse is
 * off, so the 3-second ack never waits on the database); guard keeps the work for a clean stop()
 * and handles a fault in one place: logged with a short reference, and the person told only that.
 */
export interface HandlerDeps {
  readonly services: ServiceContext;
  readonly logger: Logger;
  /**
   * The adapter's own client (bot token, 10 s timeout, no retries) rather than the one Bolt hands
   * each listener: Bolt's falls back to a token-less client when a payload names no team.
   */
  readonly client: webApi.WebClient;
  guard(handler: string, work: () => Promise<void>, tellUser: (message: string) => Promise<unknown>): Promise<void>;
}

export function faultMessage(reference: string): string {
  return `Something went wrong on our side; nothing was changed. Reference: ${reference}`;
}

/**
 * Work after acks runs at most this many at a time; the rest waits its turn in order. Intakes queue
 * on the reference counter anyway, and fifty of them each holding one of the pool's ten connections
 * while they wait starved everything else of a connection (a burst lost intakes to pool timeouts).
 */
export const WORK_AT_ONCE = 4;

export function createHandlerDeps(services: ServiceContext, logger: Logger, client: webApi.WebClient, workAtOnce = WORK_AT_ONCE): { deps: HandlerDeps; drain(): Promise<void> } {
  const inFlight = new Set<Promise<void>>();
  let running = 0;
  const waiting: (() => void)[] = [];
  const turn = async (): Promise<void> => {
    if (running < workAtOnce) {
      running += 1;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve)); // the slot is handed over as it is
  };
  const done = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };
  const guard: HandlerDeps['guard'] = (handler, work, tellUser) => {
    const verdict = deliveryVerdict.getStore();
    const run = (async () => {
      await turn();
      try {
        if (verdict && !await verdict) return; // a replay: acknowledged, and nothing more
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
      } finally {
        done();
      }
    })();
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
    return run;
  };
  return {
    deps: { services, logger, client, guard },
    drain: async () => { await Promise.allSettled([...inFlight]); },
  };
}

