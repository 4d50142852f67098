import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalIdHash, suppressionHash } from '../../src/domain/suppression.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { cleanEnv, requireBuild, runCli, scratchDir, startServiceProcess, type RunningService } from '../support/processes.js';
import { insertContacts, insertRequest } from '../support/purge-fixtures.js';
import { buttonValue, cardText, slackDriver, within, type SlackDriver } from '../support/slack-e2e.js';
import { tearDown } from '../support/e2e-teardown.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The quarterly deletion review on Slack, end to end: the real service process (Bolt over HTTP,
 * the Bree scheduler running the compiled jobs, a real PostgreSQL) against a fake Slack Web API.
 * A chair runs the sweep, a member excludes a candidate, two members approve, execute-actions
 * purges, and the report follows; then the register, the suppression list and the audit chain
 * are checked.
 */
const SECRET = 'e2e-signing-secret';
const PEPPER = 'e2e-suppression-pepper-0123456789';
const CHAIR_A = 'U0CHAIRA1';
const CHAIR_B = 'U0CHAIRB1';
const CLERK = 'U0CLERK01';
const OLD = new Date(Date.now() - 5 * 365 * 86_400_000);

describe('the quarterly deletion review on Slack', () => {
  let t: TestDatabase;
  let fake: FakeSlack;
  let service: RunningService;
  let slack: SlackDriver;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let ids: number[];

  beforeAll(async () => {
    requireBuild();
    t = await createTestDatabase();
    fake = await startFakeSlack();
    dir = scratchDir('govbot-slack-purge-');
    env = cleanEnv({
      DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), PORT: '0', SUPPRESSION_PEPPER: PEPPER,
      SLACK_BOT_TOKEN: 'xoxb-e2e-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl,
      SLACK_COMMITTEE_CHANNEL: 'C0COMMITTEE', COMMITTEE_CHAIRS: `slack:${CHAIR_A},slack:${CHAIR_B}`, APPROVAL_QUORUM: '2',
    });
    ids = await insertContacts(t.db, [
      { external_id: 'CRM-1', email: 'lapsed.one@example.com', full_name: 'Lapsed One', first_collected_at: OLD },
      { external_id: 'CRM-2', email: 'opted.out@example.com', full_name: 'Opted Out', first_collected_at: OLD, do_not_contact: true },
      { external_id: 'CRM-3', email: 'asked.erasure@example.com', full_name: 'Asked Erasure', is_customer: true },
      { external_id: 'CRM-4', email: 'on.hold@example.com', full_name: 'On Hold', first_collected_at: OLD },
      { external_id: 'CRM-5', email: 'customer@example.com', full_name: 'A Customer', first_collected_at: OLD, is_customer: true },
      { external_id: 'CRM-6', email: 'held@example.com', full_name: 'Legal Hold', inaccurate: true, legal_hold: true },
    ]);
    // An erasure the committee approved, closed as completed before it was carried out: R1.
    await insertRequest(t.db, { type: 'erasure', status: 'completed', matched: [ids[2]!], approvedAction: true });
    service = await startServiceProcess(env, dir);
    slack = slackDriver(`http://127.0.0.1:${service.port}/slack/events`, fake, SECRET);
  }, 90_000);

  afterAll(() => tearDown({ service, fake, t, dir }));

  it('sweep → card → exclusion → two approvals → purge → report, audit intact', async () => {
    expect(await slack.command(CLERK, '/gov', 'purge run')).toMatch(/Only a committee chair can use \/gov purge run/);
    const proposed = await slack.command(CHAIR_A, '/gov', 'purge run');
    const reference = /PURGE-\d{4}-Q\d/.exec(proposed)?.[0];
    expect(proposed, proposed).toMatch(/proposed: 4 contact\(s\) to delete.*1 kept back/);
    const posted = await within(fake.waitForCall('chat.postMessage', (c) => cardText(c).includes(`${reference!}`) && cardText(c).includes('Approve purge')), 40_000, 'purge card never posted');
    expect(posted.body.channel).toBe('C0COMMITTEE');
    const text = cardText(posted);
    expect(text).toMatch(/l\*\*\*@example\.com/);
    expect(text).not.toMatch(/lapsed\.one@|opted\.out@|asked\.erasure@|on\.hold@/);
    const file = path.join(dir, 'data', 'exports', `${reference!}-candidates.csv`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    expect(await slack.command(CHAIR_B, '/gov', 'purge exclude CRM-4 legal hold: employment tribunal')).toMatch(new RegExp(`#${ids[3]} is kept out of ${reference!}`));
    expect(await slack.command(CHAIR_B, '/gov', 'purge exclude CRM-5 anything')).toMatch(/is not a candidate/);
    const narrowed = await slack.card(reference!, (card) => /To delete\*\\n3 contacts/.test(card));
    const approve = buttonValue(narrowed, 'Approve purge');
    expect(await slack.click(CLERK, approve.actionId, approve.value)).toMatch(/Only committee members can vote/);
    expect(await slack.click(CHAIR_A, approve.actionId, approve.value)).toMatch(/1 of 2 approvals/);
    expect(await slack.click(CHAIR_B, approve.actionId, approve.value)).toMatch(/approved; govbot is deleting/);

    const report = await within(fake.waitForCall('chat.postMessage', (c) => cardText(c).includes(`Purge ${reference!} completed`)), 40_000, 'no completion report');
    expect(cardText(report)).toMatch(/3 contacts/);
    await slack.card(reference!, (card) => card.includes('done') && !card.includes('vote_approve'));
    expect(await slack.click(CHAIR_A, approve.actionId, approve.value)).toMatch(/already/);

    expect(await t.db('contacts').orderBy('id').pluck('external_id')).toEqual(['CRM-4', 'CRM-5', 'CRM-6']);
    expect(await t.db('contact_tombstones').orderBy('contact_id').select('contact_id', 'reason', 'suppressed', 'external_id_hash')).toEqual([
      { contact_id: ids[0], reason: 'R2', suppressed: false, external_id_hash: externalIdHash(PEPPER, 'CRM-1') },
      { contact_id: ids[1], reason: 'R2', suppressed: true, external_id_hash: externalIdHash(PEPPER, 'CRM-2') },
      { contact_id: ids[2], reason: 'R1', suppressed: true, external_id_hash: externalIdHash(PEPPER, 'CRM-3') },
    ]);
    expect(await t.db('suppression_list').orderBy('reason').select('email_hmac', 'reason', 'source_ref')).toEqual([
      { email_hmac: suppressionHash(PEPPER, 'opted.out@example.com'), reason: 'do-not-contact', source_ref: reference },
      { email_hmac: suppressionHash(PEPPER, 'asked.erasure@example.com'), reason: 'purge R1', source_ref: reference },
    ]);
    expect(await t.db('retention_exclusions').pluck('contact_id')).toEqual([ids[3]]);
    expect(fs.existsSync(file)).toBe(false);
    expect(JSON.stringify(fake.calls)).not.toMatch(/lapsed\.one@|opted\.out@|asked\.erasure@/);

    const audit = await runCli(['audit', 'verify'], env, dir);
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(/^ok \d+ events/);
  }, 150_000);
});
