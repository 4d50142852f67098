import type { ServiceContext } from './context.js';
import { firstDelivery } from '../register/slack-deliveries.js';

/**
 * Whether a Slack request (by its signature) is seen here for the first time: false means a replay
 * or a duplicate delivery, whose work is skipped. The signature is remembered for a while
 * (register/slack-deliveries.ts), longer than Slack's 5-minute window for a signed timestamp.
 */
export function isFirstDelivery(db: ServiceContext['db'], signature: string): Promise<boolean> {
  return firstDelivery(db, signature);
}
