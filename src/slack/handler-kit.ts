import type { webApi } from '@slack/bolt';
import type { Logger } from '../logger.js';
import type { ServiceContext } from '../services/context.js';
import { errorSummary } from '../errors.js';
import type { InboxRecorder, Recorded } from '../inbox/recorder.js';
import { faultMessage, NOT_RECORDED, runReported } from '../inbox/work.js';
import { currentDelivery } from './replay-guard.js';

export { faultMessage };

/**
 * What every Slack handler gets: the use cases' context, a logger, the Web API client, `record`
 * and `guard`. Bolt answers Slack before the work ends (processBeforeResponse is off, so the
 * 3-second ack never waits on the work). Work that changes the register, or answers a command, is
 * recorded in the inbox before the ack (`record`) and done by the inbox workers in the service's
 * background thread (src/background), off this event loop; `guard` runs the rest
 * (opening a modal, publishing App Home), kept for a clean stop(), with faults handled in one place.
 */
export interface HandlerDeps {
  readonly services: ServiceContext;
  readonly logger: Logger;
  /**
   * The adapter's own client (bot token, 10 s timeout, no retries) rather than the one Bolt hands
   * each listener: Bolt's falls back to a token-less client when a payload names no team.
   */
  readonly client: webApi.WebClient;
  /**
   * Records work of a kind the inbox defines, with this request's signature; call it before ack().
   * Slack needs the ack within 3 s: a register slower than ACK_WITHIN_MS gets 'late', and the ack
   * says the work is not yet known to be recorded (so nothing is lost silently if the process dies
   * now); if the record then fails the person is told through `tellIfLost`.
   */
  record(kind: string, payload: Record<string, unknown>, tellIfLost: (message: string) => Promise<unknown>): Promise<Recorded | 'late'>;
  guard(handler: string, work: () => Promise<void>, tellUser: (message: string) => Promise<unknown>): Promise<void>;
}

export const ACK_WITHIN_MS = 2_000;

/** Work under `guard` runs at most this many at a time; the rest waits its turn in order. */
export const WORK_AT_ONCE = 4;

export function createHandlerDeps(services: ServiceContext, logger: Logger, client: webApi.WebClient, inbox: InboxRecorder, workAtOnce = WORK_AT_ONCE, ackWithinMs = ACK_WITHIN_MS): { deps: HandlerDeps; recordSigned: RecordSigned; drain(): Promise<void> } {
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
    const delivery = currentDelivery.getStore();
    const run = (async () => {
      await turn();
      try {
        if (delivery && !await delivery.verdict()) return; // a replay: acknowledged, and nothing more
        await runReported(logger, handler, work, tellUser);
      } finally {
        done();
      }
    })();
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
    return run;
  };
  const recordSigned: RecordSigned = async (kind, payload, signature, tellIfLost) => {
    const recording = inbox.record(kind, payload, signature);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), ackWithinMs); });
    const outcome = await Promise.race([recording, late]);
    clearTimeout(timer);
    if (outcome === 'late') {
      void recording.then(async (final) => {
        if (final === 'failed') await tellIfLost(NOT_RECORDED);
      }).catch((error: unknown) => logger.warn({ err: errorSummary(error), kind }, 'could not tell the user their request was not recorded'));
    }
    return outcome;
  };
  const record: HandlerDeps['record'] = (kind, payload, tellIfLost) => recordSigned(kind, payload, currentDelivery.getStore()?.signature ?? null, tellIfLost);
  return {
    deps: { services, logger, client, record, guard },
    recordSigned,
    drain: async () => { await Promise.allSettled([...inFlight]); },
  };
}

/** `record` with the request's signature given rather than read from Bolt's middleware (hot-requests.ts). */
export type RecordSigned = (kind: string, payload: Record<string, unknown>, signature: string | null, tellIfLost: (message: string) => Promise<unknown>) => Promise<Recorded | 'late'>;
