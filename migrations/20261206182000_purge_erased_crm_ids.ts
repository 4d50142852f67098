import type { Knex } from 'knex';

/**
 * The CRM ids of the contacts a running purge has deleted, kept from the chunk that deleted each
 * (inserted in its transaction, so a resumed purge holds each once) until the purge's end writes
 * the recipients' files (Art 19) and deletes them: afterwards the files are the only copy.
 *
 * A table of their own rather than a column of purge_items: clearing them is then a DELETE of
 * narrow rows, not a second update of every deleted item. No key and no foreign key: rows are only
 * ever inserted by the chunk that deleted the contact, read in full for one batch, then deleted, so
 * an index would cost every insert and serve no lookup. purge_items.external_id is left unused;
 * ids a running purge kept there move here.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table purge_erased_crm_ids (
      batch_id bigint not null,
      contact_id bigint not null,
      external_id text not null
    );
    -- A purge running across the upgrade keeps the ids its earlier chunks stored on their items.
    insert into purge_erased_crm_ids (batch_id, contact_id, external_id)
      select batch_id, contact_id, external_id from purge_items where external_id is not null;
    update purge_items set external_id = null where external_id is not null`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    update purge_items i set external_id = e.external_id from purge_erased_crm_ids e
      where i.batch_id = e.batch_id and i.contact_id = e.contact_id;
    drop table purge_erased_crm_ids`);
}
