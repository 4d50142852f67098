import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { cleanEnv, requireBuild, scratchDir, startServiceProcess, type RunningService } from '../support/processes.js';
import { buttonValue, cardText, slackDriver, within, type SlackDriver } from '../support/slack-e2e.js';
import { tearDown } from '../support/e2e-teardown.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { submit } from '../support/web-forms.js';

/**
 * The public forms end to end: the real service process behind a trusted proxy hop (loopback, as a
 * reverse proxy on the same host would be), a real PostgreSQL, and the committee in a fake Slack.
 * An individual's complaint is acknowledged from its Slack card; an individual's request made on
 * the web is carried to completion by the committee's votes; with Slack down the form still answers
 * and the card follows through the outbox.
 */
const SECRET = 'e2e-signing-secret';
const CHAIR_A = 'U0CHAIRA1';
const CHAIR_B = 'U0CHAIRB1';
let client = 0;
/** Each test is its own client, as the proxy reports it, so the per-client limit is per test. */
const nextClient = () => ({ 'x-forwarded-for': `203.0.113.${++client}` });

describe('the public forms with the committee on Slack', () => {
  let t: TestDatabase;
  let fake: FakeSlack;
  let service: RunningService;
  let slack: SlackDriver;
  let dir: string;
  let base: string;

  beforeAll(async () => {
    requireBuild();
    t = await createTestDatabase();
    fake = await startFakeSlack();
    dir = scratchDir('govbot-forms-e2e-');
    service = await startServiceProcess(cleanEnv({
      DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), PORT: '0',
      SLACK_BOT_TOKEN: 'xoxb-e2e-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl,
      SLACK_COMMITTEE_CHANNEL: 'C0COMMITTEE', COMMITTEE_CHAIRS: `slack:${CHAIR_A},slack:${CHAIR_B}`,
      APPROVAL_QUORUM: '2', IDENTITY_QUORUM: '1', COMPANY_NAME: 'Aiimi', TRUSTED_PROXY: '127.0.0.1',
    }), dir);
    await t.db('contacts').insert({ external_id: 'CRM-1', email: 'sam.smith@example.com', full_name: 'Sam Smith', is_customer: true });
    base = `http://127.0.0.1:${service.port}`;
    slack = slackDriver(`${base}/slack/events`, fake, SECRET);
  }, 90_000);

  afterAll(() => tearDown({ service, fake, t, dir }));

  it('a complaint made on the web is acknowledged from its card in Slack', async () => {
    const answer = await submit(base, '/privacy/complaint', { summary: 'Nobody answered my access request.', email: 'kim@example.com', full_name: 'Kim Lee', reference: '' }, nextClient());
    expect(answer.status).toBe(200);
    const reference = /CMP-\d{4}-\d{3}/.exec(answer.text)?.[0];
    expect(reference).toBeDefined();
    const posted = await within(fake.waitForCall('chat.postMessage', (c) => cardText(c).includes(reference!)), 40_000, 'complaint card never posted');
    expect(posted.body.channel).toBe('C0COMMITTEE');
    expect(cardText(posted)).not.toContain('kim@example.com');
    const ack = buttonValue(posted, 'Acknowledge complaint');
    expect(await slack.click('U0STRANGER', ack.actionId, ack.value)).toMatch(/Only committee members/);
    expect(await slack.click(CHAIR_A, ack.actionId, ack.value)).toMatch(new RegExp(`Recorded: ${reference} acknowledged on \\d{4}-\\d{2}-\\d{2}`));
    expect(await slack.click(CHAIR_B, ack.actionId, ack.value)).toMatch(/already acknowledged/);
    const updated = await slack.card(reference!, (text) => text.includes('acknowledged') && !text.includes('acknowledge_complaint'));
    expect(cardText(updated)).toContain('Acknowledged');
    expect(await t.db('complaints').where({ reference }).first()).toMatchObject({ status: 'acknowledged', acknowledged_by: `slack:${CHAIR_A}`, received_via: 'web' });
    const actions = await t.db('audit_events').where({ subject: reference }).orderBy('id').pluck('action');
    expect(actions).toEqual(['complaint.logged', 'complaint.acknowledged']);
  }, 120_000);

  it('an access request made on the web is carried to completion by the committee', async () => {
    const answer = await submit(base, '/privacy/request', { type: 'access', full_name: 'Sam Smith', email: 'sam.smith@example.com' }, nextClient());
    expect(answer.status).toBe(200);
    const reference = /DSR-\d{4}-\d{4}/.exec(answer.text)?.[0];
    expect(reference).toBeDefined();
    expect(answer.text).toMatch(/We will reply by <strong>\w+day \d{1,2} \w+ \d{4}<\/strong>/);
    const first = await within(fake.waitForCall('chat.postMessage', (c) => cardText(c).includes(reference!)), 40_000, 'request card never posted');
    expect(cardText(first)).toContain('by web');
    const identity = buttonValue(first, 'Approve identity');
    expect(await slack.click(CHAIR_A, identity.actionId, identity.value)).toMatch(/decided/);
    const proposed = await slack.card(reference!, (text) => text.includes('Approve access'));
    const approve = buttonValue(proposed, 'Approve access');
    expect(await slack.click(CHAIR_B, approve.actionId, approve.value)).toMatch(/decided/);
    await slack.card(reference!, (text) => /completed/.test(text) && !text.includes('vote_approve'), 60_000);
    expect(await t.db('requests').where({ reference }).first()).toMatchObject({ status: 'completed', received_via: 'web', requested_by: 'public web form' });
    expect(JSON.stringify(fake.calls)).not.toContain('sam.smith@example.com');
  }, 150_000);

  it('with Slack down, the form still answers and the card follows through the outbox', async () => {
    fake.failNext(1, { kind: 'http', status: 503 }, 'chat.postMessage');
    const answer = await submit(base, '/privacy/complaint', { summary: 'Still waiting.', email: 'lou@example.com', full_name: '', reference: '' }, nextClient());
    expect(answer.status).toBe(200);
    const reference = /CMP-\d{4}-\d{3}/.exec(answer.text)![0];
    expect(await t.db('complaints').where({ reference }).first()).toMatchObject({ status: 'open' });
    await within(fake.waitForCall('chat.postMessage', (c) => cardText(c).includes(reference)), 60_000, 'the card never followed');
  }, 120_000);

  it('answers 50 submissions in a minute from one client with 429 after the tenth, and serves everyone else as before', async () => {
    const me = nextClient();
    const statuses: number[] = [];
    for (let i = 0; i < 50; i += 1) statuses.push((await submit(base, '/privacy/complaint', { summary: '', email: 'x@example.com', full_name: '', reference: '' }, me)).status);
    expect(statuses.filter((s) => s === 422)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await submit(base, '/privacy/complaint', { summary: 'A real one.', email: 'ok@example.com', full_name: '', reference: '' }, nextClient())).status).toBe(200);
  }, 120_000);

  it('puts nothing typed into the forms in the logs or the metrics', async () => {
    const typedHere = { summary: 'Nobody answered my letter.', email: 'kim@example.com', full_name: 'Kim Lee', reference: '' };
    expect((await submit(base, '/privacy/complaint', typedHere, nextClient())).status).toBe(200);
    expect((await submit(base, '/privacy/request', { type: 'erasure', full_name: 'Kim Lee', email: 'kim@example.com' }, nextClient())).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/govbot_http_requests_total\{route="\/privacy\/complaint",method="POST",status="200"\} \d+/);
    for (const typed of ['kim@example.com', 'Kim Lee', 'Nobody answered', '203.0.113.']) {
      expect(service.output()).not.toContain(typed);
      expect(metrics).not.toContain(typed);
    }
    expect(service.output()).toMatch(/"ref":"CMP-\d{4}-\d{3}".*complaint logged/);
  });
});

describe('PUBLIC_FORMS=off', () => {
  let t: TestDatabase;
  let service: RunningService;
  let dir: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    dir = scratchDir('govbot-forms-off-');
    service = await startServiceProcess(cleanEnv({ DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), PORT: '0', SCHEDULER: 'off', PUBLIC_FORMS: 'off' }), dir);
  }, 90_000);
  afterAll(() => tearDown({ service, t, dir }));

  it('serves no form, says so at start-up, and runs the rest of the service', async () => {
    const base = `http://127.0.0.1:${service.port}`;
    for (const route of ['/privacy/request', '/privacy/complaint', '/privacy/form.css']) expect((await fetch(`${base}${route}`)).status).toBe(404);
    expect((await fetch(`${base}/privacy/complaint`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'summary=x&email=a@example.com' })).status).toBe(404);
    expect(await t.db('complaints').count<{ count: number }[]>('* as count')).toEqual([{ count: 0 }]);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(service.output()).toContain('public forms: off (PUBLIC_FORMS=off)');
  });
});
