import type { Knex } from 'knex';

/**
 * The sweep's counts by reason, status and note (the card's figures), as its one statement drew
 * them: that statement groups the rows it is already holding and records the result on the batch,
 * so no second pass over a million-contact batch's items is needed to count them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table purge_batches add column swept_counts jsonb');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table purge_batches drop column swept_counts');
}
