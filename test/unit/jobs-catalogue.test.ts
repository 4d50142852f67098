import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { JOBS, findJob } from '../../src/jobs/catalogue.js';
import { cronOf } from '../../src/domain/schedules.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** CONTRACT §6: the job names operators see in `govbot jobs list` and type in `govbot jobs run`. */
const CONTRACT_JOB_NAMES = ['retention-sweep', 'execute-actions', 'deliver-outbox', 'sla-reminders',
  'notice-review-reminders', 'processor-review-reminders', 'breach-clock',
  'expire-exports'];

describe('job catalogue', () => {
  const entryFiles = fs.readdirSync(path.join(root, 'jobs')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();

  it('has a Bree entry file jobs/<name>.ts for every job, and a job for every entry file', () => {
    expect(entryFiles).toEqual(JOBS.map((job) => job.name).sort());
  });

  it('uses only the job names of the contract, each once', () => {
    for (const job of JOBS) expect(CONTRACT_JOB_NAMES).toContain(job.name);
    expect(new Set(JOBS.map((job) => job.name)).size).toBe(JOBS.length);
  });

  it('entry files only hand over to the worker, under their own name', () => {
    for (const name of entryFiles) {
      const text = fs.readFileSync(path.join(root, 'jobs', `${name}.ts`), 'utf8');
      expect(text).toContain(`runInWorker('${name}')`);
    }
  });

  it('finds jobs by name and gives each a timer', () => {
    for (const job of JOBS) {
      expect(findJob(job.name)).toBe(job);
      expect(job.schedule.kind === 'every' || cronOf(job.schedule) !== null).toBe(true);
      expect(job.catchUpMs).toBeGreaterThanOrEqual(0);
    }
    expect(findJob('no-such-job')).toBeUndefined();
  });

  it('runs the interval jobs often and catches up sla-reminders the same day only', () => {
    expect(findJob('execute-actions')?.schedule).toEqual({ kind: 'every', seconds: 10 });
    expect(findJob('deliver-outbox')?.schedule).toEqual({ kind: 'every', seconds: 5 });
    expect(findJob('sla-reminders')?.schedule).toEqual({ kind: 'daily', hour: 8, minute: 0 });
    expect(findJob('sla-reminders')?.catchUpMs).toBe(16 * 3_600_000);
  });
});
