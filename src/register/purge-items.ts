import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { ContactName } from '../domain/purge.js';
import type { RetentionReason } from '../domain/retention.js';
import type { Db } from './database.js';

/** The candidates of a purge batch: counts for its card, a sample, the list file, exclusions. */

type Conn = Db | Knex.Transaction;

export type PurgeItemStatus = 'pending' | 'excluded' | 'done' | 'skipped';

export interface PurgeItemCount {
  readonly reason: RetentionReason;
  readonly status: PurgeItemStatus;
  /** Why an item was excluded or skipped (a protection or a PurgeSkip); null otherwise. */
  readonly note: string | null;
  readonly count: number;
}

/** Counts by reason, status and note: a few dozen rows whatever the batch's size. */
export async function purgeItemCounts(db: Conn, batchId: number): Promise<PurgeItemCount[]> {
  const rows = await db('purge_items').where({ batch_id: batchId }).groupBy('reason', 'status', 'note')
    .orderBy(['reason', 'status', 'note']).select<{ reason: RetentionReason; status: PurgeItemStatus; note: string | null; count: string | number }[]>('reason', 'status', 'note', db.raw('count(*) as count'));
  return rows.map((row) => ({ reason: row.reason, status: row.status, note: row.note, count: Number(row.count) }));
}

export interface SampleCandidate {
  readonly contactId: number;
  readonly email: string;
  readonly reason: RetentionReason;
}

/**
 * Up to `perReason` pending candidates of each reason among the first few hundred (by id), for a
 * masked sample on the card. Bounded on purpose: the card is re-rendered after every vote, and a
 * sample from the whole of a large batch would cost a scan of it each time.
 */
export async function sampleCandidates(db: Conn, batchId: number, perReason: number): Promise<SampleCandidate[]> {
  const result = await db.raw<{ rows: { contact_id: number; email: string; reason: RetentionReason }[] }>(`
    with firsts as (
      select contact_id, reason, row_number() over (partition by reason order by contact_id) as rank
      from (select contact_id, reason from purge_items where batch_id = ? and status = 'pending'
        order by contact_id limit 500) f)
    select f.contact_id, c.email, f.reason from firsts f join contacts c on c.id = f.contact_id
    where f.rank <= ? order by f.reason, f.contact_id`, [batchId, perReason]);
  return result.rows.map((row) => ({ contactId: Number(row.contact_id), email: row.email, reason: row.reason }));
}

/**
 * A text cell a spreadsheet would run as a formula (a leading =, +, -, @, tab or carriage return)
 * gets a leading apostrophe, so opening the list can never execute what a CRM field holds.
 */
export const formulaSafeSql = (value: string) => `case when ${value} ~ '^[-=+@\\t\\r]' then '''' || ${value} else ${value} end`;

/**
 * The candidate list as CSV (`contact_id,external_id,reason,kept_back`, in order of contact id),
 * written by Postgres itself: `COPY (…) TO STDOUT` quotes each field as RFC 4180 asks, and the
 * bytes stream out with back-pressure, so a list of a million lines costs the process no more
 * memory than one of ten. Needs a transaction (it runs on the transaction's connection).
 * `rowCount` is the number of candidate lines once the stream has ended.
 */
export async function candidateCsvStream(trx: Knex.Transaction, batchId: number): Promise<Readable & { rowCount: number }> {
  if (!Number.isSafeInteger(batchId)) throw new RangeError('batch id must be a whole number');
  const client = await trx.client.acquireConnection() as pg.Client;
  return client.query(copyStreams.to(`copy (
    select i.contact_id, ${formulaSafeSql('c.external_id')} as external_id, i.reason,
      case when i.status = 'excluded' then coalesce(i.note, 'excluded') end as kept_back
    from purge_items i left join contacts c on c.id = i.contact_id
    where i.batch_id = ${batchId} order by i.contact_id) to stdout with (format csv, header true)`));
}

/** Contacts a `/gov purge exclude` word can mean: by external_id, or by register id. */
export async function contactsNamed(db: Conn, name: ContactName): Promise<{ id: number; external_id: string | null }[]> {
  const query = db('contacts').select<{ id: number; external_id: string | null }[]>('id', 'external_id').orderBy('id');
  if (name.kind === 'id') return query.where('id', name.id);
  return query.where('external_id', name.externalId).modify((q) => { if (name.id !== null) q.orWhere('id', name.id); });
}

export async function lockPurgeItem(trx: Knex.Transaction, batchId: number, contactId: number): Promise<{ reason: RetentionReason; status: PurgeItemStatus; note: string | null } | null> {
  return (await trx('purge_items').where({ batch_id: batchId, contact_id: contactId }).forUpdate()
    .first<{ reason: RetentionReason; status: PurgeItemStatus; note: string | null } | undefined>('reason', 'status', 'note')) ?? null;
}

export async function excludePurgeItem(trx: Knex.Transaction, batchId: number, contactId: number, at: Date): Promise<void> {
  await trx('purge_items').where({ batch_id: batchId, contact_id: contactId }).update({ status: 'excluded', note: 'excluded', processed_at: at });
}

/** The committee's standing decision to keep a contact out of deletion reviews (it cascades with the contact). */
export async function insertRetentionExclusion(trx: Knex.Transaction, exclusion: { contact_id: number; reason: string; excluded_by: string; purge_batch_id: number | null; created_at: Date }): Promise<number> {
  const [row] = await trx('retention_exclusions').insert(exclusion).returning('id');
  return Number((row as { id: number }).id);
}
