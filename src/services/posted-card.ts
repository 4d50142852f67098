import type { Platform } from '../register/committee.js';
import { latestQueuedCard, postedCardNow } from '../register/queued-cards.js';
import type { ServiceContext } from './context.js';

/**
 * A committee card as it now stands (its latest queued content, unchecked), if it is the card in
 * the message an action came from: `messageId` when the platform names it, else the conversation.
 * A card names a subject and the committee's business, and the key is the caller's to name, so
 * a card is shown only where it was posted. One statement.
 */
export async function cardShownIn(ctx: Pick<ServiceContext, 'db'>, platform: Platform, cardKey: string, where: { readonly messageId: string | undefined; readonly channel: string }): Promise<unknown> {
  const posted = await postedCardNow(ctx.db, platform, cardKey);
  if (!posted) return null;
  const here = where.messageId ? posted.messageId === where.messageId : posted.channel === where.channel;
  return here ? posted.card : null;
}

/** The content most recently queued for a card (unchecked), wherever it was posted. */
export async function latestCard(ctx: Pick<ServiceContext, 'db'>, platform: Platform, cardKey: string): Promise<unknown> {
  return latestQueuedCard(ctx.db, platform, cardKey);
}
