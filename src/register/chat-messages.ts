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
