import type { Knex } from 'knex';

/**
 * A running purge's item counts by reason, status and note, kept as it goes so that its end need
 * not count a batch of hundreds of thousands of items again: the start records the counts it read
 * for the card (`start`), each chunk then adds, in its own transaction, minus one for every item it
 * claimed (pending, with its reason and note) and plus one for every item it marked (done or
 * skipped, with its new note). The sums are the counts a GROUP BY over the items would give, since
 * once a batch runs only its chunks change its items; a batch with no start row is counted anew.
 *
 * No key and no foreign key: rows are only inserted, read in full for one batch, then deleted
 * when the purge ends, so an index would cost every chunk and serve no lookup.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table purge_tallies (
      batch_id bigint not null,
      reason text not null,
      status text not null,
      note text,
      count integer not null,
      start boolean not null default false
    );
    -- A purge running across the upgrade starts from its items as they stand.
    insert into purge_tallies (batch_id, reason, status, note, count, start)
      select i.batch_id, i.reason, i.status, i.note, count(*), true
      from purge_items i join purge_batches b on b.id = i.batch_id where b.status = 'running'
      group by i.batch_id, i.reason, i.status, i.note`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table purge_tallies');
}
