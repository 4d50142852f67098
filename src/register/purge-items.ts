import type { Knex } from 'knex';
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
 * How many of the batch's pending candidates are tagged "Do not contact": the card says that for
 * them only the suppression record will remain. One join on primary keys, for the proposal's card.
 */
export async function pendingDoNotContactCount(db: Conn, batchId: number): Promise<number> {
  const row = await db('purge_items as i').join('contacts as c', 'c.id', 'i.contact_id')
    .where({ 'i.batch_id': batchId, 'i.status': 'pending', 'c.do_not_contact': true })
    .first<{ count: string | number }>(db.raw('count(*) as count'));
  return Number(row?.count ?? 0);
}

/** An RFC 4180 field in SQL: quoted, quotes doubled, when it holds a comma, quote or line break. */
const csvField = (value: string) => `case when ${value} is null then '' when ${value} ~ '[",\\r\\n]'
  then '"' || replace(${value}, '"', '""') || '"' else ${value} end`;

/**
 * The candidate list as CSV text (`contact_id,external_id,reason,kept_back` lines), in order of
 * contact id, through a cursor: one query plan for the whole list. Postgres builds the lines and
 * joins them into one text per range of `idsPerPage` contact ids, so a page arrives as a single
 * string (never more than that range's lines in memory) instead of thousands of row objects.
 * Needs a transaction.
 */
export async function* candidateCsvPages(trx: Knex.Transaction, batchId: number, idsPerPage: number): AsyncGenerator<string> {
  if (!Number.isSafeInteger(batchId) || !Number.isSafeInteger(idsPerPage) || idsPerPage < 1) throw new RangeError('batch id and page size must be whole numbers');
  const cursor = `purge_candidates_${batchId}`;
  await trx.raw(`declare ${cursor} no scroll cursor for
    select string_agg(i.contact_id || ',' || ${csvField('c.external_id')} || ',' || i.reason || ','
      || case when i.status = 'excluded' then coalesce(i.note, 'excluded') else '' end || E'\\r\\n', '' order by i.contact_id) as page
    from purge_items i left join contacts c on c.id = i.contact_id
    where i.batch_id = ${batchId} group by i.contact_id / ${idsPerPage} order by i.contact_id / ${idsPerPage}`);
  try {
    for (;;) {
      const fetched = await trx.raw<{ rows: { page: string }[] }>(`fetch 4 from ${cursor}`);
      if (fetched.rows.length === 0) return;
      for (const row of fetched.rows) yield row.page;
    }
  } finally {
    await trx.raw(`close ${cursor}`);
  }
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
