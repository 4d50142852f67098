import type { Knex } from 'knex';
import type { Db } from './database.js';
import type { Platform } from './committee.js';

/**
 * The card most recently queued for a message key: what that message shows, or will show once
 * the outbox delivers it. Every change to a card is queued in the transaction that made it, so the
 * newest outbox row for the key is the card's current state, whatever kind of card it is (request,
 * purge, breach). Teams asks for it when a card is viewed (Universal Actions refresh) and when a
 * vote is answered with the re-rendered card. The payload is returned as stored; callers check it.
 */
export async function latestQueuedCard(db: Db | Knex.Transaction, platform: Platform, cardKey: string): Promise<unknown> {
  const row = await db('outbox')
    .where({ platform, card_key: cardKey })
    .whereRaw("payload->'card' is not null")
    .orderBy('id', 'desc')
    .first<{ card: unknown } | undefined>(db.raw("payload->'card' as card"));
  return row?.card ?? null;
}
