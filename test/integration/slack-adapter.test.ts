import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/chat/port.js';
import { createHttpApp, startHttpServer, type HttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { upsertMember } from '../../src/register/committee.js';
import type { SlackAdapter } from '../../src/slack/slack-app.js';
import { slackAdapterWithInbox } from '../support/chat-inbox.js';
import { createSlackPort } from '../../src/slack/slack-port.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { createTestServices, type TestServices } from '../support/service-context.js';
import { blockAction, eventCallback, send, slashCommand, viewSubmission, type OpenedModal, type SlackRequest } from '../support/slack-requests.js';

const SECRET = 'test-signing-secret-0123456789';
const COMMITTEE = 'C0COMMITTEE';
const signed = { secret: SECRET };

interface OpenedView extends OpenedModal {
  readonly callback_id: string;
  readonly private_metadata: string;
  readonly blocks: readonly { type: string; block_id?: string }[];
}

describe('Slack adapter over HTTP', () => {
  let fake: FakeSlack;
  let t: TestServices;
  let server: HttpServer;
  let adapter: SlackAdapter;
  let url: string;
  const post = (request: SlackRequest, headers?: Record<string, string>) => send(url, request, headers);
  const count = async (table: string) => Number((await t.db(table).count<{ count: string }[]>('* as count'))[0]!.count);
  const views = async (callbackId: string) => (await fake.waitForCall('views.open', (c) => (c.body.view as OpenedView).callback_id === callbackId)).body.view as OpenedView;

  beforeAll(async () => {
    fake = await startFakeSlack();
    t = await createTestServices({ env: { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, SLACK_COMMITTEE_CHANNEL: COMMITTEE } });
    const app = createHttpApp(t.db);
    adapter = slackAdapterWithInbox({ config: t.ctx.config, services: t.ctx, app, logger: t.ctx.logger });
    server = await startHttpServer({ app, host: '127.0.0.1', port: 0, logger: t.ctx.logger });
    url = `http://127.0.0.1:${server.port}/slack/events`;
    await upsertMember(t.db, { platform: 'slack', userId: 'UCHAIR', role: 'chair', addedBy: 'test' });
  });

  afterAll(async () => {
    await server?.close();
    await adapter?.stop();
    await fake?.close();
    await t?.drop();
  });

  it('checks who the bot is without blocking start-up', async () => {
    expect((await fake.waitForCall('auth.test')).authorization).toBe('Bearer xoxb-test-token');
  });

  it('answers 401 to unsigned, mis-signed, stale and future-dated requests and acts on none', async () => {
    const command = { command: '/dsr', text: 'new erasure jo@example.com Jo Bloggs', userId: 'UEVIL', responseUrl: fake.responseUrl('forged') };
    const now = Math.floor(Date.now() / 1000);
    expect((await post(slashCommand(command, null))).status).toBe(401);
    expect((await post(slashCommand(command, { secret: 'not-the-secret' }))).status).toBe(401);
    expect((await post(slashCommand(command, { secret: SECRET, signature: 'v0=deadbeef' }))).status).toBe(401);
    expect((await post(slashCommand(command, { secret: SECRET, timestamp: now - 6 * 60 }))).status).toBe(401);
    expect((await post(slashCommand(command, { secret: SECRET, timestamp: now + 6 * 60 }))).status).toBe(401);
    // The body altered after signing: the signature no longer matches.
    const good = slashCommand(command, signed);
    expect((await post({ ...good, body: good.body.replace('erasure', 'access') })).status).toBe(401);
    expect(await count('requests')).toBe(0);
    expect(fake.responses).toHaveLength(0);
  });

  it('refuses an oversized body before reading it', async () => {
    const huge = slashCommand({ command: '/dsr', text: 'x'.repeat(1_100_000), userId: 'UEVIL', responseUrl: fake.responseUrl('huge') }, signed);
    expect((await post(huge)).status).toBe(413);
  });

  it('logs a request typed on one line and answers privately', async () => {
    const response = await post(slashCommand({ command: '/dsr', text: 'new erasure jo@example.com Jo Bloggs', userId: 'ULOGGER', responseUrl: fake.responseUrl('new-1') }, signed));
    expect(response.status).toBe(200);
    const reply = await fake.waitForResponse('new-1');
    expect(reply.body).toMatchObject({ response_type: 'ephemeral' });
    expect(reply.body.text).toMatch(/^Logged DSR-2026-0001 \(erasure\), due 2026-/);
    expect(await t.db('requests').select('reference', 'requested_by')).toEqual([{ reference: 'DSR-2026-0001', requested_by: 'slack:ULOGGER' }]);
    expect(await count('outbox')).toBeGreaterThanOrEqual(1);
  });

  it('answers a mistake privately with the correct form', async () => {
    await post(slashCommand({ command: '/gov', text: 'frobnicate', userId: 'ULOGGER', responseUrl: fake.responseUrl('gov-unknown') }, signed));
    const reply = await fake.waitForResponse('gov-unknown');
    expect(reply.body).toMatchObject({ response_type: 'ephemeral' });
    expect(reply.body.text).toContain('/gov help');
  });

  it('opens the intake form for a bare /dsr, remembering the channel', async () => {
    await post(slashCommand({ command: '/dsr', text: '', userId: 'ULOGGER', triggerId: 'trigger-intake', responseUrl: fake.responseUrl('bare') }, signed));
    const call = await fake.waitForCall('views.open');
    expect(call.body.trigger_id).toBe('trigger-intake');
    const view = call.body.view as OpenedView;
    expect(view.callback_id).toBe('intake');
    expect(view.blocks.map((b) => b.block_id)).toEqual(expect.arrayContaining(['type', 'email', 'full_name', 'received', 'via']));
    expect(JSON.parse(view.private_metadata)).toMatchObject({ channel: COMMITTEE });
  });

  it('shows a bad email beside the field and logs nothing', async () => {
    const view = await views('intake');
    const response = await post(viewSubmission({ userId: 'ULOGGER', view, values: { type: 'access', email: 'jo@' } }, signed));
    expect(response.status).toBe(200);
    const answer = JSON.parse(response.text) as { response_action: string; errors: Record<string, string> };
    expect(answer.response_action).toBe('errors');
    expect(Object.keys(answer.errors)).toEqual(['email']);
    expect(answer.errors.email).toContain('an email address looks like');
    expect(await count('requests')).toBe(1);
  });

  it('logs a valid intake form and tells the person where they opened it', async () => {
    const view = await views('intake');
    const response = await post(viewSubmission({ userId: 'ULOGGER', view, values: { type: 'access', email: 'sam@example.com', full_name: 'Sam Smith', via: 'web' } }, signed));
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
    const told = await fake.waitForCall('chat.postEphemeral');
    expect(told.body).toMatchObject({ channel: COMMITTEE, user: 'ULOGGER' });
    expect(told.body.text).toMatch(/^Logged DSR-2026-0002 \(access\)/);
    expect(await count('requests')).toBe(2);
  });

  it('refuses a vote from someone not on the committee, privately, and records nothing', async () => {
    const proposal = await identityProposal('DSR-2026-0001');
    await post(blockAction({ userId: 'UOUTSIDER', actionId: `vote_approve:${proposal}`, value: String(proposal), responseUrl: fake.responseUrl('vote-outsider') }, signed));
    const reply = await fake.waitForResponse('vote-outsider');
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(reply.body.text).toMatch(/member/i);
    expect(await count('votes')).toBe(0);
  });

  it('counts a member\'s approval once, however often it arrives', async () => {
    const proposal = await identityProposal('DSR-2026-0001');
    const click = { userId: 'UCHAIR', actionId: `vote_approve:${proposal}`, value: String(proposal) };
    await post(blockAction({ ...click, responseUrl: fake.responseUrl('vote-1') }, signed));
    expect((await fake.waitForResponse('vote-1')).body.text).toMatch(/vote/i);
    await post(blockAction({ ...click, responseUrl: fake.responseUrl('vote-2') }, signed));
    expect((await fake.waitForResponse('vote-2')).body.text).toMatch(/already|decided/i);
    expect(await t.db('votes').select('member', 'decision')).toEqual([{ member: 'slack:UCHAIR', decision: 'approve' }]);
  });

  it('asks for a reason before a Reject, and records it', async () => {
    const proposal = await identityProposal('DSR-2026-0002');
    await post(blockAction({ userId: 'UCHAIR', actionId: `vote_reject:${proposal}`, value: String(proposal), responseUrl: fake.responseUrl('reject') }, signed));
    const view = await views('reject-reason');
    expect(JSON.parse(view.private_metadata)).toEqual({ proposalId: String(proposal), channel: COMMITTEE });
    const empty = await post(viewSubmission({ userId: 'UCHAIR', view, values: { reason: '  ' } }, signed));
    expect(JSON.parse(empty.text)).toMatchObject({ response_action: 'errors', errors: { reason: expect.stringContaining('reason') } });
    const done = await post(viewSubmission({ userId: 'UCHAIR', view, values: { reason: 'The ID sent does not match <!channel>' } }, signed));
    expect(done.text).toBe('');
    await fake.waitForCall('chat.postEphemeral', (c) => c.body.user === 'UCHAIR');
    expect(await t.db('votes').where({ proposal_id: proposal }).select('decision', 'reason'))
      .toEqual([{ decision: 'reject', reason: 'The ID sent does not match <!channel>' }]);
  });

  it('publishes the App Home, also when Slack retries the event', async () => {
    const opened = { type: 'app_home_opened', user: 'UCHAIR', channel: 'D0CHAIR', tab: 'home', event_ts: '1772445600.000001' };
    expect((await post(eventCallback(opened, signed), { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' })).status).toBe(200);
    const call = await fake.waitForCall('views.publish', (c) => c.body.user_id === 'UCHAIR');
    expect(JSON.stringify(call.body.view)).toContain('Awaiting your vote');
  });

  it('turns a fault into a reference and no details', async () => {
    await t.db.raw('alter table reference_counters rename to reference_counters_away');
    try {
      await post(slashCommand({ command: '/dsr', text: 'new access kim@example.com', userId: 'ULOGGER', responseUrl: fake.responseUrl('fault') }, signed));
      const reply = await fake.waitForResponse('fault');
      expect(reply.body.text).toMatch(/^Something went wrong on our side; nothing was changed\. Reference: [0-9a-f]{8}$/);
    } finally {
      await t.db.raw('alter table reference_counters_away rename to reference_counters');
    }
    expect(await count('requests')).toBe(2);
  });

  async function identityProposal(reference: string): Promise<number> {
    const row = await t.db('proposals as p').join('requests as r', 'r.id', 'p.request_id')
      .where({ 'r.reference': reference, 'p.kind': 'identity' }).first<{ id: number }>('p.id');
    return Number(row.id);
  }
});

describe('Slack port', () => {
  let fake: FakeSlack;
  const channel = { platform: 'slack' as const, channel: COMMITTEE };
  const card = { key: 'request:1', reference: 'DSR-2026-0001', title: 'Erasure request DSR-2026-0001', status: 'Received', facts: [], sections: [], summary: 'DSR-2026-0001: erasure' };
  beforeAll(async () => { fake = await startFakeSlack(); });
  afterAll(async () => { await fake.close(); });
  const port = (timeoutMs?: number) => createSlackPort({ token: 'xoxb-test', apiUrl: fake.apiUrl, logger: createLogger({ logLevel: 'silent' }), ...(timeoutMs ? { timeoutMs } : {}) });

  it('posts a card with blocks and a text fallback, and updates it in place', async () => {
    const { messageId } = await port().post(channel, { card });
    const posted = fake.callsTo('chat.postMessage').at(-1)!;
    expect(posted.body).toMatchObject({ channel: COMMITTEE, text: 'DSR-2026-0001: erasure' });
    expect(posted.body.blocks).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'header' })]));
    await port().update(channel, messageId, { ...card, status: 'Identity verified' });
    expect(fake.callsTo('chat.update').at(-1)!.body).toMatchObject({ channel: COMMITTEE, ts: messageId });
  });

  it('maps failures to retryable, rate-limited and permanent delivery errors', async () => {
    const attempt = async () => port(300).post(channel, { text: 'hello' }).then(() => null, (error: unknown) => error);
    fake.failNext(1, { kind: 'rate-limited', retryAfterSeconds: 7 });
    expect(await attempt()).toMatchObject({ name: 'DeliveryError', options: { retryAfterMs: 7000 } });
    fake.failNext(1, { kind: 'http', status: 503 });
    const unavailable = await attempt();
    expect(unavailable).toBeInstanceOf(DeliveryError);
    expect((unavailable as DeliveryError).options).toEqual({});
    fake.failNext(1, { kind: 'slack-error', error: 'not_in_channel' });
    expect(await attempt()).toMatchObject({ options: { permanent: true }, message: expect.stringContaining('/invite @govbot') });
    fake.failNext(1, { kind: 'slack-error', error: 'invalid_auth' });
    expect(await attempt()).toMatchObject({ options: { permanent: true } });
    fake.failNext(1, { kind: 'hang' });
    const hung = await attempt();
    expect(hung).toBeInstanceOf(DeliveryError);
    expect((hung as DeliveryError).options.permanent).toBeUndefined();
    expect(fake.callsTo('chat.postMessage').length).toBeGreaterThanOrEqual(5);
  });
});

describe('Slack adapter in Socket Mode', () => {
  it('keeps the service up when Slack refuses the connection, and stops cleanly', async () => {
    const fake = await startFakeSlack();
    const t = await createTestServices({ env: { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_APP_TOKEN: 'xapp-1-A0GOVBOT-1-abc', SLACK_API_URL: fake.apiUrl } });
    try {
      fake.failNext(1, { kind: 'slack-error', error: 'invalid_auth' }, 'apps.connections.open');
      const app = createHttpApp(t.db);
      const adapter = slackAdapterWithInbox({ config: t.ctx.config, services: t.ctx, app, logger: t.ctx.logger });
      const open = await fake.waitForCall('apps.connections.open');
      expect(open.authorization).toBe('Bearer xapp-1-A0GOVBOT-1-abc');
      await adapter.stop();
      // No HTTP route: Socket Mode receives nothing over /slack/events.
      const server = await startHttpServer({ app, host: '127.0.0.1', port: 0, logger: t.ctx.logger });
      expect((await send(`http://127.0.0.1:${server.port}/slack/events`, slashCommand({ command: '/dsr', text: 'help', userId: 'U1', responseUrl: fake.responseUrl('x') }, signed))).status).toBe(404);
      await server.close();
    } finally {
      await fake.close();
      await t.drop();
    }
  });
});
