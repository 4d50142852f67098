import type { Knex } from 'knex';

/**
 * Fixed-window counters for intake limits, in Postgres so every replica counts the same hits. The
 * bucket is a keyed hash (of a client address or a person), never the address itself.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table rate_limits (
      bucket text not null,
      window_start timestamptz not null,
      hits integer not null,
      primary key (bucket, window_start)
    );
    create index rate_limits_window_idx on rate_limits (window_start);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table rate_limits');
}
