import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityText, startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { cleanEnv, requireBuild, runCli, scratchDir, startServiceProcess, type RunningService } from '../support/processes.js';
import { COMMITTEE_CHANNEL, teamsUser } from '../support/teams-activities.js';
import { answerText, teamsDriver, type TeamsDriver } from '../support/teams-driver.js';
import { tearDown } from '../support/e2e-teardown.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The request workflow entirely in Teams, end to end: the real service process (teams-ai over
 * HTTP in local mode on loopback, the Bree scheduler running the compiled jobs, a real
 * PostgreSQL) against a fake Bot Connector. A chair sets the committee channel, staff log an
 * erasure by message, the committee votes on Adaptive Cards, and the jobs carry the decision out.
 * The register ends as in the Slack test (test/e2e/slack-requests.test.ts).
 * The quarterly purge in Teams is in test/e2e/teams-purge.test.ts.
 */
const CHAIR_A = teamsUser(1, 'Chair Ada');
const CHAIR_B = teamsUser(2, 'Chair Ben');
const CLERK = teamsUser(3, 'Clerk Cy');

describe('data subject requests on Teams', () => {
  let t: TestDatabase;
  let fake: FakeBotConnector;
  let service: RunningService;
  let teams: TeamsDriver;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    requireBuild();
    t = await createTestDatabase();
    fake = await startFakeBotConnector();
    dir = scratchDir('govbot-teams-e2e-');
    env = cleanEnv({
      DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), PORT: '0',
      COMMITTEE_CHAIRS: `teams:${CHAIR_A.aadObjectId},teams:${CHAIR_B.aadObjectId}`,
      APPROVAL_QUORUM: '2', IDENTITY_QUORUM: '1',
    });
    await t.db('contacts').insert([
      { external_id: 'CRM-1', email: 'jo.bloggs@example.com', full_name: 'Jo Bloggs', phone: '+44 20 7946 0001', is_customer: false },
      { external_id: 'CRM-2', email: 'sam.smith@example.com', full_name: 'Sam Smyth', is_customer: true },
    ]);
    service = await startServiceProcess(env, dir);
    teams = teamsDriver(`http://127.0.0.1:${service.port}/api/messages`, fake);
  }, 90_000);

  afterAll(() => tearDown({ service, fake, t, dir }));

  it('says at start-up that Teams runs in local mode', () => {
    expect(service.output()).toContain('teams: local mode');
  });

  it('erases a subject decided on Adaptive Cards: rows gone, tombstone and suppression kept, card done, audit intact', async () => {
    const set = await teams.say(CHAIR_A, 'gov channel set');
    expect(set.text).toContain('This channel is now the committee channel');

    const logged = await teams.say(CLERK, 'dsr new erasure jo.bloggs@example.com Jo Bloggs');
    const reference = /DSR-\d{4}-\d{4}/.exec(logged.text)?.[0];
    expect(reference, logged.text).toBeDefined();
    expect(logged.replies.every((r) => r.conversationId !== null && r.conversationId.startsWith('a:personal-'))).toBe(true);

    const first = await teams.card(reference!, (text) => text.includes('Approve identity'));
    expect(first.method).toBe('POST');
    expect(first.conversationId).toBe(COMMITTEE_CHANNEL);
    expect(activityText(first)).not.toContain('jo.bloggs@example.com');
    expect(answerText(await teams.press(CHAIR_A, first, 'Approve identity'))).toContain('Your vote decided it: identity approved');

    const proposed = await teams.card(reference!, (text) => text.includes('Approve erasure'));
    expect(proposed.method === 'PUT' ? proposed.activityId : null).toBe(first.createdId);
    expect(answerText(await teams.press(CLERK, proposed, 'Approve erasure'))).toContain('Only committee members can vote');
    expect(answerText(await teams.press(CHAIR_A, proposed, 'Approve erasure'))).toContain('1 of 2 approvals');
    expect(answerText(await teams.press(CHAIR_A, proposed, 'Approve erasure'))).toMatch(/already/);
    expect(await t.db('contacts').where({ external_id: 'CRM-1' }).first()).toBeDefined();
    expect(answerText(await teams.press(CHAIR_B, proposed, 'Approve erasure'))).toContain('Your vote decided it');

    const done = await teams.card(reference!, (text) => /completed/i.test(text) && !text.includes('"verb":"vote"'), 60_000);
    expect(done.method).toBe('PUT');
    expect(done.activityId).toBe(first.createdId);
    expect(await t.db('contacts').where({ external_id: 'CRM-1' }).first()).toBeUndefined();
    expect(await t.db('contacts').count<{ count: string }[]>('* as count')).toEqual([{ count: 1 }]);
    expect(await t.db('contact_tombstones').select('reason', 'suppressed')).toEqual([{ reason: 'R1', suppressed: true }]);
    const suppression = await t.db('suppression_list').select('email_hmac', 'reason');
    expect(suppression.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(suppression)).not.toContain('jo.bloggs');
    expect(await t.db('requests').where({ reference }).first()).toMatchObject({ status: 'completed', subject_email: null, subject_name: null });
    expect(await t.db('votes').orderBy('id').select('member', 'decision')).toEqual([
      { member: `teams:${CHAIR_A.aadObjectId}`, decision: 'approve' },
      { member: `teams:${CHAIR_A.aadObjectId}`, decision: 'approve' },
      { member: `teams:${CHAIR_B.aadObjectId}`, decision: 'approve' },
    ]);
    expect(JSON.stringify(fake.calls)).not.toContain('jo.bloggs@example.com');

    const audit = await runCli(['audit', 'verify'], env, dir);
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(/^ok \d+ events/);
  }, 150_000);

});
