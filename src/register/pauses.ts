import type { Knex } from 'knex';
import type { IsoDate } from '../domain/dates.js';
import type { Db } from './database.js';

export type PauseKind = 'identity' | 'authority' | 'clarification' | 'fee';

export interface PauseRow {
  id: number;
  request_id: number;
  kind: PauseKind;
  note: string | null;
  paused_on: IsoDate;
  resumed_on: IsoDate | null;
  paused_by: string;
}

/** Opens a pause; false if one is already open (the unique index keeps it to one). */
export async function openPause(trx: Knex.Transaction, pause: Omit<PauseRow, 'id' | 'resumed_on'>): Promise<boolean> {
  const rows = await trx.raw<{ rows: unknown[] }>(`
    insert into request_pauses (request_id, kind, note, paused_on, paused_by) values (?, ?, ?, ?, ?)
    on conflict (request_id) where resumed_on is null do nothing returning id`,
  [pause.request_id, pause.kind, pause.note, pause.paused_on, pause.paused_by]);
  return rows.rows.length > 0;
}

export async function closePause(trx: Knex.Transaction, requestId: number, resumedOn: IsoDate, resumedBy: string): Promise<PauseRow | null> {
  const [row] = await trx('request_pauses').where({ request_id: requestId }).whereNull('resumed_on')
    .update({ resumed_on: resumedOn, resumed_by: resumedBy }).returning('*');
  return (row as PauseRow | undefined) ?? null;
}

export async function pausesFor(db: Db, requestId: number): Promise<PauseRow[]> {
  return db('request_pauses').where({ request_id: requestId }).orderBy('id').select<PauseRow[]>('*');
}

/** Every wait of these requests, for clocks computed in bulk (`/dsr list`, reminders). */
export async function pausesForRequests(db: Db, requestIds: readonly number[]): Promise<PauseRow[]> {
  if (requestIds.length === 0) return [];
  return db('request_pauses').whereIn('request_id', requestIds).orderBy('id').select<PauseRow[]>('*');
}
