import type { Knex } from 'knex';

/**
 * Withdrawing a request whose action the committee has approved undoes a quorum decision, so it
 * is itself a proposal needing the same quorum (`withdrawal`), not one member's command.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table proposals drop constraint proposals_kind_check;
    alter table proposals add constraint proposals_kind_check check (kind in ('identity', 'action', 'extension', 'refusal', 'purge', 'withdrawal'));
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    delete from votes where proposal_id in (select id from proposals where kind = 'withdrawal');
    delete from proposals where kind = 'withdrawal';
    alter table proposals drop constraint proposals_kind_check;
    alter table proposals add constraint proposals_kind_check check (kind in ('identity', 'action', 'extension', 'refusal', 'purge'));
  `);
}
