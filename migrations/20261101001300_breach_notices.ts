import type { Knex } from 'knex';

/**
 * Who recorded each breach notice and decision, and where the breach's card lives. The audit trail
 * holds the same facts; the card shows them without reading the chain.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table breaches
      add column platform text not null default 'slack' check (platform in ('slack', 'teams')),
      add column regulator_notified_by text,
      add column controllers_notified_by text,
      add column individuals_notified_by text,
      add column not_reportable_by text,
      add column not_reportable_at timestamptz,
      add column late_reason_by text;
    alter table breaches add constraint breaches_summary_not_blank check (btrim(summary) <> '');
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table breaches drop constraint breaches_summary_not_blank,
      drop column platform, drop column regulator_notified_by, drop column controllers_notified_by,
      drop column individuals_notified_by, drop column not_reportable_by, drop column not_reportable_at,
      drop column late_reason_by;
  `);
}
