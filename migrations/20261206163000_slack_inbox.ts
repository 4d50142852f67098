import type { Knex } from 'knex';

/**
 * Slack work recorded before it is acknowledged. A slash command or a vote click is written here
 * in the same statement that checks its signature for a replay, then acknowledged, then worked
 * through by the service's inbox loop; the row goes when the work is done. A service killed right
 * after an ack still has the work here, and the next start (or another replica) does it. A worker
 * holds the row's lock while it works, and marks the start in slack_inbox_starts (committed at
 * once): a row found unlocked with a start mark is work a stopped process was in the middle of.
 *
 * `requests.delivery_key` names the inbox row that logged a request: work interrupted after its
 * intake committed finds the request already there when it runs again, and logs nothing twice.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table slack_inbox (
      id bigserial primary key,
      kind text not null,
      payload jsonb not null,
      received_at timestamptz not null default now()
    );
    -- Kept apart from slack_inbox so the mark can be committed while the worker still holds the row's lock.
    create table slack_inbox_starts (
      inbox_id bigint primary key,
      started_at timestamptz not null default now()
    );
    alter table requests add column delivery_key text unique;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table requests drop column delivery_key; drop table slack_inbox_starts; drop table slack_inbox');
}
