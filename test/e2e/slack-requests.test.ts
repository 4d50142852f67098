import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { cleanEnv, requireBuild, runCli, scratchDir, startServiceProcess, type RunningService } from '../support/processes.js';
import { buttonValue, slackDriver, within, type SlackDriver } from '../support/slack-e2e.js';
import type { OpenedModal } from '../support/slack-requests.js';
import { tearDown } from '../support/e2e-teardown.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The whole request workflow on Slack, end to end: the real service process (Bolt over HTTP, the
 * Bree scheduler running the compiled jobs, a real PostgreSQL) against a fake Slack Web API.
 * Staff log requests with /dsr; the committee votes with buttons; the jobs carry the decisions out.
 */
const SECRET = 'e2e-signing-secret';
const CLERK = 'U0CLERK01';
const CHAIR_A = 'U0CHAIRA1';
const CHAIR_B = 'U0CHAIRB1';
const CHAIR_C = 'U0CHAIRC1';

describe('data subject requests on Slack', () => {
  let t: TestDatabase;
  let fake: FakeSlack;
  let service: RunningService;
  let slack: SlackDriver;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    requireBuild();
    t = await createTestDatabase();
    fake = await startFakeSlack();
    dir = scratchDir('govbot-slack-e2e-');
    env = cleanEnv({
      DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), PORT: '0',
      SLACK_BOT_TOKEN: 'xoxb-e2e-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl,
      SLACK_COMMITTEE_CHANNEL: 'C0COMMITTEE', COMMITTEE_CHAIRS: `slack:${CHAIR_A},slack:${CHAIR_B},slack:${CHAIR_C}`,
      APPROVAL_QUORUM: '2', IDENTITY_QUORUM: '1',
    });
    await t.db('contacts').insert([
      { external_id: 'CRM-1', email: 'jo.bloggs@example.com', full_name: 'Jo Bloggs', phone: '+44 20 7946 0001', is_customer: false },
      { external_id: 'CRM-2', email: 'sam.smith@example.com', full_name: 'Sam Smyth', is_customer: true },
      { external_id: 'CRM-3', email: 'alex.keep@example.com', full_name: 'Alex Keep', is_customer: true },
    ]);
    service = await startServiceProcess(env, dir);
    slack = slackDriver(`http://127.0.0.1:${service.port}/slack/events`, fake, SECRET);
  }, 90_000);

  afterAll(() => tearDown({ service, fake, t, dir }));

  /** Logs a request, approves the identity, and returns the card showing the proposed action. */
  async function throughIdentity(text: string, actionButton: string) {
    const logged = await slack.command(CLERK, '/dsr', text);
    const reference = /DSR-\d{4}-\d{4}/.exec(logged)?.[0];
    expect(reference, logged).toBeDefined();
    const first = await within(fake.waitForCall('chat.postMessage', (c) => String(c.body.text).includes(reference!)), 40_000, 'card never posted');
    expect(first.body.channel).toBe('C0COMMITTEE');
    const identity = buttonValue(first, 'Approve identity');
    expect(await slack.click(CHAIR_A, identity.actionId, identity.value)).toMatch(/decided/);
    const proposed = await slack.card(reference!, (text) => text.includes(actionButton));
    return { reference: reference!, proposed };
  }

  it('erases a subject: rows gone, tombstone and suppression kept, card done, audit intact', async () => {
    const { reference, proposed } = await throughIdentity('new erasure jo.bloggs@example.com Jo Bloggs', 'Approve erasure');
    expect(proposed.body.text).not.toContain('jo.bloggs@example.com');
    const approve = buttonValue(proposed, 'Approve erasure');

    expect(await slack.click(CLERK, approve.actionId, approve.value)).toMatch(/Only committee members can vote/);
    expect(await slack.click(CHAIR_A, approve.actionId, approve.value)).toMatch(/1 of 2 approvals/);
    expect(await slack.click(CHAIR_A, approve.actionId, approve.value)).toMatch(/already/i);
    expect(await t.db('contacts').where({ external_id: 'CRM-1' }).first()).toBeDefined();
    expect(await slack.click(CHAIR_B, approve.actionId, approve.value)).toMatch(/decided/);

    const done = await slack.card(reference, (text) => /completed/.test(text) && !text.includes('vote_approve'));
    expect(done.body.text).toContain(reference);
    expect(await t.db('contacts').where({ external_id: 'CRM-1' }).first()).toBeUndefined();
    expect(await t.db('contacts').count<{ count: string }[]>('* as count')).toEqual([{ count: 2 }]);
    const tombstones = await t.db('contact_tombstones').select('reason', 'suppressed');
    expect(tombstones).toEqual([{ reason: 'R1', suppressed: true }]);
    const suppression = await t.db('suppression_list').select('email_hmac', 'reason');
    expect(suppression.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(suppression)).not.toContain('jo.bloggs');
    const request = await t.db('requests').where({ reference }).first();
    expect(request).toMatchObject({ status: 'completed', subject_email: null, subject_name: null });
    expect(await t.db('votes').where({ member: `slack:${CHAIR_A}` }).count<{ count: string }[]>('* as count')).toEqual([{ count: 2 }]);

    const audit = await runCli(['audit', 'verify'], env, dir);
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(/^ok \d+ events/);
  }, 150_000);

  it('answers an access request with an export file for the individual, its SHA-256 on the card', async () => {
    const { reference, proposed } = await throughIdentity('new access sam.smith@example.com', 'Approve access');
    const approve = buttonValue(proposed, 'Approve access');
    expect(await slack.click(CHAIR_B, approve.actionId, approve.value)).toMatch(/decided/);
    const done = await slack.card(reference, (text) => /sha256|SHA-256/i.test(text) && /completed/.test(text));

    const file = path.join(dir, 'data', 'exports', `${reference}.json`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const content = fs.readFileSync(file, 'utf8');
    expect(content).toContain('sam.smith@example.com');
    const { createHash } = await import('node:crypto');
    const digest = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    expect(JSON.stringify(done.body)).toContain(digest);
    expect(JSON.stringify(fake.calls)).not.toContain('sam.smith@example.com');
  }, 150_000);

  it('rectifies a record with the corrected values entered in a form', async () => {
    const { reference, proposed } = await throughIdentity('new rectification alex.keep@example.com', 'Enter corrections');
    const open = buttonValue(proposed, 'Enter corrections');
    const before = fake.callsTo('views.open').length;
    await slack.click(CHAIR_A, open.actionId, open.value).catch(() => '');
    const opened = await within(fake.waitForCall('views.open', () => fake.callsTo('views.open').length > before), 15_000, 'form not opened');
    const view = (typeof opened.body.view === 'string' ? JSON.parse(opened.body.view) : opened.body.view) as OpenedModal;

    const submitted = await slack.submit(CHAIR_A, view, { full_name: 'Alexandra Keep' });
    expect(submitted.status).toBe(200);
    const ready = await slack.card(reference, (text) => text.includes('Approve rectification'));
    const approve = buttonValue(ready, 'Approve rectification');
    // A rectification needs APPROVAL_QUORUM, and CHAIR_A, who entered the values, cannot approve them.
    expect(await slack.click(CHAIR_A, approve.actionId, approve.value)).toMatch(/You asked for this/);
    expect(await slack.click(CHAIR_B, approve.actionId, approve.value)).toMatch(/1 of 2 approvals/);
    expect(await slack.click(CHAIR_C, approve.actionId, approve.value)).toMatch(/decided/);
    await slack.card(reference, (text) => /completed/.test(text) && !text.includes('vote_approve'));
    expect(await t.db('contacts').where({ external_id: 'CRM-3' }).first()).toMatchObject({ full_name: 'Alexandra Keep', email: 'alex.keep@example.com' });
  }, 150_000);
});
