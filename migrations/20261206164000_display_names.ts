import type { Knex } from 'knex';

/**
 * The name each chat identity goes by ("teams:<object id>" → "Ada Lovelace"), as its platform last
 * gave it: Teams sends it with every activity, Slack answers users.info. Cards and replies show it
 * instead of the id. Staff names are personal data: kept here only, never in audit events or logs,
 * and overwritten whenever the platform gives a new one. Names already kept on committee rows
 * (the playground roster) move here.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table display_names (
      identity text primary key,
      name text not null check (length(name) between 1 and 100),
      updated_at timestamptz not null default now()
    );
    insert into display_names (identity, name)
      select platform || ':' || platform_user_id, left(display_name, 100) from committee_members
      where display_name is not null and length(display_name) > 0
      on conflict do nothing;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table display_names');
}
