import type { Knex } from 'knex';

/** The committee roster, its settings (the committee channel) and the chat messages it was sent. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table committee_members (
      id bigint generated always as identity primary key,
      platform text not null check (platform in ('slack', 'teams')),
      platform_user_id text not null,
      display_name text,
      role text not null default 'member' check (role in ('member', 'chair')),
      added_by text,
      created_at timestamptz not null default now(),
      removed_at timestamptz,
      unique (platform, platform_user_id)
    );

    create table settings (
      key text primary key,
      value jsonb not null,
      updated_by text,
      updated_at timestamptz not null default now()
    );

    -- Where each card was posted, so later changes update it in place.
    create table chat_messages (
      id bigint generated always as identity primary key,
      platform text not null check (platform in ('slack', 'teams')),
      card_key text not null,
      channel text not null,
      message_id text not null,
      conversation jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (platform, card_key)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table chat_messages, settings, committee_members');
}
