import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonthsClamped, dateInTimeZone, formatDateWithWeekday } from '../../src/domain/dates.js';
import { nextWorkingDay } from '../../src/domain/holidays.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { cleanEnv, requireBuild, scratchDir, startServiceProcess, type RunningService } from '../support/processes.js';
import { slackDriver, within, type SlackDriver } from '../support/slack-e2e.js';
import { tearDown } from '../support/e2e-teardown.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The Art 12A clock on Slack, end to end, on today's real calendar: a request received three days
 * ago whose identity (or an agent's authority) is asked for and arrives today is due one month from
 * today, rolled to a working day, not one month from receipt; the card and /dsr show both say so.
 */
const SECRET = 'e2e-signing-secret';
const CLERK = 'U0CLERK01';
const CHAIR = 'U0CHAIRA1';

describe('the request clock on Slack', () => {
  let t: TestDatabase;
  let fake: FakeSlack;
  let service: RunningService;
  let slack: SlackDriver;
  let dir: string;

  beforeAll(async () => {
    requireBuild();
    t = await createTestDatabase();
    fake = await startFakeSlack();
    dir = scratchDir('govbot-slack-clock-');
    const env = cleanEnv({
      DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), PORT: '0',
      SLACK_BOT_TOKEN: 'xoxb-e2e-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl,
      SLACK_COMMITTEE_CHANNEL: 'C0COMMITTEE', COMMITTEE_CHAIRS: `slack:${CHAIR}`,
    });
    service = await startServiceProcess(env, dir);
    slack = slackDriver(`http://127.0.0.1:${service.port}/slack/events`, fake, SECRET);
  }, 90_000);

  afterAll(() => tearDown({ service, fake, t, dir }));

  it.each([
    ['identity', 'pat@example.com', '', 'identity received'],
    ['authority', 'lee@example.com', ' --agent "Lee Advocates"', "the agent's authority received"],
  ])('%s asked and received today: due one month from today, on the card and in /dsr show', async (kind, email, agent, arrived) => {
    const today = dateInTimeZone(new Date(), 'Europe/London');
    const received = addDays(today, -3);
    const due = nextWorkingDay(addMonthsClamped(today, 1), 'england-and-wales');
    const logged = await slack.command(CLERK, '/dsr', `new access ${email} --received ${received}${agent}`);
    const reference = /DSR-\d{4}-\d{4}/.exec(logged)?.[0];
    expect(reference, logged).toBeDefined();
    const ref = reference!;
    await within(fake.waitForCall('chat.postMessage', (c) => String(c.body.text).includes(ref)), 40_000, 'card never posted');

    expect(await slack.command(CHAIR, '/dsr', `pause ${ref} ${kind}`)).toContain(`The clock of ${ref} has not started`);
    await slack.card(ref, (text) => text.includes(`clock not started: awaiting`));
    expect(await slack.command(CHAIR, '/dsr', `resume ${ref}`)).toBe(`${ref}: clock starts afresh on ${today}: ${arrived} (Art 12A). Due ${formatDateWithWeekday(due)}.`);

    const card = await slack.card(ref, (text) => text.includes(`clock starts afresh on ${today}`));
    expect(JSON.stringify(card.body)).toContain(formatDateWithWeekday(due));
    const shown = await slack.command(CHAIR, '/dsr', `show ${ref}`);
    expect(shown).toContain(`Clock: due ${formatDateWithWeekday(due)}`);
    expect(shown).toContain(`clock starts afresh on ${today}: ${arrived}; relevant day ${today}`);
    expect(await t.db('requests').where({ reference: ref }).first()).toMatchObject({ due_on: due, relevant_on: today, received_on: received });
  }, 150_000);
});
