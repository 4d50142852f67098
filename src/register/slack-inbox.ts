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

export interface Inbound {
  /** The signature's hex digest; null in Socket Mode, whose requests carry none. */
  readonly signature: string | null;
  readonly kind: string;
  readonly payload: Record<string, unknown>;
}

/** The statement of recordInbound, below; its one binding is the requests as a JSON array. */
const RECORD_INBOUND = `
    with input as (select * from jsonb_to_recordset(?::jsonb) as x(n integer, signature text, kind text, payload jsonb, again boolean)),
    forgotten as (delete from slack_deliveries where seen_at < now() - interval '${REMEMBER_SIGNATURES}'),
    taken as (
      insert into slack_deliveries (signature) select signature from input where signature is not null and not again
      on conflict (signature) do nothing returning signature),
    recorded as (
      insert into slack_inbox (kind, payload)
      select kind, payload from input where signature is null or (not again and signature in (select signature from taken)) order by n
      returning id)
    select signature from taken`;

/**
 * The record above with nothing to record, on one session of the pool (see prepareWholePool): the
 * session then has the inbox's tables and the statement's plan at hand for the first request.
 */
export async function prepareInboxRecording(db: Db, session: unknown): Promise<void> {
  await db.raw(RECORD_INBOUND, ['[]']).connection(session);
}

/**
 * Records work to do after the ack, for several requests at once, in one statement with the replay
 * check: signatures are taken (and those past the window forgotten) and the work of each request
 * whose signature was new is inserted, in the order given. Returns, per request, whether it was
 * recorded (false: a replay, its signature seen before or earlier in the same list).
 */
export async function recordInbound(db: Db, requests: readonly Inbound[]): Promise<boolean[]> {
  const seen = new Set<string>();
  const rows = requests.map((r, n) => {
    const again = r.signature !== null && seen.has(r.signature);
    if (r.signature !== null) seen.add(r.signature);
    return { n, signature: r.signature, kind: r.kind, payload: r.payload, again };
  });
  const result = await db.raw<{ rows: { signature: string }[] }>(RECORD_INBOUND, [JSON.stringify(rows)]);
  const taken = new Set(result.rows.map((r) => r.signature));
  return rows.map((r) => r.signature === null || (!r.again && taken.has(r.signature)));
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
