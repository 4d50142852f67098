import type { Knex } from 'knex';
import type { Db } from './database.js';
import type { Platform } from './committee.js';
import { execute, prepared } from './prepared-statements.js';
import { sqlLiteral } from './sql-literals.js';

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
  /** Why the last attempt failed or waited, for the operator (doctor, the log). */
  last_error: string | null;
}

/** Written in the transaction of the change it reports, so the message exists iff the change does. */
export async function enqueueMessage(trx: Knex.Transaction, message: NewOutboxMessage): Promise<void> {
  await trx('outbox').insert(outboxValues(message));
}

export type NewOutboxMessage = Pick<OutboxRow, 'platform' | 'operation' | 'channel' | 'card_key' | 'payload'>;

/** The row enqueueMessage inserts, for a statement that writes it with the change it reports (intake.ts). */
export function outboxValues(message: NewOutboxMessage): Record<string, unknown> {
  return { ...message, payload: JSON.stringify(message.payload) };
}

/**
 * The statement enqueueMessage runs, with its values written in, for a write sent with others in
 * one round trip (audit-events.ts's deferWrite).
 */
export function enqueueMessageSql(message: NewOutboxMessage): string {
  return execute(ENQUEUE_MESSAGE, ...[message.platform, message.operation, message.channel, message.card_key].map(sqlLiteral), `${sqlLiteral(JSON.stringify(message.payload))}::jsonb`);
}

/** Prepared, as a vote's other writes are (proposals.ts says why). */
const ENQUEUE_MESSAGE = prepared('enqueue_message', ['text', 'text', 'text', 'text', 'jsonb'],
  'insert into outbox (platform, operation, channel, card_key, payload) values ($1, $2, $3, $4, $5)');

/**
 * The oldest deliverable message, locked for the caller's transaction (SKIP LOCKED, so replicas
 * deliver different messages). A card's update waits while its first post is still undelivered.
 */
export async function claimNextMessage(trx: Knex.Transaction, now: Date): Promise<OutboxRow | null> {
  const row = await trx('outbox as o').where('o.status', 'pending').where('o.next_attempt_at', '<=', now)
    .whereNotExists(trx('outbox as earlier').whereRaw('earlier.card_key = o.card_key and earlier.id < o.id')
      .where('earlier.status', 'pending'))
    .orderBy('o.id').forUpdate().skipLocked().first<OutboxRow | undefined>('o.id', 'o.platform', 'o.operation', 'o.channel', 'o.card_key', 'o.payload', 'o.attempts', 'o.created_at', 'o.last_error');
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

/**
 * Puts a message back for later without counting an attempt: nothing was tried, because the
 * platform is not configured or has no committee channel yet. The reason is kept for the operator.
 */
export async function deferMessage(trx: Knex.Transaction, id: number, nextAttemptAt: Date, reason: string): Promise<void> {
  await trx('outbox').where({ id }).update({ next_attempt_at: nextAttemptAt, last_error: reason.slice(0, 1000) });
}

/**
 * A later update of the same card still waiting: it carries the newer state, so this one can go.
 * Card keys name the card on every platform (the platform is chosen at delivery).
 */
export async function hasNewerPendingUpdate(trx: Knex.Transaction, message: Pick<OutboxRow, 'id' | 'card_key'>): Promise<boolean> {
  if (message.card_key === null) return false;
  const row = await trx('outbox').where({ card_key: message.card_key, operation: 'update', status: 'pending' })
    .where('id', '>', message.id).first<{ id: number } | undefined>('id');
  return row !== undefined;
}

/** Whether any message is due for delivery now: a job that queued one asks for deliver-outbox. */
export async function hasDueMessages(db: Db, now: Date): Promise<boolean> {
  const row = await db('outbox').where('status', 'pending').where('next_attempt_at', '<=', now).first('id');
  return row !== undefined;
}

/** Messages not delivered because of set-up (no platform, no committee channel), by reason. */
export async function waitingMessages(db: Db): Promise<{ reason: string; count: number; oldest: Date }[]> {
  const rows = await db('outbox').where({ status: 'pending', attempts: 0 }).whereNotNull('last_error')
    .groupBy('last_error').orderBy('oldest').select<{ last_error: string; count: string; oldest: Date }[]>('last_error', db.raw('count(*) as count'), db.raw('min(created_at) as oldest'));
  return rows.map((row) => ({ reason: row.last_error, count: Number(row.count), oldest: row.oldest }));
}

/**
 * Messages waiting for a committee channel are due again at once: called in the transaction that
 * sets one, so what was queued before it arrives with the next delivery rather than a minute later.
 */
export async function wakeWaitingMessages(trx: Knex.Transaction, now: Date): Promise<number> {
  return trx('outbox').where({ status: 'pending', attempts: 0 }).whereNull('channel').where('next_attempt_at', '>', now)
    .update({ next_attempt_at: now });
}

/**
 * Delivered messages keep their row (the record that a message went, with its card key and
 * channel) but not their payload: the cards and notices held personal data in masked form and
 * names of people, and the message ids cards are updated through live in chat_messages. Pending
 * and failed rows keep theirs, since they may still be sent. Returns the rows pruned.
 */
export async function pruneDeliveredPayloads(db: Knex | Knex.Transaction, sentBefore: Date): Promise<number> {
  const result = await db.raw<{ rowCount: number }>(`
    update outbox set payload = '{"pruned": true}'::jsonb
    where status = 'sent' and sent_at < ? and payload <> '{"pruned": true}'::jsonb`, [sentBefore]);
  return result.rowCount;
}
