import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/server.js';
import { deliverOutbox } from '../../src/jobs/deliver-outbox.js';
import { quarterlyReportJob } from '../../src/jobs/quarterly-report.js';
import { runScheduledJob } from '../../src/jobs/run-job.js';
import { upsertMember } from '../../src/register/committee.js';
import { setCommitteeChannel } from '../../src/services/committee-channel.js';
import { SCOPE_HINT } from '../../src/slack/file-upload.js';
import { createSlackPort } from '../../src/slack/slack-port.js';
import { createTeamsPort } from '../../src/teams/teams-port.js';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { refusedAll } from '../support/calendar.js';
import { seedReportExample } from '../support/report-seed.js';
import { commandDriver, createTestServices, slackUser, teamsUser, type CommandDriver, type TestServices } from '../support/service-context.js';

const member = slackUser('UM1');
const staff = slackUser('USTAFF');
const TEAMS_CHANNEL = '19:committee@thread.tacv2';
let fake: FakeSlack;
let connector: FakeBotConnector;
let t: TestServices;
let d: CommandDriver;

beforeAll(async () => { fake = await startFakeSlack(); connector = await startFakeBotConnector(); });
afterAll(async () => { await fake.close(); await connector.close(); });
beforeEach(async () => {
  t = await createTestServices({ now: '2026-10-02T09:00:00Z', env: { PUBLIC_URL: 'https://govbot.example.com/' } });
  d = commandDriver(t);
  await upsertMember(t.db, { platform: 'slack', userId: 'UM1', role: 'member', addedBy: 'test' });
  await upsertMember(t.db, { platform: 'teams', userId: 'TM1', role: 'member', addedBy: 'test' });
  await setCommitteeChannel(t.db, { platform: 'slack', channel: 'C0COMMITTEE' }, 'slack:UM1');
  await seedReportExample(t.db);
});
afterEach(async () => { await t.drop(); });

const slackPorts = () => new Map([['slack' as const, createSlackPort({ token: 'xoxb-test', apiUrl: fake.apiUrl, logger: t.ctx.logger, timeoutMs: 2_000 })]]);
const jobContext = () => ({ db: t.db, config: t.ctx.config, logger: t.ctx.logger, pepper: 'p' });
/** Outbox rows are due from the database's own now(); the test's clock is in 2026, so make them due then. */
async function deliver(ports: Parameters<typeof deliverOutbox>[1]) {
  await t.db('outbox').update({ next_attempt_at: t.now() });
  return deliverOutbox(jobContext(), ports, t.now());
}
const pngSize = (png: Buffer) => ({ magic: png.subarray(1, 4).toString('ascii'), width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('/gov report in Slack', () => {
  it('posts the figures with the main chart through files upload v2, as one message in the committee channel', async () => {
    const said = await d.say(member, 'gov', 'report');
    expect(said).toContain('The 2026-Q3 accountability report is on its way to the committee channel, with its chart.');
    expect(said).toContain('Answered on time: 70% (7 of 10)');
    const uploadsBefore = fake.uploads.length;
    expect(await deliver(slackPorts())).toMatchObject({ sent: 1 });
    const [get] = fake.callsTo('files.getUploadURLExternal').slice(-1);
    expect(get!.body).toMatchObject({ filename: 'accountability-2026-Q3.png' });
    const upload = fake.uploads[uploadsBefore]!;
    expect(pngSize(upload.bytes!)).toEqual({ magic: 'PNG', width: expect.any(Number), height: expect.any(Number) });
    expect(pngSize(upload.bytes!).width).toBeGreaterThan(1000);
    expect(Number(get!.body.length)).toBe(upload.bytes!.length);
    expect(upload.shared).toMatchObject({ channel: 'C0COMMITTEE', title: 'Requests by month, to 2026-Q3' });
    const blocks = JSON.stringify(upload.shared!.blocks);
    for (const text of ['Accountability report 2026-Q3', 'Answered on time', '70% (7 of 10)', 'median 35.5 days', 'Complaints', '0 received, 0 acknowledged within 30 days']) expect(blocks).toContain(text);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
    expect(await t.db('audit_events').where({ action: 'report.posted' }).first('subject', 'actor')).toEqual({ subject: 'REPORT-2026-Q3', actor: 'slack:UM1' });
  });

  it('still posts the card, with the figures and how to grant files:write, when Slack refuses the upload', async () => {
    await d.say(member, 'gov', 'report 2026-Q3');
    fake.failNext(1, { kind: 'slack-error', error: 'missing_scope' }, 'files.getUploadURLExternal');
    const posts = fake.callsTo('chat.postMessage').length;
    expect(await deliver(slackPorts())).toMatchObject({ sent: 1, retried: 0 });
    const post = fake.callsTo('chat.postMessage')[posts]!;
    const blocks = JSON.stringify(post.body.blocks);
    expect(blocks).toContain('70% (7 of 10)');
    expect(blocks).toContain(SCOPE_HINT.slice(0, 60));
    expect(SCOPE_HINT).toContain('Add files:write under OAuth & Permissions');
  });

  it('answers a quarter in the future, 2026-Q5, one before any data and non-members clearly, changing nothing', async () => {
    await refusedAll(d, t.db, member, 'gov', 'report 2026-Q4', '2026-Q4 is still running until 2026-12-31', 'Usage: /gov report [YYYY-Qn]');
    await refusedAll(d, t.db, member, 'gov', 'report 2027-Q1', '2027-Q1 has not started yet');
    await refusedAll(d, t.db, member, 'gov', 'report 2026-Q5', 'a year has four');
    await refusedAll(d, t.db, member, 'gov', 'report 2025-Q4', 'ended before the register\'s first record (2026-06-01)', 'first quarter with data is 2026-Q2');
    await refusedAll(d, t.db, member, 'gov', 'report 2026-Q1 2026-Q2', 'name one quarter');
    await refusedAll(d, t.db, staff, 'gov', 'report', 'committee members');
  });
});

describe('/gov report in Teams', () => {
  it('shows the chart as an image in the Adaptive Card, fetched from an unguessable, expiring address under PUBLIC_URL', async () => {
    const conversation = { channelId: 'msteams', serviceUrl: connector.serviceUrl, bot: { id: '28:bot' }, conversation: { id: TEAMS_CHANNEL, conversationType: 'channel' } };
    await setCommitteeChannel(t.db, { platform: 'teams', channel: TEAMS_CHANNEL, conversation }, 'teams:TM1');
    await d.say(teamsUser('TM1'), 'gov', 'report');
    const port = createTeamsPort({ config: t.ctx.config, logger: t.ctx.logger, timeoutMs: 2_000 })!;
    expect(await deliver(new Map([['teams' as const, port]]))).toMatchObject({ sent: 1 });
    const activity = connector.posts(TEAMS_CHANNEL).at(-1)!.body as { attachments: { content: { body: { type: string; url?: string; altText?: string }[]; refresh?: unknown } }[] };
    const card = activity.attachments[0]!.content;
    const image = card.body.find((e) => e.type === 'Image')!;
    expect(image.url).toMatch(/^https:\/\/govbot\.example\.com\/reports\/charts\/[0-9a-f]{32}\.png$/);
    expect(image.altText).toContain('11 received, 70% on time');
    expect(card.refresh).toBeUndefined();
    expect(JSON.stringify(card.body)).toContain('70% (7 of 10)');

    const server = http.createServer(createHttpApp(t.db, { timezone: 'Europe/London', clock: () => t.now() }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const path = new URL(image.url!).pathname;
      const served = await fetch(`${base}${path}`);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe('image/png');
      expect(pngSize(Buffer.from(await served.arrayBuffer())).magic).toBe('PNG');
      expect((await fetch(`${base}/reports/charts/${'0'.repeat(32)}.png`)).status).toBe(404);
      expect((await fetch(`${base}/reports/charts/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
      t.setNow('2027-01-01T09:00:00Z'); // 90 days on: the address no longer serves
      expect((await fetch(`${base}${path}`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});

describe('the quarterly-report job', () => {
  it('runs once per quarter with two replicas firing at 09:30 on the first working day', async () => {
    const now = new Date('2026-10-01T08:30:30Z'); // Thursday 1 October, 09:30 BST
    const outcomes = await Promise.all([runScheduledJob(quarterlyReportJob, jobContext(), now), runScheduledJob(quarterlyReportJob, jobContext(), now)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['done', 'skipped']);
    expect(outcomes.find((o) => o.status === 'done')).toMatchObject({ period: '2026-Q4', summary: { posted: true, quarter: '2026-Q3', platform: 'slack' } });
    const later = await runScheduledJob(quarterlyReportJob, jobContext(), new Date('2026-10-05T09:00:00Z'));
    expect(later).toMatchObject({ status: 'skipped', reason: 'slot 2026-Q4 already ran' });
    expect(await t.db('outbox').count<{ count: number }[]>('* as count')).toEqual([{ count: 1 }]);
    expect(await t.db('audit_events').where({ action: 'report.posted', actor: 'govbot' }).count<{ count: number }[]>('* as count')).toEqual([{ count: 1 }]);
  });
});
