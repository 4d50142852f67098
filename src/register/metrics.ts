import type { Db } from './database.js';

/** Figures for /metrics, each one aggregate query. */
export async function jobRunCounts(db: Db): Promise<{ job: string; status: string; count: number }[]> {
  const result = await db.raw<{ rows: { job: string; status: string; count: number }[] }>(
    'select job, status, count(*)::int as count from job_runs group by job, status order by job, status');
  return result.rows;
}

export async function outboxCounts(db: Db): Promise<{ pending: number; failing: number; oldestPendingSeconds: number }> {
  const result = await db.raw<{ rows: { pending: number; failing: number; oldest: number | null }[] }>(`
    select count(*)::int as pending, count(*) filter (where attempts > 0)::int as failing,
      extract(epoch from now() - min(created_at))::float as oldest
    from outbox where status = 'pending'`);
  const row = result.rows[0];
  return { pending: row?.pending ?? 0, failing: row?.failing ?? 0, oldestPendingSeconds: row?.oldest ?? 0 };
}

/** Open requests bucketed by calendar days left until their due date (negative: overdue). */
export async function openRequestsByDaysLeft(db: Db, today: string): Promise<{ bucket: string; count: number }[]> {
  const result = await db.raw<{ rows: { bucket: string; count: number }[] }>(`
    select case when due_on < ?::date then 'overdue'
                when due_on = ?::date then 'today'
                when due_on <= ?::date + 3 then '1-3'
                when due_on <= ?::date + 7 then '4-7'
                else 'later' end as bucket, count(*)::int as count
    from requests where closed_at is null group by 1`, [today, today, today, today]);
  return result.rows;
}
