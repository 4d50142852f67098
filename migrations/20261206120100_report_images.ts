import type { Knex } from 'knex';

/**
 * Report charts waiting to be shown in chat: Slack takes the file from the outbox's delivery, Teams
 * fetches it from GET /reports/charts/<token>.png under PUBLIC_URL. The token is random (128 bits)
 * and the row expires, so the address cannot be guessed and does not serve for ever. A chart holds
 * counts only, never personal data.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table report_images (
      token text primary key,
      quarter text not null,
      png bytea not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index report_images_expires_idx on report_images (expires_at);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table report_images');
}
