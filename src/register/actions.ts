import type { Knex } from 'knex';
import type { Db } from './database.js';

export type { ActionKind } from '../domain/action-plans.js';
import type { ActionKind } from '../domain/action-plans.js';

export interface ActionRow {
  id: number;
  proposal_id: number;
  request_id: number | null;
  kind: ActionKind;
  params: Record<string, unknown>;
  status: 'queued' | 'running' | 'done' | 'failed';
  attempts: number;
  last_error: string | null;
  result: Record<string, unknown> | null;
  queued_at: Date;
  finished_at: Date | null;
}

export async function queueAction(trx: Knex.Transaction, action: Pick<ActionRow, 'proposal_id' | 'request_id' | 'kind' | 'params'>): Promise<ActionRow> {
  const [row] = await trx('actions').insert({ ...action, params: JSON.stringify(action.params) }).returning('*');
  return row as ActionRow;
}

/**
 * Takes the oldest queued action that no other worker holds (SKIP LOCKED), inside the caller's
 * transaction: its effect and its status change then commit together, or not at all.
 */
export async function claimNextAction(trx: Knex.Transaction, maxAttempts: number): Promise<ActionRow | null> {
  const row = await trx('actions').where('status', 'queued').where('attempts', '<', maxAttempts)
    .orderBy('id').forUpdate().skipLocked().first<ActionRow | undefined>();
  return row ?? null;
}

export async function completeAction(trx: Knex.Transaction, id: number, result: Record<string, unknown>, at: Date): Promise<void> {
  await trx('actions').where({ id }).update({ status: 'done', result: JSON.stringify(result), finished_at: at, attempts: trx.raw('attempts + 1') });
}

/** Outside the failed transaction: counts the attempt and keeps the error for the committee. */
export async function recordActionFailure(db: Db, id: number, error: string, maxAttempts: number): Promise<void> {
  await db('actions').where({ id }).update({
    attempts: db.raw('attempts + 1'),
    last_error: error.slice(0, 2000),
    status: db.raw(`case when attempts + 1 >= ? then 'failed' else 'queued' end`, [maxAttempts]),
  });
}

export async function actionsForRequest(db: Db, requestId: number): Promise<ActionRow[]> {
  return db('actions').where({ request_id: requestId }).orderBy('id').select<ActionRow[]>('*');
}

/**
 * Like `claimNextAction`, but only past `afterId`: one run walks the queue once, so an action that
 * failed in this run waits for the next run (the job's interval is its back-off) instead of
 * burning all its attempts within a second.
 */
export async function claimNextActionAfter(trx: Knex.Transaction, maxAttempts: number, afterId: number): Promise<ActionRow | null> {
  const row = await trx('actions').where('status', 'queued').where('attempts', '<', maxAttempts).where('id', '>', afterId)
    .orderBy('id').forUpdate().skipLocked().first<ActionRow | undefined>();
  return row ?? null;
}

export async function getAction(db: Db | Knex.Transaction, id: number): Promise<ActionRow | null> {
  return (await db('actions').where({ id }).first<ActionRow | undefined>()) ?? null;
}

/**
 * Replaces an action's params once carried out, for params that held personal data (corrected
 * values): the register now holds them, where erasure and retention reach them; the actions table
 * would otherwise keep a copy for ever.
 */
export async function replaceActionParams(trx: Knex.Transaction, id: number, params: Record<string, unknown>): Promise<void> {
  await trx('actions').where({ id }).update({ params: JSON.stringify(params) });
}
