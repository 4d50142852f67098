import { randomBytes } from 'node:crypto';
import { driverErrorSummary, errorSummary, isDatabaseUnavailable } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ServiceContext } from '../services/context.js';

export type Payload = Record<string, unknown>;

/** One kind of work the inbox runs: a slash command, a vote click, a submitted form, a Teams message. */
export interface InboxWork {
  /** The work, from the recorded payload, with a context whose `delivery` names this one. */
  run(payload: Payload, services: ServiceContext): Promise<void>;
  /** Whether work a stopped process was in the middle of may run again (its effect cannot double). */
  repeatable(payload: Payload): boolean;
  /** Tells the person who asked: a fault's reference, or that their work was interrupted. */
  tell(payload: Payload, text: string): Promise<unknown>;
}

export type InboxWorks = ReadonlyMap<string, InboxWork>;

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
    if (isDatabaseUnavailable(error)) logger.warn({ faultRef, handler }, `chat handler could not reach the database: ${driverErrorSummary(error)}`);
    else logger.error({ err: errorSummary(error), faultRef, handler }, 'chat handler failed');
    try {
      await tellUser(faultMessage(faultRef));
    } catch (replyError) {
      logger.warn({ err: errorSummary(replyError), faultRef, handler }, 'could not tell the user about the failure');
    }
  }
}

export const INTERRUPTED = 'govbot was stopped while it was doing this, so it may or may not have taken effect: check (for example with /dsr show) before asking again.';

/** The ack's answer when the work could not be recorded: nothing was done, so the person may retry. */
export const NOT_RECORDED = 'govbot could not reach its register just now, so nothing was recorded or done; please try again in a minute.';

/**
 * The ack's answer when recording takes longer than the platform waits for an ack: the work may or
 * may not be recorded, so the person is not told it was taken. Its answer follows if it was.
 */
export const STILL_RECORDING = 'govbot is slow to record this just now. Its answer follows here once it is recorded; if none comes within a few minutes, nothing was done and you may ask again.';
