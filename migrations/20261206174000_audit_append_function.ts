import type { Knex } from 'knex';

/**
 * Appending an audit event in one round trip. The function takes the chain's advisory lock, reads
 * the last event and inserts the next, hashing `prev_hash ‖ before ‖ id ‖ after` where Node sent
 * the canonical event's halves around its id (src/domain/audit-chain.ts canonicalEventAroundId):
 * the same bytes, so the same hash, as Node's eventHash, and `govbot audit verify` is unchanged.
 * Inside a plpgsql function each statement takes a fresh snapshot under read committed, so the
 * last event is read after the lock is held, never before; anything else is refused, as before.
 * The lock key is the one appends have always used ('govaudit' in ASCII).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function audit_append(
      p_occurred_at timestamptz, p_actor text, p_action text, p_subject text, p_facts jsonb,
      p_before bytea, p_after bytea
    ) returns table (id bigint, hash text) language plpgsql volatile as $$
    declare
      v_isolation text := current_setting('transaction_isolation');
      v_last_id bigint;
      v_prev text;
      v_id bigint;
      v_hash text;
    begin
      if v_isolation <> 'read committed' then
        raise exception 'audit_append needs a read committed transaction, not %: its snapshot would miss events appended while it waited for the lock', v_isolation
          using errcode = 'GA001';
      end if;
      perform pg_advisory_xact_lock(7453010373645639028);
      select e.id, e.hash into v_last_id, v_prev from audit_events e order by e.id desc limit 1;
      v_id := coalesce(v_last_id, 0) + 1;
      v_prev := coalesce(v_prev, repeat('0', 64));
      v_hash := encode(sha256(convert_to(v_prev, 'UTF8') || p_before || convert_to(v_id::text, 'UTF8') || p_after), 'hex');
      insert into audit_events (id, occurred_at, actor, action, subject, facts, prev_hash, hash)
        values (v_id, p_occurred_at, p_actor, p_action, p_subject, p_facts, v_prev, v_hash);
      return query select v_id, v_hash;
    end $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function audit_append(timestamptz, text, text, text, jsonb, bytea, bytea)');
}
