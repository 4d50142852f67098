import type { Knex } from 'knex';

/**
 * Purge items partitioned by batch (list on `batch_id`), one partition per batch, same columns,
 * meaning and primary key `(batch_id, contact_id)`, so every reader works unchanged.
 *
 * Why: the sweep writes a third of a million items in one statement, and keeping the primary key up
 * to date row by row doubled its WAL records and cost more than selecting them. A batch's items are
 * now written into a table of their own, created in the sweep's transaction, and its key is built
 * in one sort after the load; the table is then attached as the batch's partition (see
 * register/purge-item-partitions.ts). A rolled-back sweep leaves no table behind.
 *
 * Items inserted for a batch that has no partition (none in the product) land in the default one,
 * which stays empty, so attaching a batch's partition need not scan it. Each partition keeps the
 * items' fillfactor 40 (migration 20261206172100): the purge's updates of an item stay on its page.
 *
 * Existing batches move into partitions of their own here, with the same rows.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table purge_items rename to purge_items_unpartitioned;
    alter table purge_items_unpartitioned rename constraint purge_items_pkey to purge_items_unpartitioned_pkey;
    create table purge_items (like purge_items_unpartitioned including defaults including constraints) partition by list (batch_id);
    alter table purge_items add constraint purge_items_pkey primary key (batch_id, contact_id);
    create table purge_items_default partition of purge_items default with (fillfactor = 40);
    do $$
    declare b bigint;
    begin
      for b in select distinct batch_id from purge_items_unpartitioned order by batch_id loop
        execute format('create table %I (like purge_items including defaults including constraints, constraint one_batch check (batch_id = %s)) with (fillfactor = 40)', 'purge_items_' || b, b);
        execute format('insert into %I select * from purge_items_unpartitioned where batch_id = %s order by contact_id', 'purge_items_' || b, b);
        execute format('alter table %I add primary key (batch_id, contact_id)', 'purge_items_' || b);
        execute format('alter table purge_items attach partition %I for values in (%s)', 'purge_items_' || b, b);
        execute format('alter table %I drop constraint one_batch', 'purge_items_' || b);
      end loop;
    end $$;
    drop table purge_items_unpartitioned;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    create table purge_items_unpartitioned (like purge_items including defaults including constraints) with (fillfactor = 40);
    insert into purge_items_unpartitioned select * from purge_items order by batch_id, contact_id;
    drop table purge_items;
    alter table purge_items_unpartitioned rename to purge_items;
    alter table purge_items add constraint purge_items_pkey primary key (batch_id, contact_id);
  `);
}
