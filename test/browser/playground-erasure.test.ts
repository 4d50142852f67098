import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tearDown } from '../support/e2e-teardown.js';
import { cleanEnv, requireBuild, runCli, scratchDir, startServiceProcess, type RunningService } from '../support/processes.js';
import { insertContacts } from '../support/purge-fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { launchChromium, screenshot } from './support/chromium.js';

/**
 * The playground as a newcomer uses it: an erasure from intake to completion, by typing and
 * clicking only, through the real service process (Teams local mode, its scheduler, a real
 * PostgreSQL). Every card must render in Microsoft's Adaptive Cards renderer; a screenshot of the
 * page is kept after each step (test/browser/artifacts/playground-*.png).
 */
describe('the playground: an erasure and a quarterly purge by clicks alone', () => {
  let t: TestDatabase;
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    requireBuild();
    t = await createTestDatabase();
    dir = scratchDir('govbot-playground-');
    env = cleanEnv({ DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), PORT: '0', APPROVAL_QUORUM: '2', SUPPRESSION_PEPPER: 'browser-suppression-pepper-0123456789' });
    await insertContacts(t.db, [{ external_id: 'CRM-1', email: 'jo.bloggs@example.com', full_name: 'Jo Bloggs' }]);
    service = await startServiceProcess(env, dir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await tearDown({ service, t, dir });
  });

  const channel = () => page.locator('#channel-messages');
  const personal = () => page.locator('#personal-messages');
  const as = (name: string) => page.selectOption('#who', { label: name });
  const type = async (where: 'channel' | 'personal', text: string) => {
    await page.fill(`#${where}-input`, text);
    await page.press(`#${where}-input`, 'Enter');
  };
  /** Every card on the page went through the renderer without a failure. */
  const cardsRendered = async () => {
    expect(await page.locator('.ac-host[data-render="failed"]').allTextContents()).toEqual([]);
    return page.locator('.ac-host[data-render="ok"]').count();
  };

  it('logs an erasure as staff, approves identity and erasure as two members, shows it completed, then runs and approves the purge', async () => {
    expect(service.output()).toContain(`try it: http://127.0.0.1:${service.port}/playground`);
    await page.goto(`http://127.0.0.1:${service.port}/playground`);
    await channel().getByText('This channel is now the committee channel').waitFor();
    await page.getByRole('button', { name: 'Seed demo contacts' }).click();
    await page.getByText(/Demo register ready: \d+ contact\(s\) added/).waitFor();
    await screenshot(page, 'playground-1-opened');

    await as('Dev (playground staff)');
    await type('channel', 'dsr new erasure jo.bloggs@example.com Jo Bloggs');
    const logged = personal().getByText(/DSR-\d{4}-\d{4}/).first();
    await logged.waitFor();
    const reference = /DSR-\d{4}-\d{4}/.exec(await logged.textContent() ?? '')![0];
    const card = channel().locator('.message').filter({ hasText: reference }).filter({ has: page.locator('.ac-host') });
    await card.getByRole('button', { name: 'Approve identity' }).waitFor();
    expect(await card.textContent()).not.toContain('jo.bloggs@example.com');
    expect(await cardsRendered()).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'playground-2-logged');

    await as('Ada (playground chair)');
    await card.getByRole('button', { name: 'Approve identity' }).click();
    await card.getByRole('button', { name: 'Approve erasure' }).waitFor();
    await cardsRendered();
    await screenshot(page, 'playground-3-identity-approved');

    await card.getByRole('button', { name: 'Approve erasure' }).click();
    await card.getByText(/1 of 2 approvals/).first().waitFor();
    await screenshot(page, 'playground-4-first-approval');

    await as('Ben (playground member)');
    await card.getByRole('button', { name: 'Approve erasure' }).click();
    // The erasure runs in the execute-actions job, then the card is updated from the outbox.
    await card.getByText(/completed/i).first().waitFor({ timeout: 120_000 }).catch(async (error: unknown) => {
      await screenshot(page, 'playground-failed-waiting-for-completion');
      throw error;
    });
    expect(await card.getByRole('button', { name: 'Approve erasure' }).count()).toBe(0);
    await cardsRendered();
    await screenshot(page, 'playground-5-completed');
    // People by name, as Teams names them, never by their ids; commands as typed in Teams.
    const shown = (await card.textContent()) ?? '';
    expect(shown).toContain('Logged by');
    expect(shown).toContain('Dev (playground staff)');
    expect(shown).toContain('Approved by Ada (playground chair), Ben (playground member)');
    expect(shown).not.toMatch(/00000000-0000-4000-8000|29:playground/);
    expect(shown).toContain(`dsr told ${reference} outcome`);
    expect(shown).not.toMatch(/(^|\s)\/(dsr|gov)\b/);

    await type('personal', `dsr show ${reference}`);
    await personal().locator('.message:not(.mine)').filter({ hasText: reference }).filter({ hasText: /completed/i }).first().waitFor();
    await cardsRendered();
    await screenshot(page, 'playground-6-shown');

    // The quarter's deletion review, on the demo register: a sweep, two approvals, the report.
    await as('Ada (playground chair)');
    await type('channel', 'gov purge run');
    const purge = channel().locator('.message').filter({ has: page.getByRole('button', { name: 'Approve purge' }) });
    await purge.getByRole('button', { name: 'Approve purge' }).waitFor();
    await cardsRendered();
    await screenshot(page, 'playground-7-purge-proposed');
    await purge.getByRole('button', { name: 'Approve purge' }).click();
    await purge.getByText(/1 of 2 approvals/).first().waitFor();
    await as('Ben (playground member)');
    await purge.getByRole('button', { name: 'Approve purge' }).click();
    await channel().getByText(/Purge PURGE-\d{4}-Q\d completed/).first().waitFor({ timeout: 90_000 });
    await cardsRendered();
    await screenshot(page, 'playground-8-purged');
    expect(await t.db('purge_batches').pluck('status')).toEqual(['done']);

    expect(await t.db('contacts').where({ external_id: 'CRM-1' }).first()).toBeUndefined();
    expect(await t.db('requests').where({ reference }).first()).toMatchObject({ status: 'completed' });
    const audit = await runCli(['audit', 'verify'], env, dir);
    expect(audit.code, audit.stderr).toBe(0);
  }, 420_000);
});
