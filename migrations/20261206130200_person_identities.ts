import type { Knex } from 'knex';

/**
 * One person, several chat identities ("slack:U0123" and "teams:<object id>"), linked by a chair
 * with /gov members link. Votes are counted and self-approval is judged by person: someone rostered
 * on both platforms counts once, and cannot approve on one what they asked for on the other. An
 * identity with no row is a person of its own. `person` is the first identity of the group.
 * `requester_identities` on a proposal records every identity its requester was known by when it
 * was made, so a link removed later cannot open the way to approving one's own request.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table person_identities (
      identity text primary key,
      person text not null,
      linked_by text not null,
      linked_at timestamptz not null default now()
    );
    create index person_identities_person_idx on person_identities (person);
    alter table proposals add column requester_identities text[] not null default '{}';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table proposals drop column requester_identities; drop table person_identities');
}
