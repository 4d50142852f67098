import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/dispatch.js';
import { parseConfig } from '../../src/config.js';
import { seedReportExample } from '../support/report-seed.js';
import { createTestServices, type TestServices } from '../support/service-context.js';

let t: TestServices;
let dir: string;
beforeEach(async () => {
  t = await createTestServices();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-report-'));
});
afterEach(async () => {
  await t.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function govbot(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(['report', ...args], {
    loadConfig: () => parseConfig({ DATABASE_URL: t.database.url, DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'silent' }, process.cwd()),
    out: (line) => out.push(line), err: (line) => err.push(line), now: () => new Date('2026-10-01T08:30:00Z'),
  });
  return { code, out, err };
}

describe('govbot report', () => {
  it('writes the HTML report and the request log, mode 0600, and prints the paths and the headline', async () => {
    await seedReportExample(t.db);
    const { code, out } = await govbot('--out', path.join(dir, 'out'));
    expect(code).toBe(0);
    const html = path.join(dir, 'out', 'accountability-report-2026-Q3.html');
    const csv = path.join(dir, 'out', 'requests-2026-Q3.csv');
    expect(out).toEqual(expect.arrayContaining([
      'Accountability report 2026-Q3 (2026-07-01 to 2026-09-30)', `report: ${html}`, `request log: ${csv}`,
      'Requests received: 11', 'Answered on time: 70% (7 of 10)', 'Days to answer: median 35.5 days, 90th percentile 87 days',
      'Open at quarter end: 3 (1 overdue)', 'Complaints: 0 received, 0 acknowledged within 30 days',
      'Breaches: 3: 1 of 2 reported within 72 hours, 1 not reportable', 'Purge: PURGE-2026-Q3: 6 deleted',
    ]));
    expect(fs.statSync(html).mode & 0o777).toBe(0o600);
    expect(fs.statSync(csv).mode & 0o777).toBe(0o600);
    const page = fs.readFileSync(html, 'utf8');
    expect(page.match(/<svg/g)).toHaveLength(4);
    expect(page).not.toMatch(/<script|<link|src="http/);
    for (const text of ['Accountability report 2026-Q3', 'DSR-2026-0104', 'register change retried (2 failed attempts)', 'PURGE-2026-Q3', 'ab'.repeat(32), 'Acknowledged within 30 days', 'Definitions', 'HubSpot CRM']) expect(page).toContain(text);
    const lines = fs.readFileSync(csv, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('reference,type,channel,received,relevant_day,due,extended,stopped_days,closed,outcome,on_time');
    expect(lines).toContain('DSR-2026-0104,rectification,phone,2026-07-13,2026-07-13,2026-08-13,,0,2026-08-20,completed,no (2026-08-13)');
    expect(lines).toContain('DSR-2026-0113,erasure,email,2026-06-20,2026-06-20,2026-07-20,,0,,open,');
    expect(lines).toHaveLength(1 + 15);
    // To look at the files by hand: REPORT_KEEP_DIR=/some/dir npx vitest run … report-cli
    if (process.env.REPORT_KEEP_DIR) for (const file of [html, csv]) fs.copyFileSync(file, path.join(process.env.REPORT_KEEP_DIR, path.basename(file)));
  });

  it('answers a future quarter, 2026-Q5 and a quarter before any data clearly, and writes nothing', async () => {
    await seedReportExample(t.db);
    for (const [quarter, says] of [['2027-Q2', '2027-Q2 has not started yet'], ['2026-Q5', 'a year has four'], ['2024-Q1', 'ended before the register\'s first record']] as const) {
      const { code, err } = await govbot('--quarter', quarter, '--out', path.join(dir, 'out'));
      expect(code).toBe(1);
      expect(err.join('\n')).toContain(says);
    }
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
    expect((await govbot('--quarter')).err).toContain('govbot report: --quarter needs a value');
  });
});
