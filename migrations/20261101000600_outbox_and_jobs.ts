import type { Knex } from 'knex';

/** The transactional outbox of chat messages, job runs claimed per period, reminders sent once. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table outbox (
      id bigint generated always as identity primary key,
      platform text not null check (platform in ('slack', 'teams')),
      operation text not null check (operation in ('post', 'update', 'ephemeral', 'direct')),
      channel text,
      card_key text,
      payload jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      last_error text,
      created_at timestamptz not null default now(),
      sent_at timestamptz
    );
    create index outbox_due_idx on outbox (next_attempt_at, id) where status = 'pending';

    create table job_runs (
      id bigint generated always as identity primary key,
      job text not null,
      period text not null,
      status text not null default 'running' check (status in ('running', 'done', 'failed')),
      details jsonb not null default '{}',
      error text,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      unique (job, period)
    );

    create table reminders_sent (
      subject_ref text not null,
      milestone text not null,
      sent_at timestamptz not null default now(),
      primary key (subject_ref, milestone)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table reminders_sent, job_runs, outbox');
}
