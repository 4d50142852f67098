import type { Db } from './database.js';

export interface JobRunRow {
  id: number;
  job: string;
  period: string;
  status: 'running' | 'done' | 'failed';
  started_at: Date;
  finished_at: Date | null;
  error: string | null;
}

/**
 * Claims one run of `job` for `period` (e.g. "2026-11-26" for a daily job). The unique key on
 * (job, period) means that of two replicas firing the same schedule, one wins. A failed run, or a
 * run whose process died (still 'running' after the lease), can be claimed again.
 */
export async function claimJobRun(db: Db, job: string, period: string, now: Date, leaseMs: number): Promise<number | null> {
  const staleBefore = new Date(now.getTime() - leaseMs);
  const result = await db.raw<{ rows: { id: number }[] }>(`
    insert into job_runs (job, period, status, started_at) values (?, ?, 'running', ?)
    on conflict (job, period) do update set status = 'running', started_at = excluded.started_at, error = null, finished_at = null
      where job_runs.status = 'failed' or (job_runs.status = 'running' and job_runs.started_at < ?)
    returning id`, [job, period, now, staleBefore]);
  return result.rows[0]?.id ?? null;
}

export async function finishJobRun(db: Db, id: number, outcome: { ok: true; details: Record<string, unknown> } | { ok: false; error: string }, now: Date): Promise<void> {
  await db('job_runs').where({ id }).update(outcome.ok
    ? { status: 'done', details: outcome.details, finished_at: now }
    : { status: 'failed', error: outcome.error.slice(0, 2000), finished_at: now });
}

/** The latest run of each job, for `govbot jobs list`. */
export async function latestJobRuns(db: Db): Promise<Map<string, JobRunRow>> {
  const rows = await db.raw<{ rows: JobRunRow[] }>(`
    select distinct on (job) id, job, period, status, started_at, finished_at, error
    from job_runs order by job, started_at desc`);
  return new Map(rows.rows.map((row) => [row.job, row]));
}
