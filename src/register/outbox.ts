import type { Knex } from 'knex';
import type { Db } from './database.js';
import type { Platform } from './committee.js';

export type OutboxOperation = 'post' | 'update' | 'direct';

export interface OutboxRow {
  id: number;
  platform: Platform;
  operation: OutboxOperation;
  channel: string | null;
  card_key: string | null;
  payload: Record<string, unknown>;
  attempts: number;
  created_at: Date;
}

/** Written in the transaction of the change it reports, so the message exists iff the change does. */
export async function enqueueMessage(trx: Knex.Transaction, message: Pick<OutboxRow, 'platform' | 'operation' | 'channel' | 'card_key' | 'payload'>): Promise<void> {
  await trx('outbox').insert({ ...message, payload: JSON.stringify(message.payload) });
}

/**
 * The oldest deliverable message, locked for the caller's transaction (SKIP LOCKED, so replicas
 * deliver different messages). A card's update waits while its first post is still undelivered.
 */
export async function claimNextMessage(trx: Knex.Transaction, now: Date): Promise<OutboxRow | null> {
  const row = await trx('outbox as o').where('o.status', 'pending').where('o.next_attempt_at', '<=', now)
    .whereNotExists(trx('outbox as earlier').whereRaw('earlier.card_key = o.card_key and earlier.id < o.id')
      .where('earlier.status', 'pending'))
    .orderBy('o.id').forUpdate().skipLocked().first<OutboxRow | undefined>('o.id', 'o.platform', 'o.operation', 'o.channel', 'o.card_key', 'o.payload', 'o.attempts', 'o.created_at');
  return row ?? null;
}

export async function markSent(trx: Knex.Transaction, id: number, at: Date): Promise<void> {
  await trx('outbox').where({ id }).update({ status: 'sent', sent_at: at, attempts: trx.raw('attempts + 1'), last_error: null });
}

export async function markRetry(trx: Knex.Transaction, id: number, nextAttemptAt: Date, error: string): Promise<void> {
  await trx('outbox').where({ id }).update({ attempts: trx.raw('attempts + 1'), next_attempt_at: nextAttemptAt, last_error: error.slice(0, 1000) });
}

export async function outboxBacklog(db: Db): Promise<number> {
  const row = await db('outbox').where({ status: 'pending' }).count<{ count: string }>('* as count').first();
  return Number(row?.count ?? 0);
}
