import type { Knex } from 'knex';

/**
 * Slack requests already taken, by signature. Slack's v0 signature covers the body and a
 * timestamp, not a nonce, so within its five-minute window a captured request would verify again;
 * remembering each signature for ten minutes makes a replay a no-op on every replica.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table slack_deliveries (
      signature text primary key,
      seen_at timestamptz not null default now()
    );
    create index slack_deliveries_seen_idx on slack_deliveries (seen_at);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table slack_deliveries');
}
