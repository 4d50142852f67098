import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driverErrorSummary, errorSummary } from '../../src/errors.js';
import { runJobNow } from '../../src/jobs/run-job.js';
import { createLogger } from '../../src/logger.js';
import { createTestServices, type TestServices } from '../support/service-context.js';

/**
 * Security finding 9: a Postgres error's `detail` ("Failing row contains (…)") quotes the row, and
 * key-based redaction cannot see into it. Jobs logged `{ err }` whole. Every place that logs a
 * driver error now logs the same summary: type, code, message, stack.
 */
let t: TestServices;
beforeAll(async () => { t = await createTestServices(); });
afterAll(async () => { await t.drop(); });

/** A real driver error: a row with an email that breaks a constraint. */
async function failingInsert(): Promise<unknown> {
  await t.db.raw('create temporary table people (email text not null check (email not like \'%@example.com\'))');
  try {
    await t.db.raw('insert into people (email) values (?)', ['jo.bloggs@example.com']);
  } catch (error) {
    return error;
  }
  throw new Error('the insert should have failed');
}

describe('driver errors in the log', () => {
  it('a real Postgres error quotes the row in its detail (what must not be logged)', async () => {
    const error = await failingInsert() as { detail?: string };
    expect(error.detail).toContain('jo.bloggs@example.com');
    expect(JSON.stringify(errorSummary(error))).not.toContain('jo.bloggs');
    expect(driverErrorSummary(error)).toMatch(/violates check constraint .*\(23514\)$/);
  });

  it('a failed job logs the summary, never the row', async () => {
    const lines: string[] = [];
    const logger = createLogger({ logLevel: 'info' }, new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); } }));
    const job = {
      name: 'failing-job', description: 'fails', catchUpMs: 0, schedule: { kind: 'interval', everyMs: 60_000 } as never,
      run: async () => { throw await failingInsert(); },
    };
    await t.db.raw('drop table if exists people');
    const outcome = await runJobNow(job, { db: t.db, config: t.ctx.config, logger, pepper: 'p' }, new Date());
    expect(outcome.status).toBe('failed');
    const logged = lines.join('');
    expect(logged).toContain('job failing-job failed');
    expect(logged).toContain('23514');
    expect(logged).not.toContain('jo.bloggs');
  });
});
