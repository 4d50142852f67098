import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityText, startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { cleanEnv, requireBuild, runCli, scratchDir, startServiceProcess, type RunningService } from '../support/processes.js';
import { insertContacts } from '../support/purge-fixtures.js';
import { COMMITTEE_CHANNEL, teamsUser } from '../support/teams-activities.js';
import { answerText, teamsDriver, within, type TeamsDriver } from '../support/teams-driver.js';
import { tearDown } from '../support/e2e-teardown.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * An installation with Teams alone (no Slack variable at all): the scheduled sweep and reminders
 * run before anyone has chosen a committee channel, doctor names what cannot be delivered and how
 * to fix it, and once a chair types "gov channel set" in Teams everything queued arrives there and
 * the quarter runs to its purge report.
 */
const CHAIR_A = teamsUser(11, 'Chair Ada');
const CHAIR_B = teamsUser(12, 'Chair Ben');
const OLD = new Date(Date.now() - 5 * 365 * 86_400_000);

describe('a quarter with Teams as the only platform', () => {
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
    dir = scratchDir('govbot-teams-only-');
    env = cleanEnv({
      DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), PORT: '0', SUPPRESSION_PEPPER: 'e2e-suppression-pepper-0123456789',
      COMMITTEE_CHAIRS: `teams:${CHAIR_A.aadObjectId},teams:${CHAIR_B.aadObjectId}`, APPROVAL_QUORUM: '2',
    });
    await insertContacts(t.db, [
      { external_id: 'CRM-1', email: 'lapsed.one@example.com', full_name: 'Lapsed One', first_collected_at: OLD },
      { external_id: 'CRM-2', email: 'lapsed.two@example.com', full_name: 'Lapsed Two', first_collected_at: OLD },
    ]);
    service = await startServiceProcess(env, dir);
    teams = teamsDriver(`http://127.0.0.1:${service.port}/api/messages`, fake);
  }, 90_000);

  afterAll(() => tearDown({ service, fake, t, dir }));

  it('queues the scheduled sweep and reminders until a Teams channel is set, says so, then delivers and purges there', async () => {
    const sweep = await runCli(['jobs', 'run', 'retention-sweep'], env, dir);
    expect(sweep.code, sweep.stderr).toBe(0);
    expect(sweep.stdout.replaceAll('\\"', '"')).toContain('Its card waits for a committee channel: a chair should type "gov channel set" to govbot in the Teams channel where the committee votes;');
    const reference = /PURGE-\d{4}-Q\d/.exec(sweep.stdout)?.[0];
    expect(reference, sweep.stdout).toBeDefined();
    expect((await runCli(['jobs', 'run', 'notice-review-reminders'], env, dir)).code).toBe(0);
    // Nothing was queued for Slack, which is off here.
    expect(await t.db('outbox').distinct('platform').pluck('platform')).toEqual(['teams']);

    // The service's delivery runs look at them and record why they wait.
    await waitFor(async () => (await t.db('outbox').where({ status: 'pending' }).whereNotNull('last_error')).length >= 2, 30_000);
    const doctor = await runCli(['doctor'], env, dir);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/^FIX  outbox: 2 message\(s\) cannot be delivered, the oldest queued \S+: no committee channel yet: a chair should type "gov channel set" to govbot in the Teams channel where the committee votes$/m);
    expect(doctor.stdout).toMatch(/^FIX  teams channel: no committee channel/m);
    expect(fake.posts(COMMITTEE_CHANNEL)).toEqual([]);

    expect((await teams.say(CHAIR_A, 'gov channel set')).text).toContain('This channel is now the committee channel');
    const posted = await teams.card(reference!, (text) => text.includes('Approve purge'));
    expect(posted.conversationId).toBe(COMMITTEE_CHANNEL);
    await within(fake.waitForCall((c) => c.method === 'POST' && activityText(c).includes('No review of the privacy notice has been recorded')), 30_000, () => 'no notice reminder in Teams');

    expect(answerText(await teams.press(CHAIR_A, posted, 'Approve purge'))).toContain('1 of 2 approvals');
    expect(answerText(await teams.press(CHAIR_B, posted, 'Approve purge'))).toMatch(/approved; govbot is deleting/);
    await within(fake.waitForCall((c) => c.method === 'POST' && c.conversationId === COMMITTEE_CHANNEL && activityText(c).includes(`Purge ${reference!} completed`)), 60_000, () => 'no completion report in Teams');
    expect(await t.db('contacts').pluck('external_id')).toEqual([]);

    await waitFor(async () => (await t.db('outbox').where({ status: 'pending' })).length === 0, 30_000);
    const after = await runCli(['doctor'], env, dir);
    expect(after.stdout).not.toMatch(/FIX  outbox|FIX  teams channel/);
    expect(after.stdout.trim().split('\n').pop()).toBe('all checks passed');
  }, 180_000);
});

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!await check()) {
    if (Date.now() > deadline) throw new Error(`not true within ${ms} ms: ${check.toString()}`);
    await sleep(250);
  }
}
