import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, requireBuild, runCli, scratchDir } from '../support/processes.js';
import { seedReportExample } from '../support/report-seed.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { launchChromium, screenshot } from './support/chromium.js';

/**
 * The HTML report as the board or the regulator opens it: written by the real `govbot report`
 * from the seeded register, opened from disk in Chromium, with its charts drawn and its figures
 * and definitions on the page. The screenshot is kept in test/browser/artifacts/.
 */
describe('the accountability report in a browser', () => {
  let t: TestDatabase;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    requireBuild();
    t = await createTestDatabase();
    await seedReportExample(t.db);
    dir = scratchDir('govbot-report-browser-');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens offline with its four charts drawn, the headline figures, the tables and the definitions', async () => {
    const out = path.join(dir, 'out');
    const result = await runCli(['report', '--quarter', '2026-Q3', '--out', out], cleanEnv({ DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'silent' }), dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Answered on time: 70% (7 of 10)');
    const file = path.join(out, 'accountability-report-2026-Q3.html');

    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => { if (!request.url().startsWith('file:')) requests.push(request.url()); });
    await page.goto(pathToFileURL(file).href);
    expect(await page.title()).toBe('Accountability report 2026-Q3');
    const charts = page.locator('figure svg');
    expect(await charts.count()).toBe(4);
    for (let i = 0; i < 4; i += 1) {
      const box = await charts.nth(i).boundingBox();
      expect(box!.width).toBeGreaterThan(400);
      expect(box!.height).toBeGreaterThan(250);
      expect(await charts.nth(i).locator('rect, path').count()).toBeGreaterThan(5);
    }
    const text = await page.textContent('main');
    for (const shown of ['Requests by month, to 2026-Q3', 'Days to answer, 2026-Q3', 'Breaches against the 72-hour line, 2026-Q3',
      '70% (7 of 10)', 'median 35.5 days', 'DSR-2026-0106', 'PURGE-2026-Q3', 'Acknowledged within 30 days', 'Definitions', 'Head hash']) {
      expect(text).toContain(shown);
    }
    expect(await page.getByRole('table').count()).toBeGreaterThan(10);
    expect(requests).toEqual([]); // self-contained: nothing fetched
    expect(await screenshot(page, 'report-2026-Q3')).toMatch(/report-2026-Q3\.png$/);
    await page.close();
  });
});
