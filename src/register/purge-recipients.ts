import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { Platform } from './committee.js';
import type { Db } from './database.js';
import { formulaSafeSql } from './purge-items.js';

/**
 * Art 19 for a purge (see the purge_recipient_notices migration): the providers that receive
 * contact data, each owed a notice of what a purge deleted, with the CRM ids it must act on.
 */

type Conn = Db | Knex.Transaction;

export interface ContactRecipient {
  readonly id: number;
  readonly name: string;
}

/** Providers on the Article 30 register that receive contact data, by name. */
export async function contactDataRecipients(db: Conn): Promise<ContactRecipient[]> {
  const rows = await db('processors').where({ receives_contact_data: true }).orderBy('name').select<{ id: string | number; name: string }[]>('id', 'name');
  return rows.map((row) => ({ id: Number(row.id), name: row.name }));
}

/** How many CRM ids the batch's deleted contacts left for the recipients' files. */
export async function erasedCrmIdCount(db: Conn, batchId: number): Promise<number> {
  const row = await db('purge_erased_crm_ids').where({ batch_id: batchId }).count<{ count: string | number }[]>({ count: '*' }).first();
  return Number(row?.count ?? 0);
}

/**
 * The CRM ids of the contacts the batch deleted, one per line (`external_id`, formula-safe), in
 * order of register id, written by Postgres (COPY … TO STDOUT). Needs a transaction.
 */
export async function deletedExternalIdsCsv(trx: Knex.Transaction, batchId: number): Promise<Readable & { rowCount: number }> {
  if (!Number.isSafeInteger(batchId)) throw new RangeError('batch id must be a whole number');
  const client = await trx.client.acquireConnection() as pg.Client;
  return client.query(copyStreams.to(`copy (
    select ${formulaSafeSql('external_id')} as external_id from purge_erased_crm_ids
    where batch_id = ${batchId} order by contact_id) to stdout with (format csv, header true)`));
}

/** Once the recipients' files are written, the register forgets the deleted contacts' CRM ids. */
export async function clearDeletedExternalIds(trx: Knex.Transaction, batchId: number): Promise<void> {
  await trx('purge_erased_crm_ids').where({ batch_id: batchId }).delete();
}

export interface PurgeRecipientNoticeRow {
  readonly processor_id: number;
  readonly processor: string;
  readonly owed_count: number;
  readonly listed_count: number;
  readonly file_name: string | null;
  readonly file_sha256: string | null;
  readonly owed_since: Date;
  readonly told_at: Date | null;
  readonly told_by: string | null;
}

/** A resumed or repeated finish owes nothing twice: one row per batch and provider. */
export async function owePurgeRecipients(trx: Knex.Transaction, batchId: number, notices: readonly { processorId: number; owedCount: number; listedCount: number; fileName: string | null; sha256: string | null }[], at: Date): Promise<number> {
  if (notices.length === 0) return 0;
  const rows = await trx('purge_recipient_notices').insert(notices.map((n) => ({
    batch_id: batchId, processor_id: n.processorId, owed_count: n.owedCount, listed_count: n.listedCount, file_name: n.fileName, file_sha256: n.sha256, owed_since: at,
  }))).onConflict(['batch_id', 'processor_id']).ignore().returning('id');
  return rows.length;
}

export async function purgeRecipientNotices(db: Conn, batchId: number): Promise<PurgeRecipientNoticeRow[]> {
  const rows = await db('purge_recipient_notices as n').join('processors as p', 'p.id', 'n.processor_id').where('n.batch_id', batchId).orderBy('p.name')
    .select<PurgeRecipientNoticeRow[]>('n.processor_id', 'p.name as processor', 'n.owed_count', 'n.listed_count', 'n.file_name', 'n.file_sha256', 'n.owed_since', 'n.told_at', 'n.told_by');
  return rows.map((row) => ({ ...row, processor_id: Number(row.processor_id) }));
}

/** Records one as told; null when it was told already (the first record stands), else its file's name. */
export async function markPurgeRecipientTold(trx: Knex.Transaction, batchId: number, processorId: number, at: Date, by: string): Promise<{ file_name: string | null } | null> {
  const rows = await trx('purge_recipient_notices').where({ batch_id: batchId, processor_id: processorId }).whereNull('told_at')
    .update({ told_at: at, told_by: by }).returning<{ file_name: string | null }[]>('file_name');
  return rows[0] ?? null;
}

export interface OwedPurgeRecipientNotice {
  readonly reference: string;
  readonly platform: Platform;
  readonly processor_id: number;
  readonly processor: string;
  readonly owed_count: number;
  readonly owed_since: Date;
}

/** Every purge notice still owed, oldest first, with the platform of the purge's card. */
export async function owedPurgeRecipientNotices(db: Conn): Promise<OwedPurgeRecipientNotice[]> {
  const rows = await db('purge_recipient_notices as n').join('processors as p', 'p.id', 'n.processor_id').join('purge_batches as b', 'b.id', 'n.batch_id')
    .whereNull('n.told_at').orderBy(['n.owed_since', 'n.id'])
    .select<OwedPurgeRecipientNotice[]>('b.reference', db.raw(`coalesce((select pr.summary->>'platform' from proposals pr where pr.purge_batch_id = b.id order by pr.id desc limit 1), 'slack') as platform`),
      'n.processor_id', 'p.name as processor', 'n.owed_count', 'n.owed_since');
  return rows.map((row) => ({ ...row, processor_id: Number(row.processor_id) }));
}
