import type { Knex } from 'knex';
import type { Db } from './database.js';

/** Art 19 notices owed to the recipients of contact data (see the recipient_notices migration). */

type Conn = Db | Knex.Transaction;
export type RecipientChange = 'rectification' | 'erasure' | 'restriction';

export interface RecipientNoticeRow {
  readonly processor_id: number;
  readonly processor: string;
  readonly change: RecipientChange;
  readonly owed_since: Date;
  readonly told_at: Date | null;
  readonly told_by: string | null;
}

/** One notice per provider receiving contact data and change; a retry owes nothing twice. Returns how many were added. */
export async function oweRecipientNotices(trx: Knex.Transaction, requestId: number, change: RecipientChange, at: Date): Promise<number> {
  const result = await trx.raw<{ rowCount: number }>(`
    insert into recipient_notices (request_id, processor_id, change, owed_since)
    select ?, p.id, ?, ? from processors p where p.receives_contact_data
    on conflict (request_id, processor_id, change) do nothing`, [requestId, change, at]);
  return result.rowCount;
}

export async function recipientNoticesFor(db: Conn, requestId: number): Promise<RecipientNoticeRow[]> {
  return db('recipient_notices as n').join('processors as p', 'p.id', 'n.processor_id').where('n.request_id', requestId)
    .orderBy(['p.name', 'n.id']).select<RecipientNoticeRow[]>('n.processor_id', 'p.name as processor', 'n.change', 'n.owed_since', 'n.told_at', 'n.told_by');
}

/** Records a provider as told of every change still owed to it; false when it was told already (the first record stands). */
export async function markRecipientTold(trx: Knex.Transaction, requestId: number, processorId: number, at: Date, by: string): Promise<boolean> {
  const rows = await trx('recipient_notices').where({ request_id: requestId, processor_id: processorId }).whereNull('told_at')
    .update({ told_at: at, told_by: by }).returning('id');
  return rows.length > 0;
}

export interface OwedRecipientNotice {
  readonly reference: string;
  readonly platform: 'slack' | 'teams';
  readonly processor_id: number;
  readonly processor: string;
  readonly change: RecipientChange;
  readonly owed_since: Date;
}

/** Every notice still owed, oldest first, with where its request's card lives. */
export async function owedRecipientNotices(db: Conn): Promise<OwedRecipientNotice[]> {
  return db('recipient_notices as n').join('processors as p', 'p.id', 'n.processor_id').join('requests as r', 'r.id', 'n.request_id')
    .whereNull('n.told_at').orderBy(['n.owed_since', 'n.id'])
    .select<OwedRecipientNotice[]>('r.reference', db.raw(`coalesce(r.details->>'platform', 'slack') as platform`), 'n.processor_id', 'p.name as processor', 'n.change', 'n.owed_since');
}
