import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { cleanEnv, requireBuild, runCli, scratchDir, startServiceProcess, type RunningService } from '../support/processes.js';
import { slackDriver, type SlackDriver } from '../support/slack-e2e.js';
import { COMMITTEE_CHANNEL, teamsUser } from '../support/teams-activities.js';
import { answerText, teamsDriver, type TeamsDriver } from '../support/teams-driver.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * One service serving Slack and Teams at once, on one port: staff log a request with /dsr in
 * Slack, the committee lives in Teams, so the card goes to the Teams committee channel and Teams
 * members decide it. The roster, votes and audit trail are shared.
 */
const SECRET = 'e2e-signing-secret';
const SLACK_CLERK = 'U0CLERK01';
const SLACK_CHAIR = 'U0CHAIRS1';
const CHAIR = teamsUser(1, 'Chair Ada');
const MEMBER = teamsUser(2, 'Member Max');

describe('a request logged in Slack and decided in Teams', () => {
  let t: TestDatabase;
  let slackFake: FakeSlack;
  let connector: FakeBotConnector;
  let service: RunningService;
  let slack: SlackDriver;
  let teams: TeamsDriver;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    requireBuild();
    t = await createTestDatabase();
    slackFake = await startFakeSlack();
    connector = await startFakeBotConnector();
    dir = scratchDir('govbot-slack-teams-e2e-');
    env = cleanEnv({
      DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), PORT: '0',
      SLACK_BOT_TOKEN: 'xoxb-e2e-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slackFake.apiUrl,
      COMMITTEE_CHAIRS: `slack:${SLACK_CHAIR},teams:${CHAIR.aadObjectId}`,
      APPROVAL_QUORUM: '2', IDENTITY_QUORUM: '1',
    });
    await t.db('contacts').insert({ external_id: 'CRM-1', email: 'jo.bloggs@example.com', full_name: 'Jo Bloggs', is_customer: false });
    service = await startServiceProcess(env, dir);
    slack = slackDriver(`http://127.0.0.1:${service.port}/slack/events`, slackFake, SECRET);
    teams = teamsDriver(`http://127.0.0.1:${service.port}/api/messages`, connector);
  }, 90_000);

  afterAll(async () => {
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    await slackFake?.close();
    await connector?.close();
    await t?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends the card to the Teams committee channel and completes the erasure on Teams votes', async () => {
    expect((await teams.say(CHAIR, 'gov channel set')).text).toContain('This channel is now the committee channel');
    // A Slack chair adds a Teams member to the one roster.
    expect(await slack.command(SLACK_CHAIR, '/gov', `members add teams:${MEMBER.aadObjectId}`)).toContain('is now a member');

    const logged = await slack.command(SLACK_CLERK, '/dsr', 'new erasure jo.bloggs@example.com Jo Bloggs');
    const reference = /DSR-\d{4}-\d{4}/.exec(logged)?.[0];
    expect(reference, logged).toBeDefined();

    const card = await teams.card(reference!, (text) => text.includes('Approve identity'));
    expect(card.conversationId).toBe(COMMITTEE_CHANNEL);
    expect(JSON.stringify(card.body)).toContain('Logged by'); // who logged it, named across platforms (below)
    expect(answerText(await teams.press(CHAIR, card, 'Approve identity'))).toContain('decided');
    const proposed = await teams.card(reference!, (text) => text.includes('Approve erasure'));
    expect(answerText(await teams.press(CHAIR, proposed, 'Approve erasure'))).toContain('1 of 2 approvals');
    expect(answerText(await teams.press(MEMBER, proposed, 'Approve erasure'))).toContain('Your vote decided it');
    const done = await teams.card(reference!, (text) => /completed/i.test(text) && !text.includes('"verb":"vote"'), 60_000);
    // Teams cannot render a Slack mention: the Slack clerk's name, from users.info, is shown instead.
    expect(JSON.stringify(done.body)).toContain(`User ${SLACK_CLERK}`);
    expect(JSON.stringify(done.body)).not.toContain(`slack:${SLACK_CLERK}`);
    expect(slackFake.callsTo('users.info').map((c) => c.body.user)).toContain(SLACK_CLERK);

    expect(await t.db('contacts').where({ external_id: 'CRM-1' }).first()).toBeUndefined();
    expect(await t.db('requests').where({ reference }).first()).toMatchObject({ status: 'completed', requested_by: `slack:${SLACK_CLERK}` });
    expect(slackFake.callsTo('chat.postMessage').filter((c) => String(c.body.text).includes(reference!))).toEqual([]);
    const audit = await runCli(['audit', 'verify'], env, dir);
    expect(audit.code, audit.stderr).toBe(0);
  }, 150_000);
});
