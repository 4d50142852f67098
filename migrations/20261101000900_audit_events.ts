import type { Knex } from 'knex';

/**
 * The audit chain. Append-only at the database: a trigger refuses UPDATE and DELETE on rows and
 * TRUNCATE on the table, so not even a bug in govbot can rewrite history. Someone with superuser
 * rights can still disable the trigger; the hash chain is what catches that (govbot audit verify).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table audit_events (
      id bigint primary key,
      occurred_at timestamptz not null,
      actor text not null,
      action text not null,
      subject text,
      facts jsonb not null default '{}',
      prev_hash text not null,
      hash text not null unique
    );

    create function audit_events_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_events is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end;
    $$;
    create trigger audit_events_no_update_delete before update or delete on audit_events
      for each row execute function audit_events_refuse_change();
    create trigger audit_events_no_truncate before truncate on audit_events
      for each statement execute function audit_events_refuse_change();
  `);
}

export async function down(knex: Knex): Promise<void> {
  // Dropping the table is the one way to remove it: the trigger guards rows, not the table.
  await knex.raw('drop table audit_events; drop function audit_events_refuse_change()');
}
