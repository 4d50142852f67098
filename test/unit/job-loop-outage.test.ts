import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import type { JobContext, JobDefinition } from '../../src/jobs/job.js';
import { startJobLoop } from '../../src/jobs/job-loop.js';
import { createLogger } from '../../src/logger.js';
import type { Db } from '../../src/register/database.js';

/**
 * An interval job while the database is away: one warning when the outage starts, none per retry,
 * retries spaced out (doubling) instead of at every tick, one line when it is back, and the
 * scheduler told both times. A real fault (not a lost connection) is still logged in full.
 */
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect' });

function harness(failures: (call: number) => Error | null) {
  const lines: { level: number; msg: string; err?: unknown }[] = [];
  const logger = createLogger({ logLevel: 'info' }, { write: (line: string) => { lines.push(JSON.parse(line) as never); } });
  const calls: number[] = [];
  const job: JobDefinition = {
    name: 'deliver-test', schedule: { kind: 'every', seconds: 1 }, description: 'test', catchUpMs: 0,
    run: async () => {
      calls.push(Date.now());
      const error = failures(calls.length);
      if (error) throw error;
      return {};
    },
  };
  const context = { db: {} as Db, config: { timezone: 'Europe/London', bankHolidayRegion: 'england-and-wales' } as Config, logger, pepper: 'x' } as JobContext;
  const told: boolean[] = [];
  return { lines, calls, told, start: (intervalMs: number) => startJobLoop(job, context, { intervalMs, logger, onDatabase: (up) => told.push(up) }) };
}

describe('an interval job while the database is away', () => {
  it('warns once, backs off, says when it is back, and tells the scheduler', async () => {
    const h = harness((call) => (call <= 4 ? refused() : null));
    const loop = h.start(20);
    for (let i = 0; i < 100 && h.calls.length < 6; i += 1) await sleep(50);
    await loop.stop();

    expect(h.calls.length).toBeGreaterThanOrEqual(6);
    const gaps = h.calls.slice(1, 5).map((at, i) => at - h.calls[i]!);
    // 20, 40, 80, 160 ms: each wait the double of the one before (less 2 ms for timer rounding).
    expect(gaps[1]!).toBeGreaterThanOrEqual(38);
    expect(gaps[2]!).toBeGreaterThanOrEqual(78);
    expect(gaps[3]!).toBeGreaterThanOrEqual(158);
    expect(h.lines.map((l) => [l.level, l.msg])).toEqual([
      [40, 'database unavailable (connect ECONNREFUSED 127.0.0.1:5432 (ECONNREFUSED)): deliver-test waits for it and retries, up to every 30 s'],
      [30, 'database available again: deliver-test resumed'],
    ]);
    expect(h.told).toEqual([false, true]);
  });

  it('still reports a real fault with its stack, at every run', async () => {
    const h = harness(() => new TypeError('cannot read properties of undefined'));
    const loop = h.start(20);
    for (let i = 0; i < 100 && h.calls.length < 3; i += 1) await sleep(20);
    await loop.stop();
    const errors = h.lines.filter((l) => l.level === 50);
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(errors[0]!.msg).toBe('job deliver-test failed');
    expect(JSON.stringify(errors[0]!.err)).toContain('"stack"');
    expect(h.told).toEqual([]);
  });
});
