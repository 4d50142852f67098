import type { Knex } from 'knex';

/** Everything the committee votes on, the votes, and the register changes approval sets off. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table proposals (
      id bigint generated always as identity primary key,
      kind text not null check (kind in ('identity', 'action', 'extension', 'refusal', 'purge')),
      request_id bigint references requests (id) on delete cascade,
      purge_batch_id bigint,
      quorum integer not null check (quorum >= 1),
      status text not null default 'open' check (status in ('open', 'approved', 'rejected', 'superseded', 'cancelled')),
      proposed_by text not null,
      requested_by text,
      summary jsonb not null default '{}',
      decision_reason text,
      decided_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index proposals_request_idx on proposals (request_id);
    -- Only one undecided purge at a time.
    create unique index proposals_one_open_purge_idx on proposals (kind) where kind = 'purge' and status = 'open';

    create table votes (
      id bigint generated always as identity primary key,
      proposal_id bigint not null references proposals (id) on delete cascade,
      member text not null,
      decision text not null check (decision in ('approve', 'reject')),
      reason text,
      created_at timestamptz not null default now(),
      unique (proposal_id, member)
    );

    create table actions (
      id bigint generated always as identity primary key,
      proposal_id bigint not null unique references proposals (id),
      request_id bigint references requests (id) on delete cascade,
      kind text not null,
      params jsonb not null default '{}',
      status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
      attempts integer not null default 0,
      last_error text,
      result jsonb,
      queued_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz
    );
    create index actions_queued_idx on actions (id) where status in ('queued', 'running');
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table actions, votes, proposals');
}
