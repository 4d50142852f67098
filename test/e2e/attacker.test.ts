import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { startForwardingProxy, type ForwardingProxy } from '../support/forwarding-proxy.js';
import { cleanEnv, requireBuild, scratchDir, startServiceProcess, type RunningService } from '../support/processes.js';
import { registerSnapshot } from '../support/service-context.js';
import { slackDriver, type SlackDriver } from '../support/slack-e2e.js';
import { send, slashCommand } from '../support/slack-requests.js';
import { tearDown } from '../support/e2e-teardown.js';
import { cardAction, messageActivity, postActivity, teamsUser } from '../support/teams-activities.js';
import { findAction, teamsDriver, type TeamsDriver } from '../support/teams-driver.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The outside review's exploits (issue "Security hardening"), each run against the real service
 * process over HTTP, as an attacker would, and each shown refused with nothing changed. The
 * service serves Slack over HTTP and Teams in local mode on loopback, the default set-up the
 * README describes, with a reverse proxy in front as the README advises for Slack.
 */
const SECRET = 'attacker-e2e-signing-secret';
const SLACK_CHAIR = 'U0CHAIR01';
const ALEX_SLACK = 'U0ALEX001';
const CHAIR = teamsUser(1, 'Chair Ada');
const ALEX = teamsUser(2, 'Alex Both');
const MEMBER = teamsUser(3, 'Member Mo');
const OUTSIDER = teamsUser(9, 'Outsider Otto');

describe('attacks on the running service are refused', () => {
  let t: TestDatabase;
  let slackFake: FakeSlack;
  let connector: FakeBotConnector;
  let service: RunningService;
  let proxy: ForwardingProxy;
  let slack: SlackDriver;
  let teams: TeamsDriver;
  let base: string;
  let dir: string;

  beforeAll(async () => {
    requireBuild();
    t = await createTestDatabase();
    slackFake = await startFakeSlack();
    connector = await startFakeBotConnector();
    dir = scratchDir('govbot-attacker-e2e-');
    service = await startServiceProcess(cleanEnv({
      DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), PORT: '0',
      SLACK_BOT_TOKEN: 'xoxb-e2e-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slackFake.apiUrl,
      COMMITTEE_CHAIRS: `slack:${SLACK_CHAIR},teams:${CHAIR.aadObjectId}`, APPROVAL_QUORUM: '2', IDENTITY_QUORUM: '1',
    }), dir);
    base = `http://127.0.0.1:${service.port}`;
    // The scheduled jobs caught up at start write job_runs: done before the register is compared.
    for (let i = 0; i < 600 && !service.output().includes('caught up: every scheduled job'); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(service.output()).toContain('caught up: every scheduled job');
    proxy = await startForwardingProxy(service.port, { publicHost: '127.0.0.1' });
    slack = slackDriver(`${base}/slack/events`, slackFake, SECRET);
    teams = teamsDriver(`${base}/api/messages`, connector);
    expect((await teams.say(CHAIR, 'gov channel set')).text).toContain('This channel is now the committee channel');
  }, 90_000);

  afterAll(async () => {
    await proxy?.close();
    await slackFake?.close();
    await tearDown({ service, fake: connector, t, dir });
  });

  describe('1. Teams local mode behind a reverse proxy', () => {
    it('refuses an activity forwarded by a proxy on this machine (403, a log line saying why), claiming a chair\'s identity', async () => {
      const before = await registerSnapshot(t.db);
      const forged = messageActivity({ serviceUrl: connector.serviceUrl, from: CHAIR, text: `gov members add teams:${OUTSIDER.aadObjectId} chair` });
      const response = await postActivity(`${proxy.url}/api/messages`, forged);
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ error: 'forbidden' });
      expect(await registerSnapshot(t.db)).toEqual(before);
      await expect.poll(() => service.output()).toContain('refused an activity in local mode: the request came through a proxy (it carries a x-forwarded-for header)');
    });

    it('refuses a request addressed to a public name (a proxy passing Host on, or DNS rebinding)', async () => {
      const activity = messageActivity({ serviceUrl: connector.serviceUrl, from: CHAIR, text: 'dsr help' });
      expect(await rawPost(service.port, '/api/messages', activity, { host: 'govbot.example.com' })).toBe(403);
    });

    it('never posts to a serviceUrl the caller chooses (no server-side request forgery)', async () => {
      const before = await registerSnapshot(t.db);
      const calls = connector.calls.length;
      for (const serviceUrl of ['http://169.254.169.254/latest/', 'https://attacker.example/', 'http://evil.localhost:9/']) {
        const response = await postActivity(`${base}/api/messages`, messageActivity({ serviceUrl, from: CHAIR, text: 'gov channel set' }));
        expect(response.status, serviceUrl).toBe(403);
      }
      expect(await registerSnapshot(t.db)).toEqual(before);
      expect(connector.calls.length).toBe(calls);
    });
  });

  describe('2. a Teams vote naming another card', () => {
    it('answers a non-member words, never the breach card they named', async () => {
      await teams.say(CHAIR, 'gov breach report Laptop with the HR spreadsheet left on a train');
      const breach = await teams.card('BR-', (text) => text.includes('"refresh"'));
      const content = (breach.body.attachments as { content: { refresh: { action: { data: { cardKey: string } } } } }[])[0]!.content;
      const cardKey = content.refresh.action.data.cardKey;
      expect(cardKey).toMatch(/^breach:/);
      const votes = await t.db('votes').count<{ count: string }[]>('* as count');
      const answer = await postActivity(`${base}/api/messages`, cardAction({ serviceUrl: connector.serviceUrl, from: OUTSIDER, verb: 'vote', data: { proposalId: 1, decision: 'approve', cardKey }, replyToId: 'some-other-message' }));
      expect(answer.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
      expect(JSON.stringify(answer.body)).not.toMatch(/BR-|spreadsheet/);
      expect(await t.db('votes').count<{ count: string }[]>('* as count')).toEqual(votes);
    });
  });

  describe('5. approving one\'s own request from the other platform', () => {
    it('refuses a person linked across Slack and Teams, who logged in Teams and approves in Slack', async () => {
      expect(await slack.command(SLACK_CHAIR, '/gov', `members add <@${ALEX_SLACK}>`)).toContain('is now a member');
      expect(await slack.command(SLACK_CHAIR, '/gov', `members add teams:${ALEX.aadObjectId}`)).toContain('is now a member');
      expect(await slack.command(SLACK_CHAIR, '/gov', `members add teams:${MEMBER.aadObjectId}`)).toContain('is now a member');
      expect(await slack.command(SLACK_CHAIR, '/gov', `members link <@${ALEX_SLACK}> teams:${ALEX.aadObjectId}`)).toContain('are now one person');
      const logged = await teams.say(ALEX, 'dsr new access alex.friend@example.com Al Friend');
      const reference = /DSR-\d{4}-\d{4}/.exec(logged.text)![0];
      const card = await teams.card(reference, (text) => text.includes('Approve identity'));
      const { proposalId } = findAction(card, 'Approve identity').data;
      const said = await slack.click(ALEX_SLACK, `vote_approve:${proposalId}`, String(proposalId));
      expect(said).toContain('You asked for this');
      expect(await t.db('votes').where({ proposal_id: Number(proposalId) })).toEqual([]);
    });
  });

  describe('6. a captured Slack request replayed with a suffix on its signature', () => {
    it('is refused with 401 and logs nothing twice', async () => {
      const request = slashCommand({ command: '/dsr', text: 'new access replayed@example.com Ray', userId: SLACK_CHAIR, responseUrl: slackFake.responseUrl('replayed') }, { secret: SECRET });
      expect((await send(`${base}/slack/events`, request)).status).toBe(200);
      await slackFake.waitForResponse('replayed');
      // Counted, not snapshotted: the running service's delivery loop may still be posting the first
      // request's card, which changes the outbox but logs nothing.
      const logged = () => t.db('audit_events').where({ action: 'request.logged' }).count<{ count: string }[]>('* as count').then((rows) => Number(rows[0]!.count));
      const requests = () => t.db('requests').count<{ count: string }[]>('* as count').then((rows) => Number(rows[0]!.count));
      const before = { logged: await logged(), requests: await requests() };
      const replay = { ...request, headers: { ...request.headers, 'X-Slack-Signature': `${request.headers['X-Slack-Signature']}=1` } };
      expect((await send(`${base}/slack/events`, replay)).status).toBe(401);
      expect({ logged: await logged(), requests: await requests() }).toEqual(before);
    });
  });

  describe('8. a message of unclosed tags', () => {
    it('is answered, not left holding the CPU', async () => {
      const said = await teams.say(OUTSIDER, `dsr ${'<a'.repeat(60_000)}`, { where: { kind: 'personal' } });
      expect(said.status).toBe(200);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    });
  });

  describe('10. what the public listener gives away', () => {
    it('serves /metrics to this machine directly, and refuses it through the proxy', async () => {
      expect((await fetch(`${base}/metrics`)).status).toBe(200);
      const proxied = await fetch(`${proxy.url}/metrics`);
      expect(proxied.status).toBe(403);
      expect(await proxied.text()).not.toContain('govbot_');
    });

    it('/readyz through the proxy says ready or the kind of trouble, nothing more', async () => {
      const ready = await fetch(`${proxy.url}/readyz`);
      expect(await ready.json()).toEqual({ status: 'ready' });
    });
  });
});

/** A POST with headers fetch will not set (Host). */
function rawPost(port: number, urlPath: string, body: unknown, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(text);
  });
}

