import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeContactsCsv } from '../support/contacts-csv.js';
import { cleanEnv, requireBuild, runCli, scratchDir } from '../support/processes.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** `npx govbot …` as an operator types it, against a real database. */
describe('govbot CLI', () => {
  let t: TestDatabase;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    requireBuild();
    t = await createTestDatabase();
    dir = scratchDir('govbot-cli-');
    env = cleanEnv({ DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'warn' });
  });
  afterAll(async () => {
    await t.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [['deadline', '2026-01-31'], '2026-03-02'],
    [['deadline', '2024-11-25'], '2024-12-27'],
    [['deadline', '2025-12-02', '--region', 'scotland'], '2026-01-05'],
    [['deadline', '2026-03-03', '--paused-days', '5'], '2026-04-08'],
    // The earlier of 31 Jan + 3 months (30 Apr) and the first period's end, 28 Feb, + 2 months (DESIGN section 2).
    [['deadline', '2026-01-31', '--extended'], '2026-04-28'],
  ])('govbot %j prints %s on the first line', async (args, due) => {
    const result = await runCli(args, env, dir);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(due);
  });

  it.each([
    [['deadline', '31/01/2026'], /not a date in the form YYYY-MM-DD|YYYY-MM-DD/],
    [['deadline', '2026-01-31', '--region', 'wales-and-england'], /england-and-wales/],
    [['deadline', '2026-01-31', '--paused-days', 'ten'], /--paused-days must be a whole number/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['deadline', '9999-12-31'], /too far ahead: give a date before the year 3000/],
  ])('govbot %j explains the mistake and exits 2', async (args, message) => {
    const result = await runCli(args, env, dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('imports contacts, reports rejected lines, and changes nothing on a second import', async () => {
    const file = path.join(dir, 'contacts.csv');
    const summary = await writeContactsCsv(file, { rows: 2_000, seed: 7, badEvery: 400, asOf: '2026-11-26' });
    const first = await runCli(['import', 'contacts', file], env, dir);
    expect(first.code).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines[0]).toBe(`inserted: ${2_000 - summary.badLines.length}`);
    expect(lines).toContain(`rejected: ${summary.badLines.length}`);
    for (const line of summary.badLines) expect(first.stdout).toMatch(new RegExp(`^line ${line}: `, 'm'));

    const second = await runCli(['import', 'contacts', file], env, dir);
    expect(second.stdout).toContain('inserted: 0');
    expect(second.stdout).toContain(`updated: 0 (unchanged: ${2_000 - summary.badLines.length})`);
  });

  it('says which file it cannot read', async () => {
    const result = await runCli(['import', 'contacts', path.join(dir, 'missing.csv')], env, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot read .*missing\.csv \(ENOENT\)/);
  });

  it('verifies the audit chain, and names the event a superuser edited behind the trigger', async () => {
    const seeded = await runCli(['seed', '--demo', '--contacts', '50'], env, dir);
    expect(seeded.code).toBe(0);
    const intact = await runCli(['audit', 'verify'], env, dir);
    expect(intact.code).toBe(0);
    const count = Number((await t.db('audit_events').count<{ count: string }[]>('* as count'))[0]!.count);
    expect(intact.stdout.trim()).toBe(`ok ${count} events`);

    const target = (await t.db('audit_events').orderBy('id').first<{ id: number }>('id'))!.id;
    await t.db.raw('alter table audit_events disable trigger audit_events_no_update_delete');
    await t.db.raw(`update audit_events set facts = jsonb_set(facts, '{inserted}', '999') where id = ?`, [target]);
    await t.db.raw('alter table audit_events enable trigger audit_events_no_update_delete');

    const broken = await runCli(['audit', 'verify'], env, dir);
    expect(broken.code).toBe(1);
    expect(broken.stderr.trim()).toBe(`audit chain broken at event ${target}: hash mismatch`);
  });
});

describe('govbot doctor', () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    requireBuild();
    t = await createTestDatabase();
    dir = scratchDir('govbot-doctor-');
  });
  afterAll(async () => {
    await t.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says what to fix, one line each, and exits 1 until all is well', async () => {
    const { startFakeSlack } = await import('../support/fake-slack.js');
    const fake = await startFakeSlack();
    try {
      const base = { DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), SLACK_BOT_TOKEN: 'xoxb-doctor', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: fake.apiUrl };
      const missing = await runCli(['doctor'], cleanEnv(base), dir);
      expect(missing.code).toBe(1);
      expect(missing.stdout).toMatch(/^FIX  committee: no chair: set COMMITTEE_CHAIRS/m);
      expect(missing.stdout).toMatch(/^FIX  slack channel: no committee channel: a chair should run \/gov channel set/m);
      expect(missing.stdout).toMatch(/^ok   slack: token accepted: bot govbot in workspace Fake Workspace$/m);

      const healthy = await runCli(['doctor'], cleanEnv({ ...base, COMMITTEE_CHAIRS: 'slack:U0CHAIR01', SLACK_COMMITTEE_CHANNEL: 'C0COMMITTEE' }), dir);
      expect(healthy.stdout.trim().split('\n').pop()).toBe('all checks passed');
      expect(healthy.code).toBe(0);
    } finally {
      await fake.close();
    }
  });
});
