import { AsyncLocalStorage } from 'node:async_hooks';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../logger.js';
import type { ServiceContext } from '../services/context.js';
import { isFirstDelivery } from '../services/first-delivery.js';

/** The request being handled: its signature, and whether it is the first delivery of it. */
export interface Delivery {
  /** The signature's hex digest; null in Socket Mode, whose requests carry none. */
  readonly signature: string | null;
  /** Takes the signature on first use (true: first delivery); the inbox takes it itself, with the work. */
  verdict(): Promise<boolean>;
}

/**
 * Set by `replayGuard` and read after the ack, through the request's async context, so no handler
 * has to pass it along: by the inbox (slack-inbox.ts records the work in the same statement that
 * takes the signature) and by `guard` for work that is not recorded (handler-kit.ts).
 */
export const currentDelivery = new AsyncLocalStorage<Delivery>();

/**
 * Bolt middleware, after its signature check. A request whose signature was already taken is a
 * replay (or a duplicate delivery): it is still acknowledged, so nobody retries, but its work is
 * skipped. The signature is taken only after the ack, so the 3-second acknowledgement never waits
 * behind it, or together with the recorded work. The key is the signature's hex digest alone
 * (request-guards.ts lets no other form of the header through).
 */
export function replayGuard(db: ServiceContext['db'], logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const signature = (args.context as { slackSignature?: unknown }).slackSignature;
    const taken = typeof signature === 'string' && signature !== '' ? signature : null;
    let verdict: Promise<boolean> | null = null;
    const delivery: Delivery = {
      signature: taken,
      verdict: () => {
        verdict ??= taken === null ? Promise.resolve(true) : isFirstDelivery(db, taken).then((first) => {
          if (!first) logger.warn('slack: a request arrived again with a signature already taken; ignored as a replay');
          return first;
        }, () => true); // the database is down: the work itself will fail and say so
        return verdict;
      },
    };
    await currentDelivery.run(delivery, () => args.next());
  };
}
