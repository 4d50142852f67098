import type { Knex } from 'knex';

/**
 * One Art 19 notice per request, recipient and change: an objection to other processing restricts
 * at intake (a restriction to tell each recipient of) and, upheld with erasure asked, later erases
 * (an erasure to tell them of as well), so a told restriction must not stand for the erasure.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table recipient_notices drop constraint recipient_notices_request_id_processor_id_key;
    alter table recipient_notices add constraint recipient_notices_request_processor_change_key unique (request_id, processor_id, change);
  `);
}

/** Back to one notice per request and recipient: the earliest of each pair stays. */
export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    delete from recipient_notices a using recipient_notices b
      where a.request_id = b.request_id and a.processor_id = b.processor_id and a.id > b.id;
    alter table recipient_notices drop constraint recipient_notices_request_processor_change_key;
    alter table recipient_notices add constraint recipient_notices_request_id_processor_id_key unique (request_id, processor_id);
  `);
}
