import type { Knex } from 'knex';

/**
 * What the resumable purge needs beyond the purge tables:
 * - the relationship each candidate had when it was swept, so that one who has since become a
 *   customer or subscriber is recognised and left alone;
 * - the candidate list's SHA-256, for the card;
 * - a full index on `requests.contact_id`: deleting a contact sets it to null, and without one every
 *   deleted contact would cost a scan of all requests.
 * And two things fewer, for the sweep's one INSERT … SELECT of a million-contact register: the
 * foreign key from items to their batch (a lookup per inserted row, a second per sweep at that size;
 * only the sweep writes items, for the batch it created in the same transaction, and it deletes
 * them itself), and the partial index on pending items (the purge claims chunks by keyset on the
 * primary key instead).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table purge_items
      add column was_customer boolean not null default false,
      add column was_subscriber boolean not null default false,
      drop constraint purge_items_batch_id_fkey;
    drop index purge_items_pending_idx;
    alter table purge_batches add column candidate_sha256 text;
    create index requests_contact_idx on requests (contact_id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop index requests_contact_idx;
    alter table purge_batches drop column candidate_sha256;
    create index purge_items_pending_idx on purge_items (batch_id, contact_id) where status = 'pending';
    alter table purge_items drop column was_subscriber, drop column was_customer,
      add constraint purge_items_batch_id_fkey foreign key (batch_id) references purge_batches (id) on delete cascade;
  `);
}
