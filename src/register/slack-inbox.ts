import type { Knex } from 'knex';
import type { Db } from './database.js';
import { REMEMBER_SIGNATURES } from './slack-deliveries.js';

/** Slack work recorded before its ack (migration 20261206163000_slack_inbox). */
export interface InboxItem {
  readonly id: number;
  readonly kind: string;
  readonly payload: Record<string, unknown>;
  /** A process that stopped was working on it: its effect may or may not have committed. */
  readonly interrupted: boolean;
}

/**
 * Records work to do after the ack, in one statement with the replay check: the signature is taken
 * (and signatures past the window forgotten) and the work inserted only if the signature was new.
 * Returns the inbox id, or null for a replay. Socket Mode requests carry no signature.
 */
export async function recordInbound(db: Db, signature: string | null, kind: string, payload: Record<string, unknown>): Promise<number | null> {
  const json = JSON.stringify(payload);
  if (signature === null) {
    const result = await db.raw<{ rows: { id: string }[] }>('insert into slack_inbox (kind, payload) values (?, ?::jsonb) returning id', [kind, json]);
    return Number(result.rows[0]!.id);
  }
  const result = await db.raw<{ rows: { id: string }[] }>(`
    with forgotten as (delete from slack_deliveries where seen_at < now() - interval '${REMEMBER_SIGNATURES}'),
    first as (insert into slack_deliveries (signature) values (?) on conflict (signature) do nothing returning 1)
    insert into slack_inbox (kind, payload) select ?, ?::jsonb where exists (select 1 from first) returning id`, [signature, kind, json]);
  return result.rows.length > 0 ? Number(result.rows[0]!.id) : null;
}

/**
 * The oldest item no other worker holds, locked for the caller's transaction (which the worker
 * keeps open while it works, so a stopped worker's lock goes with its connection). The start mark
 * is read in the same statement: one already there means the item was begun before.
 */
export async function claimInboxItem(trx: Knex.Transaction): Promise<InboxItem | null> {
  const result = await trx.raw<{ rows: { id: string; kind: string; payload: Record<string, unknown>; started: boolean }[] }>(`
    select i.id, i.kind, i.payload, exists (select 1 from slack_inbox_starts s where s.inbox_id = i.id) as started
    from slack_inbox i order by i.id limit 1 for update of i skip locked`);
  const row = result.rows[0];
  return row ? { id: Number(row.id), kind: row.kind, payload: row.payload, interrupted: row.started } : null;
}

/** Committed at once, outside the claiming transaction, so it survives the worker's death. */
export async function markInboxItemStarted(db: Db, id: number): Promise<void> {
  await db.raw('insert into slack_inbox_starts (inbox_id) values (?) on conflict do nothing', [id]);
}

export async function finishInboxItem(trx: Knex.Transaction, id: number): Promise<void> {
  await trx.raw('with started as (delete from slack_inbox_starts where inbox_id = ?) delete from slack_inbox where id = ?', [id, id]);
}

/** Items waiting: for a clean stop's log line, and for tests. */
export async function countInboxItems(db: Db): Promise<number> {
  const result = await db.raw<{ rows: { count: string }[] }>('select count(*) as count from slack_inbox');
  return Number(result.rows[0]!.count);
}
