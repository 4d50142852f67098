import type { Knex } from 'knex';

/** Quarterly deletion reviews: one batch per quarter, one item per candidate contact. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table purge_batches (
      id bigint generated always as identity primary key,
      reference text not null unique,
      as_of date not null,
      status text not null default 'proposed' check (status in ('proposed', 'approved', 'running', 'done', 'rejected', 'superseded')),
      counts jsonb not null default '{}',
      candidate_file text,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz
    );
    alter table proposals add constraint proposals_purge_batch_fk
      foreign key (purge_batch_id) references purge_batches (id);

    -- contact_id has no foreign key: items outlive the contacts they delete.
    create table purge_items (
      batch_id bigint not null references purge_batches (id) on delete cascade,
      contact_id bigint not null,
      reason text not null check (reason in ('R1', 'R2', 'R3', 'R4')),
      status text not null default 'pending' check (status in ('pending', 'excluded', 'done', 'skipped')),
      note text,
      processed_at timestamptz,
      primary key (batch_id, contact_id)
    );
    create index purge_items_pending_idx on purge_items (batch_id, contact_id) where status = 'pending';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table purge_items; alter table proposals drop constraint proposals_purge_batch_fk; drop table purge_batches');
}
