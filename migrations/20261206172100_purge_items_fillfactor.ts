import type { Knex } from 'knex';

/**
 * Every pending item of an approved purge is updated once (done or skipped, with its note and, for
 * the recipients' files, its CRM id) and once more at the end (the CRM id cleared). With full pages
 * each such update moved the row to another page and added a primary-key entry for it: a third of
 * a chunk's time and half its WAL. Pages filled to 40 % leave room for the new versions beside the
 * old ones (a pending row is about 68 bytes with its line pointer, a done one about 100), so the
 * updates stay on their page (HOT) and touch no index. The items take more pages in exchange, which
 * the sweep's insert hardly notices.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table purge_items set (fillfactor = 40)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table purge_items reset (fillfactor)');
}
