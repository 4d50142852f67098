import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityText, startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { cleanEnv, requireBuild, runCli, scratchDir, startServiceProcess, type RunningService } from '../support/processes.js';
import { teamsUser } from '../support/teams-activities.js';
import { answerText, teamsDriver, type TeamsDriver } from '../support/teams-driver.js';
import { tearDown } from '../support/e2e-teardown.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * Teams speaks Teams, end to end through the real service (teams-ai over HTTP in local mode):
 * people appear by the names Teams gives with every activity, never as Entra object ids or `29:`
 * ids, on cards and in replies, and a new name shows as soon as Teams sends it; help, errors and
 * hints show commands as Teams users type them (no slash, `@name`), with the request's reference
 * where it is known. Names stay out of the audit chain and the log.
 */
const CHAIR = teamsUser(1, 'Chair Ada');
const MEMBER = teamsUser(2, 'Member Ben');
const CLERK = teamsUser(3, 'Clerk Cy');
const PERSONAL = { where: { kind: 'personal' } } as const;
const SLASH_COMMAND = /(^|\s)\/(dsr|gov)\b/m;

describe('Teams shows names and its own syntax', () => {
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
    dir = scratchDir('govbot-teams-names-');
    env = cleanEnv({
      DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), PORT: '0',
      COMMITTEE_CHAIRS: `teams:${CHAIR.aadObjectId}`, APPROVAL_QUORUM: '2', IDENTITY_QUORUM: '1',
    });
    await t.db('contacts').insert({ external_id: 'CRM-1', email: 'jo.bloggs@example.com', full_name: 'Jo Bloggs', is_customer: false });
    service = await startServiceProcess(env, dir);
    teams = teamsDriver(`http://127.0.0.1:${service.port}/api/messages`, fake);
  }, 90_000);

  afterAll(() => tearDown({ service, fake, t, dir }));

  it('answers help with commands as typed in Teams: no slash, people by @name', async () => {
    const dsr = await teams.say(CLERK, 'dsr help', PERSONAL);
    expect(dsr.text).toContain('• dsr show <ref>');
    expect(dsr.text).not.toMatch(SLASH_COMMAND);
    const gov = await teams.say(CLERK, 'gov help', PERSONAL);
    expect(gov.text).toContain('gov members add @name [chair]');
    expect(gov.text).not.toMatch(SLASH_COMMAND);
    expect(gov.text).not.toContain('<@');
    const unknown = await teams.say(CLERK, 'dsr frobnicate', PERSONAL);
    expect(unknown.text).toContain('Unknown command "dsr frobnicate"');
    expect(unknown.text).not.toMatch(SLASH_COMMAND);
  });

  it('names people on cards and in replies, with the reference filled in, and follows a new name', async () => {
    const set = await teams.say(CHAIR, 'gov channel set');
    expect(set.text).toContain('set by Chair Ada');
    const added = await teams.say(CHAIR, `gov members add @${MEMBER.name}`, { mentions: [MEMBER], withAad: true });
    expect(added.text).toContain('Member Ben is now a member');

    const logged = await teams.say(CLERK, 'dsr new erasure jo.bloggs@example.com Jo Bloggs');
    const reference = /DSR-\d{4}-\d{4}/.exec(logged.text)?.[0];
    expect(reference, logged.text).toBeDefined();
    expect(logged.text).not.toMatch(SLASH_COMMAND);

    const card = await teams.card(reference!, (text) => text.includes('Approve identity'));
    expect(activityText(card)).toContain('Clerk Cy');
    // The card's hint names this request and is typed as in Teams.
    expect(activityText(card)).toContain(`dsr pause ${reference} identity`);
    expect(answerText(await teams.press(CHAIR, card, 'Approve identity'))).toContain('decided');
    const proposed = await teams.card(reference!, (text) => text.includes('Approve erasure'));
    expect(answerText(await teams.press(MEMBER, proposed, 'Approve erasure'))).toContain('1 of 2 approvals');
    const voted = await teams.card(reference!, (text) => text.includes('1 of 2 approvals'));
    expect(activityText(voted)).toContain('Member Ben');

    // An error about this request: Teams syntax, and its reference in place of <ref>.
    const wrong = await teams.say(MEMBER, `dsr pause ${reference} holiday`, PERSONAL);
    expect(wrong.text).toContain(`Usage: dsr pause ${reference} <identity|authority|clarification|fee> [note]`);
    expect(wrong.text).not.toMatch(SLASH_COMMAND);

    const roster = await teams.say(MEMBER, 'gov members', PERSONAL);
    expect(roster.text).toContain('Chair Ada (chair)');
    expect(roster.text).toContain('Member Ben');

    // Teams sends the new name with the next activity; the next reply uses it.
    const renamed = { ...CHAIR, name: 'Ada Lovelace' };
    const after = await teams.say(renamed, 'gov members', PERSONAL);
    expect(after.text).toContain('Ada Lovelace (chair)');
    expect(after.text).not.toContain('Chair Ada');

    const shown = [set.text, added.text, logged.text, wrong.text, roster.text, after.text, ...fake.calls.map((c) => JSON.stringify(c.body))].join('\n');
    for (const person of [CHAIR, MEMBER, CLERK]) {
      // The connector sees ids in addressing (from/recipient); the words shown never do.
      expect([set.text, added.text, roster.text, after.text, activityText(card), activityText(voted)].join('\n')).not.toContain(person.aadObjectId);
      expect(activityText(voted)).not.toContain(person.id);
    }
    expect(shown).not.toContain('<@');
  }, 150_000);

  it('keeps names in their table only: not in the audit chain, not in the log', async () => {
    expect(await t.db('display_names').where({ identity: `teams:${CHAIR.aadObjectId}` }).first()).toMatchObject({ name: 'Ada Lovelace' });
    const audit = JSON.stringify(await t.db('audit_events').select('actor', 'action', 'subject', 'facts'));
    for (const name of ['Chair Ada', 'Ada Lovelace', 'Member Ben', 'Clerk Cy']) {
      expect(audit).not.toContain(name);
      expect(service.output()).not.toContain(name);
    }
    const verified = await runCli(['audit', 'verify'], env, dir);
    expect(verified.code, verified.stderr).toBe(0);
  });
});
