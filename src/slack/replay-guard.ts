import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../logger.js';
import type { Db } from '../register/database.js';
import { firstDelivery } from '../register/slack-deliveries.js';

/**
 * Bolt middleware, after its signature check: a request whose signature was already taken is a
 * replay (or a duplicate delivery). It is acknowledged, so nobody retries, and goes no further.
 * Socket Mode requests carry no signature and pass through.
 */
export function replayGuard(db: Db, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const signature = (args.context as { slackSignature?: unknown }).slackSignature;
    if (typeof signature === 'string' && signature !== '' && !await firstDelivery(db, signature)) {
      logger.warn('slack: a request arrived again with a signature already taken; ignored as a replay');
      if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
      return;
    }
    await args.next();
  };
}
