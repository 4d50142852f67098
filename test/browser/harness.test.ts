import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tearDown } from '../support/e2e-teardown.js';
import { cleanEnv, requireBuild, scratchDir, startServiceProcess, type RunningService } from '../support/processes.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { launchChromium, screenshot } from './support/chromium.js';

/**
 * The browser suite's own footing: Debian's Chromium, driven by playwright-core, loads a page from
 * the real service process. When this fails, every other browser test would fail for the same
 * reason, and this one says which (no Chromium, or a service that does not start).
 */
describe('the browser harness', () => {
  let t: TestDatabase;
  let service: RunningService;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    requireBuild();
    t = await createTestDatabase();
    dir = scratchDir('govbot-browser-');
    service = await startServiceProcess(cleanEnv({ DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), PORT: '0', SCHEDULER: 'off' }), dir);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await tearDown({ service, t, dir });
  });

  it('opens a page the service serves and keeps a screenshot of it', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`http://127.0.0.1:${service.port}/healthz`);
    expect(response?.status()).toBe(200);
    expect(await page.textContent('body')).toContain('"status":"ok"');
    expect(await screenshot(page, 'harness-healthz')).toMatch(/harness-healthz\.png$/);
  });
});
