import type { Knex } from 'knex';
import type { Platform } from './committee.js';
import type { Db } from './database.js';

/** Suspected personal data breaches, the 72-hour clock and the notices given. */
export interface BreachRow {
  id: number;
  reference: string;
  summary: string;
  aware_at: Date;
  deadline_at: Date;
  reported_by: string;
  status: 'open' | 'closed';
  platform: Platform;
  /** The company's own data is affected (it is the controller); false: customers' data only. */
  own_data: boolean;
  controllers_affected: boolean;
  individuals_high_risk: boolean;
  regulator_notified_at: Date | null;
  regulator_notified_by: string | null;
  controllers_notified_at: Date | null;
  controllers_notified_by: string | null;
  individuals_notified_at: Date | null;
  individuals_notified_by: string | null;
  not_reportable_reason: string | null;
  not_reportable_by: string | null;
  not_reportable_at: Date | null;
  late_reason: string | null;
  late_reason_by: string | null;
  created_at: Date;
  closed_at: Date | null;
}

export type NewBreach = Pick<BreachRow, 'reference' | 'summary' | 'aware_at' | 'deadline_at' | 'reported_by' | 'platform' | 'own_data' | 'controllers_affected' | 'individuals_high_risk'>;

/** What a recorded notice or decision may change. */
export type BreachPatch = Partial<Omit<BreachRow, 'id' | 'reference' | 'summary' | 'aware_at' | 'deadline_at' | 'reported_by' | 'created_at' | 'platform'>>;

export async function insertBreach(trx: Knex.Transaction, breach: NewBreach): Promise<BreachRow> {
  const [row] = await trx('breaches').insert(breach).returning<BreachRow[]>('*');
  return row!;
}

/** Row-locked, so two notices recorded at once on one breach are applied one after the other. */
export async function lockBreachByRef(trx: Knex.Transaction, reference: string): Promise<BreachRow | null> {
  return (await trx('breaches').where({ reference }).forUpdate().first<BreachRow | undefined>()) ?? null;
}

export async function updateBreach(trx: Knex.Transaction, id: number, patch: BreachPatch): Promise<BreachRow> {
  const [row] = await trx('breaches').where({ id }).update(patch).returning<BreachRow[]>('*');
  return row!;
}

/** Open breaches (deadline first), then those closed since `closedSince` (latest first). */
export async function listOpenAndRecentBreaches(db: Db, closedSince: Date, limit: number): Promise<BreachRow[]> {
  const open = await db('breaches').where({ status: 'open' }).orderBy([{ column: 'deadline_at' }, { column: 'id' }])
    .limit(limit).select<BreachRow[]>('*');
  const closed = await db('breaches').where({ status: 'closed' }).where('closed_at', '>=', closedSince)
    .orderBy('closed_at', 'desc').limit(Math.max(0, limit - open.length)).select<BreachRow[]>('*');
  return [...open, ...closed];
}

export interface ClockedBreach {
  id: number;
  reference: string;
  aware_at: Date;
  platform: Platform;
  /** The regulator's 72 hours run (own data, not decided not reportable, not yet told). */
  regulator_owed: boolean;
  /** Controllers are owed a notice not yet given. */
  controllers_owed: boolean;
  /** Clock milestones already announced (`reminders_sent`), e.g. ['clock:24']. */
  announced: string[];
}

/**
 * Open breaches whose regulator notice is still owed (the 72-hour clock runs) or whose controllers
 * are still to be told: the ones the hourly breach-clock job looks at.
 */
export async function breachesOnTheClock(db: Db): Promise<ClockedBreach[]> {
  const result = await db.raw<{ rows: ClockedBreach[] }>(`
    select b.id, b.reference, b.aware_at, b.platform,
      (b.own_data and b.regulator_notified_at is null and b.not_reportable_at is null) as regulator_owed,
      (b.controllers_affected and b.controllers_notified_at is null) as controllers_owed,
      coalesce((select array_agg(r.milestone order by r.milestone) from reminders_sent r
        where r.subject_ref = b.reference and r.milestone like 'clock:%'), '{}') as announced
    from breaches b
    where b.status = 'open' and (
      (b.own_data and b.regulator_notified_at is null and b.not_reportable_at is null)
      or (b.controllers_affected and b.controllers_notified_at is null))
    order by b.deadline_at, b.id`);
  return result.rows;
}
