import type { Knex } from 'knex';

/**
 * Art 19: after a rectification, erasure or restriction, every recipient of the contact data (the
 * providers on the Article 30 register that receive it) must be told. One row per recipient owed,
 * per request, kept until it is recorded as told. Providers receive contact data unless marked
 * otherwise (`/gov processors add … --no-contact-data`).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table processors add column receives_contact_data boolean not null default true;
    create table recipient_notices (
      id bigint generated always as identity primary key,
      request_id bigint not null references requests (id) on delete cascade,
      processor_id bigint not null references processors (id) on delete cascade,
      change text not null check (change in ('rectification', 'erasure', 'restriction')),
      owed_since timestamptz not null,
      told_at timestamptz,
      told_by text,
      unique (request_id, processor_id)
    );
    create index recipient_notices_owed_idx on recipient_notices (owed_since) where told_at is null;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table recipient_notices; alter table processors drop column receives_contact_data');
}
