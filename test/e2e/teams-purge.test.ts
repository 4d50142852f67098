import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalIdHash, suppressionHash } from '../../src/domain/suppression.js';
import { activityText, startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { cleanEnv, requireBuild, runCli, scratchDir, startServiceProcess, type RunningService } from '../support/processes.js';
import { insertContacts, insertRequest } from '../support/purge-fixtures.js';
import { COMMITTEE_CHANNEL, teamsUser } from '../support/teams-activities.js';
import { answerText, teamsDriver, within, type TeamsDriver } from '../support/teams-driver.js';
import { tearDown } from '../support/e2e-teardown.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The quarterly deletion review entirely in Teams: the real service process (teams-ai in local
 * mode, the Bree scheduler, a real PostgreSQL) against a fake Bot Connector. The register ends
 * exactly as in the Slack test (test/e2e/slack-purge.test.ts).
 */
const PEPPER = 'e2e-suppression-pepper-0123456789';
const CHAIR_A = teamsUser(1, 'Chair Ada');
const CHAIR_B = teamsUser(2, 'Chair Ben');
const CLERK = teamsUser(3, 'Clerk Cy');
const OLD = new Date(Date.now() - 5 * 365 * 86_400_000);

describe('the quarterly deletion review on Teams', () => {
  let t: TestDatabase;
  let fake: FakeBotConnector;
  let service: RunningService;
  let teams: TeamsDriver;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let ids: number[];

  beforeAll(async () => {
    requireBuild();
    t = await createTestDatabase();
    fake = await startFakeBotConnector();
    dir = scratchDir('govbot-teams-purge-');
    env = cleanEnv({
      DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), PORT: '0', SUPPRESSION_PEPPER: PEPPER,
      COMMITTEE_CHAIRS: `teams:${CHAIR_A.aadObjectId},teams:${CHAIR_B.aadObjectId}`, APPROVAL_QUORUM: '2',
    });
    ids = await insertContacts(t.db, [
      { external_id: 'CRM-1', email: 'lapsed.one@example.com', full_name: 'Lapsed One', first_collected_at: OLD },
      { external_id: 'CRM-2', email: 'opted.out@example.com', full_name: 'Opted Out', first_collected_at: OLD, do_not_contact: true },
      { external_id: 'CRM-3', email: 'asked.erasure@example.com', full_name: 'Asked Erasure', is_customer: true },
      { external_id: 'CRM-4', email: 'on.hold@example.com', full_name: 'On Hold', first_collected_at: OLD },
      { external_id: 'CRM-5', email: 'customer@example.com', full_name: 'A Customer', first_collected_at: OLD, is_customer: true },
      { external_id: 'CRM-6', email: 'held@example.com', full_name: 'Legal Hold', inaccurate: true, legal_hold: true },
    ]);
    await insertRequest(t.db, { type: 'erasure', status: 'completed', matched: [ids[2]!], approvedAction: true });
    service = await startServiceProcess(env, dir);
    teams = teamsDriver(`http://127.0.0.1:${service.port}/api/messages`, fake);
  }, 90_000);

  afterAll(() => tearDown({ service, fake, t, dir }));

  it('sweep → card → exclusion → two approvals by Adaptive Card → purge → report, audit intact', async () => {
    expect((await teams.say(CHAIR_A, 'gov channel set')).text).toContain('This channel is now the committee channel');
    expect((await teams.say(CLERK, 'gov purge run')).text).toMatch(/Only a committee chair can use gov purge run/);
    const proposed = await teams.say(CHAIR_A, 'gov purge run');
    const reference = /PURGE-\d{4}-Q\d/.exec(proposed.text)?.[0];
    expect(reference, proposed.text).toBeDefined();

    const posted = await teams.card(reference!, (text) => text.includes('Approve purge'));
    expect(posted.conversationId).toBe(COMMITTEE_CHANNEL);
    expect(activityText(posted)).not.toMatch(/lapsed\.one@|opted\.out@|asked\.erasure@|on\.hold@/);

    expect((await teams.say(CHAIR_B, 'gov purge exclude CRM-4 legal hold: employment tribunal')).text).toMatch(new RegExp(`#${ids[3]} is kept out of ${reference!}`));
    const narrowed = await teams.card(reference!, (text) => text.includes('Approve purge') && /3 contacts/.test(text));
    expect(answerText(await teams.press(CLERK, narrowed, 'Approve purge'))).toContain('Only committee members can vote');
    expect(answerText(await teams.press(CHAIR_A, narrowed, 'Approve purge'))).toContain('1 of 2 approvals');
    expect(answerText(await teams.press(CHAIR_B, narrowed, 'Approve purge'))).toMatch(/approved; govbot is deleting/);

    await within(fake.waitForCall((c) => c.method === 'POST' && activityText(c).includes(`Purge ${reference!} completed`)), 60_000, () => 'no completion report');
    await teams.card(reference!, (text) => text.includes('done') && !text.includes('"verb":"vote"'), 60_000);

    expect(await t.db('contacts').orderBy('id').pluck('external_id')).toEqual(['CRM-4', 'CRM-5', 'CRM-6']);
    expect(await t.db('contact_tombstones').orderBy('contact_id').select('contact_id', 'reason', 'suppressed', 'external_id_hash')).toEqual([
      { contact_id: ids[0], reason: 'R2', suppressed: false, external_id_hash: externalIdHash(PEPPER, 'CRM-1') },
      { contact_id: ids[1], reason: 'R2', suppressed: true, external_id_hash: externalIdHash(PEPPER, 'CRM-2') },
      { contact_id: ids[2], reason: 'R1', suppressed: true, external_id_hash: externalIdHash(PEPPER, 'CRM-3') },
    ]);
    expect(await t.db('suppression_list').orderBy('reason').select('email_hmac', 'reason')).toEqual([
      { email_hmac: suppressionHash(PEPPER, 'opted.out@example.com'), reason: 'do-not-contact' },
      { email_hmac: suppressionHash(PEPPER, 'asked.erasure@example.com'), reason: 'purge R1' },
    ]);
    expect(JSON.stringify(fake.calls)).not.toMatch(/lapsed\.one@|opted\.out@|asked\.erasure@/);
    const audit = await runCli(['audit', 'verify'], env, dir);
    expect(audit.code, audit.stderr).toBe(0);
  }, 150_000);
});
