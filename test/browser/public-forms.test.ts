import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tearDown } from '../support/e2e-teardown.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { cleanEnv, requireBuild, scratchDir, startServiceProcess, type RunningService } from '../support/processes.js';
import { cardText, within } from '../support/slack-e2e.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { launchChromium, screenshot } from './support/chromium.js';

/**
 * The public forms as a person uses them, in Debian's Chromium: typed with the keyboard and
 * clicked with the mouse, on a desktop and a phone-sized screen, with JavaScript on and off. Each
 * page is kept as a screenshot in the artefacts folder for a person to look at.
 */
describe('the public request and complaint forms in a browser', () => {
  let t: TestDatabase;
  let fake: FakeSlack;
  let service: RunningService;
  let browser: Browser;
  let dir: string;
  let base: string;

  beforeAll(async () => {
    requireBuild();
    t = await createTestDatabase();
    fake = await startFakeSlack();
    dir = scratchDir('govbot-browser-forms-');
    service = await startServiceProcess(cleanEnv({
      DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), PORT: '0', COMPANY_NAME: 'Aiimi',
      SLACK_BOT_TOKEN: 'xoxb-browser-token', SLACK_SIGNING_SECRET: 'browser-secret', SLACK_API_URL: fake.apiUrl,
      SLACK_COMMITTEE_CHANNEL: 'C0COMMITTEE',
    }), dir);
    base = `http://127.0.0.1:${service.port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await tearDown({ service, fake, t, dir });
  });

  async function open(options: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, ...options });
    return { context, page: await context.newPage() };
  }

  /** The id of the focused element, or its tag name when it has none. */
  const focused = (page: Page) => page.evaluate<string>('document.activeElement ? (document.activeElement.id || document.activeElement.tagName) : ""');

  const cardFor = (reference: string) => within(fake.waitForCall('chat.postMessage', (c) => cardText(c).includes(reference)), 40_000, `no card for ${reference}`);

  it('a request typed with the keyboard: inline error for a bad email, then the reference, the card and the register', async () => {
    const { context, page } = await open();
    await page.goto(`${base}/privacy/request`);
    expect(await page.title()).toBe('Make a request about your personal data – Aiimi');
    await screenshot(page, 'request-form');

    // Keyboard only: Tab into the radio group, arrows to choose, Tab on through the fields.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('type-access');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.isChecked('#type-erasure')).toBe(true);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('full_name');
    await page.keyboard.type('Jo <b>Bloggs</b>');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('email');
    await page.keyboard.type('jo.bloggs at example.com');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('BUTTON');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.error-summary');
    expect(await page.title()).toBe('Error: Make a request about your personal data – Aiimi');
    expect(await page.textContent('#email-error')).toContain('Enter an email address in the correct format, like name@example.com');
    expect(await page.getAttribute('#email', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('#full_name')).toBe('Jo <b>Bloggs</b>');
    expect(await page.isChecked('#type-erasure')).toBe(true);
    expect(await t.db('requests').count<{ count: number }[]>('* as count')).toEqual([{ count: 0 }]);
    await screenshot(page, 'request-form-errors');

    await page.click('.error-summary a[href="#email"]');
    await page.fill('#email', 'jo.bloggs@example.com');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.panel');
    const reference = (await page.textContent('.reference'))!.trim();
    expect(reference).toMatch(/^DSR-\d{4}-\d{4}$/);
    expect(await page.textContent('main')).toContain('We will reply by');
    expect(await page.textContent('main')).toContain('We may ask you to confirm your identity first');
    await screenshot(page, 'request-answer');

    const card = await cardFor(reference);
    expect(cardText(card)).toContain('Erasure');
    expect(cardText(card)).toContain('j***@example.com');
    expect(await t.db('requests').where({ reference }).first()).toMatchObject({ type: 'erasure', received_via: 'web', subject_name: 'Jo <b>Bloggs</b>' });
    await context.close();
  });

  it('a complaint clicked through on a phone: inline error for an empty summary, then the reference and the acknowledgement date', async () => {
    const { context, page } = await open({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await page.goto(`${base}/privacy/complaint`);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBe(0);
    await screenshot(page, 'complaint-form-phone');
    await page.click('#email');
    await page.fill('#email', 'kim@example.com');
    await page.click('button[type=submit]');
    await page.waitForSelector('.error-summary');
    expect(await page.textContent('#summary-error')).toContain('Tell us what your complaint is about');
    expect(await page.inputValue('#email')).toBe('kim@example.com');
    await screenshot(page, 'complaint-form-errors-phone');

    await page.click('#summary');
    await page.fill('#summary', 'You sent my details to another customer. <script>alert(1)</script>');
    await page.fill('#full_name', 'Kim Lee');
    await page.click('button[type=submit]');
    await page.waitForSelector('.panel');
    const reference = (await page.textContent('.reference'))!.trim();
    expect(reference).toMatch(/^CMP-\d{4}-\d{3}$/);
    expect(await page.textContent('main')).toMatch(/will acknowledge your complaint by \w+day \d{1,2} \w+ \d{4} at the latest/);
    await screenshot(page, 'complaint-answer-phone');
    const card = await cardFor(reference);
    expect(cardText(card)).toContain('Acknowledge complaint');
    expect(cardText(card)).not.toContain('kim@example.com');
    expect(await t.db('complaints').where({ reference }).first()).toMatchObject({ received_via: 'web', status: 'open', complainant_email: 'kim@example.com' });
    await context.close();
  });

  it('works with JavaScript disabled, and the page runs no script of its own', async () => {
    const { context, page } = await open({ javaScriptEnabled: false });
    await page.goto(`${base}/privacy/complaint`);
    expect(await page.locator('script').count()).toBe(0);
    await page.fill('#summary', 'My erasure request was ignored.');
    await page.fill('#email', 'no-js@example.com');
    await page.click('button[type=submit]');
    await page.waitForSelector('.panel');
    expect(await page.textContent('.reference')).toMatch(/CMP-\d{4}-\d{3}/);
    await screenshot(page, 'complaint-answer-no-javascript');
    await page.goto(`${base}/privacy/request`);
    await page.check('#type-access');
    await page.fill('#full_name', 'No Script');
    await page.fill('#email', 'no-js@example.com');
    await page.click('button[type=submit]');
    await page.waitForSelector('.panel');
    expect(await page.textContent('.reference')).toMatch(/DSR-\d{4}-\d{4}/);
    await context.close();
  });
});
