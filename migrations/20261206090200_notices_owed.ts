import type { Knex } from 'knex';

/**
 * What the individual is owed a notice of (an extension with its reasons, a refusal, a rejected
 * identity, the outcome), when it became owed, by when, and when they were told. One row per
 * request and kind. `kind` is free text checked by src/domain/notices-owed.ts, so a new kind of
 * notice needs no schema change.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table request_notices (
      id bigint generated always as identity primary key,
      request_id bigint not null references requests (id) on delete cascade,
      kind text not null check (kind ~ '^[a-z][a-z-]*$'),
      owed_since date not null,
      due_by date not null,
      told_on date,
      told_by text,
      created_at timestamptz not null default now(),
      unique (request_id, kind)
    );
    create index request_notices_untold_idx on request_notices (due_by) where told_on is null;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table request_notices');
}
