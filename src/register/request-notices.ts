import type { Knex } from 'knex';
import type { IsoDate } from '../domain/dates.js';
import type { Platform } from './committee.js';
import type { Db } from './database.js';

/** Notices the individual is owed (src/domain/notices-owed.ts), one row per request and kind. */
export interface NoticeRow {
  id: number;
  request_id: number;
  kind: string;
  owed_since: IsoDate;
  due_by: IsoDate;
  told_on: IsoDate | null;
  told_by: string | null;
}

/** Records that a notice is owed; an existing one of the same kind is left as it is. */
export async function oweNotice(trx: Knex.Transaction, notice: Pick<NoticeRow, 'request_id' | 'kind' | 'owed_since' | 'due_by'>): Promise<boolean> {
  const rows = await trx('request_notices').insert(notice).onConflict(['request_id', 'kind']).ignore().returning('id');
  return rows.length > 0;
}

/** Marks an owed, untold notice as told; null when there is none to mark. */
export async function markNoticeTold(trx: Knex.Transaction, requestId: number, kind: string, toldOn: IsoDate, toldBy: string): Promise<NoticeRow | null> {
  const [row] = await trx('request_notices').where({ request_id: requestId, kind }).whereNull('told_on')
    .update({ told_on: toldOn, told_by: toldBy }).returning('*');
  return (row as NoticeRow | undefined) ?? null;
}

export async function noticesFor(db: Db | Knex.Transaction, requestId: number): Promise<NoticeRow[]> {
  return db('request_notices').where({ request_id: requestId }).orderBy('id').select<NoticeRow[]>('*');
}

export async function noticesForRequests(db: Db, requestIds: readonly number[]): Promise<NoticeRow[]> {
  if (requestIds.length === 0) return [];
  return db('request_notices').whereIn('request_id', requestIds).orderBy('id').select<NoticeRow[]>('*');
}

export interface UntoldNotice extends NoticeRow {
  reference: string;
  platform: Platform;
}

/** Every notice not yet told, open request or closed, for sla-reminders. */
export async function untoldNotices(db: Db): Promise<UntoldNotice[]> {
  const result = await db.raw<{ rows: UntoldNotice[] }>(`
    select n.*, r.reference, coalesce(r.details->>'platform', 'slack') as platform
    from request_notices n join requests r on r.id = n.request_id
    where n.told_on is null
    order by n.due_by, n.id`);
  return result.rows;
}
