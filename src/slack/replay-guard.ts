import { AsyncLocalStorage } from 'node:async_hooks';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../logger.js';
import type { Db } from '../register/database.js';
import { firstDelivery } from '../register/slack-deliveries.js';

/**
 * Whether the request being handled is the first delivery of its signature. Set by `replayGuard`
 * and read by the handlers' `guard` (handler-kit.ts) after their ack, through the request's async
 * context, so no handler has to pass it along.
 */
export const deliveryVerdict = new AsyncLocalStorage<Promise<boolean>>();

/**
 * Bolt middleware, after its signature check. A request whose signature was already taken is a
 * replay (or a duplicate delivery): it is still acknowledged, so nobody retries, but its work is
 * skipped. The check is started here and awaited only after the ack, so it never delays the
 * 3-second acknowledgement behind the database. Socket Mode requests carry no signature. The key
 * is the signature's hex digest alone (request-guards.ts lets no other form of the header through).
 */
export function replayGuard(db: Db, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const signature = (args.context as { slackSignature?: unknown }).slackSignature;
    if (typeof signature !== 'string' || signature === '') {
      await args.next();
      return;
    }
    const verdict = firstDelivery(db, signature).then((first) => {
      if (!first) logger.warn('slack: a request arrived again with a signature already taken; ignored as a replay');
      return first;
    }, () => true); // the database is down: the work itself will fail and say so
    await deliveryVerdict.run(verdict, () => args.next());
  };
}
