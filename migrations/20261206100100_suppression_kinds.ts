import type { Knex } from 'knex';

/**
 * The suppression list keeps a keyed hash of each identifier (email and phone), with the tag the
 * notice promises ("Do not contact"). `email_hmac` keeps its name, though a row may now hold a
 * phone's hash: `kind` says which. The hashes of the two kinds never collide (the phone's keyed
 * text starts with `phone:`), so the one primary key still holds.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table suppression_list
      add column kind text not null default 'email' check (kind in ('email', 'phone')),
      add column tag text;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    delete from suppression_list where kind <> 'email';
    alter table suppression_list drop column tag, drop column kind;
  `);
}
