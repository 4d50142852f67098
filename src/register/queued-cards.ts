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

/**
 * Where the card `cardKey` was posted on `platform`, with its latest queued content, in one
 * statement: an Adaptive Card invoke answers with the card as it stands, only in the message it
 * was posted in. Null when it was never posted there.
 */
export async function postedCardNow(db: Db | Knex.Transaction, platform: Platform, cardKey: string): Promise<{ channel: string; messageId: string; card: unknown } | null> {
  const result = await db.raw<{ rows: { channel: string; message_id: string; card: unknown }[] }>(`
    select m.channel, m.message_id,
      (select o.payload->'card' from outbox o
        where o.platform = m.platform and o.card_key = m.card_key and o.payload->'card' is not null
        order by o.id desc limit 1) as card
    from chat_messages m where m.platform = ? and m.card_key = ?
    limit 1`, [platform, cardKey]);
  const row = result.rows[0];
  return row ? { channel: row.channel, messageId: row.message_id, card: row.card } : null;
}
