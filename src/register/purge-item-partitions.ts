import type { Knex } from 'knex';

/**
 * Each purge batch's items are a partition of `purge_items` of their own (migration
 * 20261206181000). The sweep creates it empty, loads it with one statement, builds its primary key
 * in one sort, and attaches it, all inside the sweep's transaction: a sweep that fails or is killed
 * part-way leaves neither rows nor a table, and readers only ever see a batch with all its items.
 *
 * Loading the table before it has a key is what makes the sweep cheap: maintaining the key row by
 * row wrote a second WAL record per item and cost more than the selection itself.
 */

type Trx = Knex.Transaction;

/** The partition's name (`purge_items_42`); its owner's id is a whole number, checked. */
export function batchItemsTable(batchId: number): string {
  if (!Number.isSafeInteger(batchId) || batchId < 1) throw new RangeError('batch id must be a positive whole number');
  return `purge_items_${batchId}`;
}

/**
 * The batch's table, empty, with the items' columns, defaults and checks. Its check on `batch_id`
 * lets the attach trust the rows without scanning them. Fillfactor 40 as for every item (migration
 * 20261206172100): the purge's updates of an item then stay on its page.
 */
export async function createBatchItems(trx: Trx, batchId: number): Promise<string> {
  const table = batchItemsTable(batchId);
  await trx.raw(`create table ${table} (like purge_items including defaults including constraints,
    constraint one_batch check (batch_id = ${batchId})) with (fillfactor = 40)`);
  return table;
}

/** Once loaded: the primary key in one sort, then the table becomes the batch's partition. */
export async function attachBatchItems(trx: Trx, batchId: number): Promise<void> {
  const table = batchItemsTable(batchId);
  await trx.raw(`alter table ${table} add primary key (batch_id, contact_id)`);
  // The key matches the parent's, so the attach adopts it instead of building another.
  await trx.raw(`alter table purge_items attach partition ${table} for values in (${batchId})`);
  // The partition's own bound says the same from now on.
  await trx.raw(`alter table ${table} drop constraint one_batch`);
  // A new table has no statistics until autovacuum visits it, so the planner would guess that few
  // of its rows are the batch's and read all of them to find the card's first few hundred by key
  // (a tenth of a second at a million contacts). A small sample tells it enough: one batch, mostly
  // pending; autovacuum later replaces it with the usual one.
  await trx.raw('set local default_statistics_target = 10');
  await trx.raw(`analyze ${table} (batch_id, status)`);
  await trx.raw('set local default_statistics_target to default');
}

/** A batch deleted before anyone saw it (a sweep that found nothing to propose): its table goes too. */
export async function dropBatchItems(trx: Trx, batchId: number): Promise<void> {
  await trx.raw(`drop table if exists ${batchItemsTable(batchId)}`);
}
