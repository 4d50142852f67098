import type { Platform } from '../register/committee.js';
import { latestQueuedCard, postedCardNow } from '../register/queued-cards.js';
import type { CardPlace } from '../register/vote-context.js';

export type { CardPlace };
import type { ServiceContext } from './context.js';

/**
 * A committee card as it now stands (its latest queued content, unchecked), if it is the card in
 * the message an action came from: `messageId` when the platform names it, else the conversation.
 * A card names a subject and the committee's business, and the key is the caller's to name, so
 * a card is shown only where it was posted. One statement.
 */
export async function cardShownIn(ctx: Pick<ServiceContext, 'db'>, platform: Platform, cardKey: string, where: CardWhere): Promise<unknown> {
  const posted = await postedCardNow(ctx.db, platform, cardKey);
  if (!posted) return null;
  return isHere(posted, where) ? posted.card : null;
}

/** Where an action came from: the message, when the platform names it, and the conversation. */
export interface CardWhere {
  readonly messageId: string | undefined;
  readonly channel: string;
}

/** cardShownIn's check for a card already in hand (a vote's, cast-vote.ts), from where it was posted. */
export function postedHere(postedIn: readonly CardPlace[], platform: Platform, where: CardWhere): boolean {
  return postedIn.some((place) => place.platform === platform && isHere(place, where));
}

function isHere(posted: { readonly channel: string; readonly messageId: string }, where: CardWhere): boolean {
  return where.messageId ? posted.messageId === where.messageId : posted.channel === where.channel;
}

/** The content most recently queued for a card (unchecked), wherever it was posted. */
export async function latestCard(ctx: Pick<ServiceContext, 'db'>, platform: Platform, cardKey: string): Promise<unknown> {
  return latestQueuedCard(ctx.db, platform, cardKey);
}
