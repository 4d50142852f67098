import type { Knex } from 'knex';
import type { RetentionReason } from '../domain/retention.js';
import type { PurgeItemCount, PurgeItemStatus } from './purge-items.js';

/**
 * A running purge's item counts kept as it goes (see the purge_tallies migration): the start's
 * counts, then each chunk's claimed items (minus, as pending) and marked items (plus, as done or
 * skipped), in the chunk's own transaction. Their sums are what purgeItemCounts would read from the
 * items, without a scan of the batch.
 */

/** The counts the start read for the card: what the chunks' changes are added to. */
export async function recordStartTally(trx: Knex.Transaction, batchId: number, counts: readonly PurgeItemCount[]): Promise<void> {
  if (counts.length === 0) return;
  await trx('purge_tallies').insert(counts.map((c) => ({ batch_id: batchId, reason: c.reason, status: c.status, note: c.note, count: c.count, start: true })));
}

/**
 * The batch's counts by reason, status and note, in purgeItemCounts' order (nulls last), or null
 * when its start was not tallied (then only its items can say).
 */
export async function talliedCounts(db: Knex | Knex.Transaction, batchId: number): Promise<PurgeItemCount[] | null> {
  const result = await db.raw<{ rows: { reason: RetentionReason; status: PurgeItemStatus; note: string | null; count: number; started: boolean }[] }>(`
    select reason, status, note, sum(count)::int as count, bool_or(bool_or(start)) over () as started
    from purge_tallies where batch_id = ? group by reason, status, note order by reason, status, note`, [batchId]);
  if (!result.rows.some((row) => row.started)) return null;
  return result.rows.filter((row) => row.count !== 0).map((row) => ({ reason: row.reason, status: row.status, note: row.note, count: row.count }));
}

/** Once the purge's figures are kept on the batch. */
export async function clearTallies(trx: Knex.Transaction, batchId: number): Promise<void> {
  await trx('purge_tallies').where({ batch_id: batchId }).delete();
}
