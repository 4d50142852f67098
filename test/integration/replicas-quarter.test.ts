import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { latestSlot } from '../../src/domain/schedules.js';
import { JOBS } from '../../src/jobs/catalogue.js';
import type { JobDefinition } from '../../src/jobs/job.js';
import { runScheduledJob, type JobOutcome } from '../../src/jobs/run-job.js';
import { createLogger } from '../../src/logger.js';
import { createKnex } from '../../src/register/database.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * Two replicas on one database through a whole quarter: both fire every scheduled job every hour,
 * as their timers would, and every slot (each day's reminders, each hour's breach clock, the
 * quarter's sweep) runs exactly once. A lone replica on a twin database, driven through the same
 * hours, posts exactly as many messages: the second replica doubles nothing.
 */
const PEPPER = 'replica-pepper-0123456789abcdef';
const config = parseConfig({ LOG_LEVEL: 'silent', SLACK_COMMITTEE_CHANNEL: 'C0COMMITTEE' }, process.cwd());
const slotted = JOBS.filter((job) => job.schedule.kind !== 'every');

async function seed(t: TestDatabase): Promise<void> {
  // Open requests falling due across the quarter, so the reminders have something to say.
  for (let i = 0; i < 6; i += 1) {
    await t.db('requests').insert({
      reference: `DSR-2026-${String(900 + i).padStart(4, '0')}`, type: 'access', subject_email: `r${i}@example.com`,
      subject_hmac: `${i}`.padStart(64, 'a'), received_via: 'email', received_on: '2026-09-20',
      due_on: new Date(Date.UTC(2026, 9, 10 + i * 14)).toISOString().slice(0, 10), requested_by: 'slack:U0CLERK01',
      details: JSON.stringify({ platform: 'slack' }),
    });
  }
}

async function runQuarter(t: TestDatabase, replicas: number): Promise<{ job: string; outcome: JobOutcome }[]> {
  const pools = Array.from({ length: replicas }, () => createKnex(t.url));
  const contexts = pools.map((db) => ({ db, config, logger: createLogger(config), pepper: PEPPER }));
  const outcomes: { job: string; outcome: JobOutcome }[] = [];
  try {
    for (let at = Date.UTC(2026, 9, 1, 0, 30); at < Date.UTC(2027, 0, 1, 0, 30); at += 3_600_000) {
      for (const job of slotted) {
        const results = await Promise.all(contexts.map((ctx) => runScheduledJob(job, ctx, new Date(at))));
        for (const outcome of results) outcomes.push({ job: job.name, outcome });
      }
    }
  } finally {
    await Promise.all(pools.map((db) => db.destroy()));
  }
  return outcomes;
}

function slotsOfQuarter(job: JobDefinition): Set<string> {
  const slots = new Set<string>();
  for (let at = Date.UTC(2026, 9, 1, 0, 30); at < Date.UTC(2027, 0, 1, 0, 30); at += 3_600_000) {
    const slot = latestSlot(job.schedule, new Date(at), config.timezone);
    if (slot && at - slot.at.getTime() <= job.catchUpMs && slot.at.getTime() >= Date.UTC(2026, 9, 1)) slots.add(slot.key);
  }
  return slots;
}

const count = async (t: TestDatabase, table: string) => Number((await t.db(table).count<{ count: number }[]>('* as count'))[0]!.count);

describe('two replicas through a quarter', () => {
  let pair: TestDatabase;
  let lone: TestDatabase;
  beforeAll(async () => {
    [pair, lone] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    await Promise.all([seed(pair), seed(lone)]);
  });
  afterAll(async () => { await Promise.all([pair.drop(), lone.drop()]); });

  it('runs every slot of every scheduled job once and posts nothing twice', async () => {
    expect(slotted.map((j) => j.name)).toContain('sla-reminders');
    const [twice, once] = await Promise.all([runQuarter(pair, 2), runQuarter(lone, 1)]);
    expect(twice.filter((o) => o.outcome.status === 'failed').map((o) => `${o.job}: ${JSON.stringify(o.outcome)}`)).toEqual([]);
    for (const job of slotted) {
      const done = twice.filter((o) => o.job === job.name && o.outcome.status === 'done').map((o) => o.outcome.period);
      expect(new Set(done).size, job.name).toBe(done.length);
      expect(done.length, job.name).toBe(slotsOfQuarter(job).size);
      expect(Number((await pair.db('job_runs').where({ job: job.name }).count<{ count: number }[]>('* as count'))[0]!.count), job.name).toBe(done.length);
    }
    expect(await count(pair, 'reminders_sent')).toBeGreaterThan(6);
    expect(await count(pair, 'outbox')).toBe(await count(lone, 'outbox'));
    expect(await count(pair, 'reminders_sent')).toBe(await count(lone, 'reminders_sent'));
  }, 300_000);
});
