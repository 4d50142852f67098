import type { Knex } from 'knex';

/**
 * Art 19 for the quarterly purge: every provider on the Article 30 register that receives contact
 * data is owed a notice of the contacts a purge deleted, one row per batch and provider, with the
 * count it must act on and the file of their CRM ids (0600, beside the candidate list) until it is
 * recorded as told.
 *
 * `purge_items.external_id` holds a deleted contact's CRM id from the chunk that deleted it (so a
 * resumed purge lists each once) until the purge's end writes the recipients' files; then it is
 * cleared, and the files are the only copy.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table purge_items add column external_id text;
    create table purge_recipient_notices (
      id bigint generated always as identity primary key,
      batch_id bigint not null references purge_batches (id) on delete cascade,
      processor_id bigint not null references processors (id) on delete cascade,
      owed_count integer not null,
      listed_count integer not null,
      file_name text,
      file_sha256 text,
      owed_since timestamptz not null,
      told_at timestamptz,
      told_by text,
      unique (batch_id, processor_id)
    );
    create index purge_recipient_notices_owed_idx on purge_recipient_notices (owed_since) where told_at is null;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table purge_recipient_notices; alter table purge_items drop column external_id');
}
