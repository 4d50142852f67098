import type { Knex } from 'knex';

/**
 * The clock as a history (Art 12A). `due_on` becomes empty while the clock has not started
 * (awaiting identity, authority or a fee) or stands still (clarification); `relevant_on` is the day
 * the period runs from. Both are kept in step with the request's waits by the service, from the one
 * pure function in src/domain/request-clock.ts. Rows written under the old model (every wait a
 * pause) are marked `clock_model = 1`; on start-up the service recomputes them with the configured
 * bank-holiday region and records each change in the audit trail, then marks them 2.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table requests
      alter column due_on drop not null,
      add column relevant_on date,
      add column forwarded_on date,
      add column clock_model smallint not null default 2;
    update requests set clock_model = 1, relevant_on = received_on;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    update requests set due_on = coalesce(due_on, (received_on + interval '1 month')::date);
    alter table requests
      alter column due_on set not null,
      drop column relevant_on,
      drop column forwarded_on,
      drop column clock_model;
  `);
}
