import type { Knex } from 'knex';

/** Suspected personal data breaches and the 72-hour clock. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table breaches (
      id bigint generated always as identity primary key,
      reference text not null unique,
      summary text not null,
      aware_at timestamptz not null,
      deadline_at timestamptz not null,
      reported_by text not null,
      status text not null default 'open' check (status in ('open', 'closed')),
      regulator_notified_at timestamptz,
      controllers_notified_at timestamptz,
      individuals_notified_at timestamptz,
      controllers_affected boolean not null default false,
      individuals_high_risk boolean not null default false,
      not_reportable_reason text,
      late_reason text,
      created_at timestamptz not null default now(),
      closed_at timestamptz
    );
    create index breaches_open_idx on breaches (deadline_at) where status = 'open';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table breaches');
}
