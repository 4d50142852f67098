import type { Knex } from 'knex';

/**
 * A notification on channel `govbot_outbox` whenever messages are queued. Postgres delivers it
 * only when the queuing transaction commits (and once per transaction, however many rows), so
 * every replica's delivery loop wakes at once, never before the message is visible, and an
 * idle service needs no polling thread to notice new work.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function outbox_notify() returns trigger language plpgsql as $$
    begin
      perform pg_notify('govbot_outbox', '');
      return null;
    end $$;
    create trigger outbox_notify after insert on outbox
      for each statement execute function outbox_notify();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger outbox_notify on outbox; drop function outbox_notify()');
}
