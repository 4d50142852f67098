import type { Knex } from 'knex';
import type { Db } from './database.js';
import type { Platform } from './committee.js';

export interface ChatMessageRow {
  platform: Platform;
  card_key: string;
  channel: string;
  message_id: string;
  conversation: Record<string, unknown> | null;
}

/** Where a card was posted, so that later changes edit it in place rather than post anew. */
export async function recordChatMessage(trx: Knex.Transaction | Db, message: ChatMessageRow): Promise<void> {
  await trx('chat_messages')
    .insert({ ...message, conversation: message.conversation ? JSON.stringify(message.conversation) : null })
    .onConflict(['platform', 'card_key']).merge(['channel', 'message_id', 'conversation', 'updated_at']);
}

export async function findChatMessage(db: Db | Knex.Transaction, platform: Platform, cardKey: string): Promise<ChatMessageRow | null> {
  return (await db('chat_messages').where({ platform, card_key: cardKey }).first<ChatMessageRow | undefined>('platform', 'card_key', 'channel', 'message_id', 'conversation')) ?? null;
}

/**
 * Where a card was posted on whichever platform carries it (a card queued for one platform may
 * have gone to the other's committee channel); the preferred platform wins if it has both.
 */
export async function findPostedCard(db: Db | Knex.Transaction, cardKey: string, preferred: Platform): Promise<ChatMessageRow | null> {
  return (await db('chat_messages').where({ card_key: cardKey })
    .orderByRaw('platform = ? desc', [preferred]).orderBy('updated_at', 'desc')
    .first<ChatMessageRow | undefined>('platform', 'card_key', 'channel', 'message_id', 'conversation')) ?? null;
}
