import type { Knex } from 'knex';

/**
 * The audit events about one reference (a request's trail in /dsr show, a purge's proof in the
 * accountability report) are read by subject: without an index each read scans the whole chain.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index audit_events_subject_idx on audit_events (subject)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index audit_events_subject_idx');
}
