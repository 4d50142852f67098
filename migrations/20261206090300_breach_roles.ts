import type { Knex } from 'knex';

/**
 * Whose data a breach affects. `own_data`: the company is controller (the regulator's 72 hours and,
 * for a high risk, the individuals); `controllers_affected`: customers' data it processes (their
 * controllers told without undue delay, Art 33(2)). Breaches reported before this were all treated
 * as the company's own, so existing rows keep that.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table breaches add column own_data boolean not null default true;
    alter table breaches add constraint breaches_someones_data check (own_data or controllers_affected);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table breaches drop constraint breaches_someones_data, drop column own_data');
}
