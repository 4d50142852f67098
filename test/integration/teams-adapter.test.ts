import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatPorts } from '../../src/chat/ports.js';
import { parseConfig } from '../../src/config.js';
import { startHttpServer, type HttpServer } from '../../src/http/server.js';
import { deliverOutbox } from '../../src/jobs/deliver-outbox.js';
import { upsertMember } from '../../src/register/committee.js';
import { committeeChannel } from '../../src/services/committee-channel.js';
import type { TeamsAdapterHandle } from '../../src/teams/teams-app.js';
import { teamsAdapterWithInbox } from '../support/chat-inbox.js';
import { activityText, startFakeBotConnector, type ConnectorCall, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { createTestServices, registerSnapshot, type TestServices } from '../support/service-context.js';
import { cardAction, COMMITTEE_CHANNEL, messageActivity, postActivity, submitAction, teamsUser } from '../support/teams-activities.js';
import { answerText, findAction, repliesTo, teamsDriver, type TeamsDriver } from '../support/teams-driver.js';

/**
 * The Teams adapter in local mode over real HTTP, with a real PostgreSQL and a fake Bot Connector:
 * commands typed as messages, votes as Universal Action invokes, dialogs, and cards delivered by the
 * outbox through the Teams port.
 */
const CHAIR = teamsUser(1, 'Chair Carol');
const MEMBER = teamsUser(2, 'Member Mo');
const CLERK = teamsUser(3, 'Clerk Kim');
const OUTSIDER = teamsUser(4, 'Outsider Otto');
const NEWBIE = teamsUser(5, 'Newbie Nia');

describe('Teams adapter (local mode)', () => {
  let fake: FakeBotConnector;
  let t: TestServices;
  let server: HttpServer;
  let adapter: TeamsAdapterHandle | null;
  let url: string;
  let teams: TeamsDriver;
  const count = async (table: string) => Number((await t.db(table).count<{ count: string }[]>('* as count'))[0]!.count);
  const deliver = () => deliverOutbox({ db: t.db, config: t.ctx.config, logger: t.ctx.logger, pepper: 'p' }, createChatPorts(t.ctx.config, t.ctx.logger), new Date(Date.now() + 60_000));

  beforeAll(async () => {
    fake = await startFakeBotConnector();
    t = await createTestServices({ env: { APPROVAL_QUORUM: '2' } });
    const app = express();
    adapter = teamsAdapterWithInbox({ config: t.ctx.config, services: t.ctx, app, logger: t.ctx.logger });
    server = await startHttpServer({ app, host: '127.0.0.1', port: 0, logger: t.ctx.logger });
    url = `http://127.0.0.1:${server.port}/api/messages`;
    teams = teamsDriver(url, fake);
    await upsertMember(t.db, { platform: 'teams', userId: CHAIR.aadObjectId, role: 'chair', addedBy: 'test' });
    await upsertMember(t.db, { platform: 'teams', userId: MEMBER.aadObjectId, role: 'member', addedBy: 'test' });
  });

  afterAll(async () => {
    await server?.close();
    await adapter?.stop();
    await fake?.close();
    await t?.drop();
  });

  it('answers help in a personal chat, in that chat', async () => {
    const said = await teams.say(CLERK, 'dsr help', { where: { kind: 'personal' } });
    expect(said.status).toBe(200);
    expect(said.replies).toHaveLength(1);
    expect(said.replies[0]!.conversationId).toBe(`a:personal-${CLERK.id}`);
    expect(said.replies[0]!.body).toMatchObject({ textFormat: 'plain' });
    expect(said.text).toContain('dsr new <type> <email>');
  });

  it('makes the chair\'s channel the committee channel, answering in the thread and keeping the conversation reference', async () => {
    const said = await teams.say(CHAIR, 'gov channel set');
    expect(said.replies).toHaveLength(1);
    expect(said.replies[0]!.conversationId).toBe(`${COMMITTEE_CHANNEL};messageid=1772445599000`);
    expect(said.text).toContain('This channel is now the committee channel');
    expect(said.text).not.toContain('⟨member');
    const channel = await committeeChannel(t.db, t.ctx.config, 'teams');
    expect(channel).toMatchObject({ platform: 'teams', channel: COMMITTEE_CHANNEL });
    expect(channel?.conversation).toMatchObject({ serviceUrl: fake.serviceUrl, conversation: { id: COMMITTEE_CHANNEL, conversationType: 'channel' } });
  });

  it('refuses gov channel set from a member, privately in their own chat, changing nothing', async () => {
    const before = await registerSnapshot(t.db);
    const said = await teams.say(MEMBER, 'gov channel set');
    expect(fake.calls.some((c) => c.method === 'POST' && c.path === '/v3/conversations')).toBe(true);
    expect(said.replies.every((r) => r.conversationId?.startsWith('a:personal-'))).toBe(true);
    expect(said.text).toContain('Only a committee chair');
    expect(await registerSnapshot(t.db)).toEqual(before);
  });

  it('logs a request typed in the channel and answers only the person who typed it', async () => {
    const said = await teams.say(CLERK, 'dsr new erasure jo.bloggs@example.com Jo Bloggs');
    expect(said.text).toMatch(/Logged DSR-2026-0001 \(erasure\), due 2026-/);
    expect(said.replies.map((r) => r.conversationId)).not.toContain(`${COMMITTEE_CHANNEL};messageid=1772445599000`);
    const created = fake.calls.filter((c) => c.path === '/v3/conversations').at(-1)!;
    expect(created.body).toMatchObject({ isGroup: false, members: [{ id: CLERK.id }], tenantId: expect.any(String) });
    expect(await t.db('requests').select('reference', 'requested_by')).toEqual([{ reference: 'DSR-2026-0001', requested_by: `teams:${CLERK.aadObjectId}` }]);
  });

  it('never shows govbot typing in the channel, even while a private answer is slow to go out', async () => {
    // The personal chat cannot be opened until the connector gives up (10 s): the turn is long.
    fake.failNext(1, { kind: 'hang' }, (call) => call.method === 'POST' && call.path === '/v3/conversations');
    const before = fake.calls.length;
    const said = await teams.say(CLERK, 'dsr help');
    expect(said.text).toContain('I answer this privately, but I could not open a chat with you');
    expect(fake.calls.slice(before).filter((call) => (call.body as { type?: unknown }).type === 'typing')).toEqual([]);
  }, 30_000);

  it('points a message that is not a command to the two command families', async () => {
    const said = await teams.say(CLERK, 'hello there', { where: { kind: 'personal' } });
    expect(said.text).toContain('dsr help or gov help');
  });

  it('adds a member named by @mention, looking up the Entra id Teams left out of the mention', async () => {
    fake.addMember({ id: NEWBIE.id, name: NEWBIE.name, aadObjectId: NEWBIE.aadObjectId });
    const said = await teams.say(CHAIR, `gov members add @${NEWBIE.name}`, { mentions: [NEWBIE] });
    // Named as Teams named them, under the Entra id looked up in the roster, not by that id.
    expect(said.text).toContain(`${NEWBIE.name} is now a member`);
    expect(said.text).not.toContain(NEWBIE.aadObjectId);
    expect(await t.db('committee_members').where({ platform: 'teams', platform_user_id: NEWBIE.aadObjectId }).first()).toBeDefined();
  });

  it('knows someone on the roster under their Bot Framework id (COMMITTEE_CHAIRS=teams:29:…) by that id', async () => {
    const legacy = teamsUser(6, 'Legacy Lee');
    await upsertMember(t.db, { platform: 'teams', userId: legacy.id, role: 'member', addedBy: 'test' });
    const said = await teams.say(legacy, 'gov members', { where: { kind: 'personal' } });
    expect(said.text).not.toContain('Only committee members');
    expect(said.text).toContain(legacy.name);
    expect(said.text).not.toContain(legacy.id);
  });

  it('posts the request card to the committee channel through the outbox, as an Adaptive Card', async () => {
    await deliver();
    const post = fake.posts(COMMITTEE_CHANNEL).find((c) => activityText(c).includes('DSR-2026-0001'))!;
    expect(post).toBeDefined();
    expect(post.activityId).toBeNull(); // a new thread, not a reply
    const attachment = (post.body.attachments as { contentType: string; content: { version: string; refresh: unknown } }[])[0]!;
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(attachment.content.version).toBe('1.5');
    expect(attachment.content.refresh).toMatchObject({ action: { type: 'Action.Execute', verb: 'refresh', data: { cardKey: expect.stringMatching(/^request:/) } } });
    expect(activityText(post)).not.toContain('jo.bloggs@example.com');
    expect(await t.db('chat_messages').where({ platform: 'teams' }).select('message_id')).toEqual([{ message_id: post.createdId }]);
  });

  async function identityCard(): Promise<ConnectorCall> {
    return fake.posts(COMMITTEE_CHANNEL).find((c) => activityText(c).includes('DSR-2026-0001'))!;
  }

  it('answers a vote from outside the committee clearly and records nothing', async () => {
    const before = await registerSnapshot(t.db);
    const answer = await teams.press(OUTSIDER, await identityCard(), 'Approve identity');
    expect(answer.status).toBe(200);
    // Words only: the card is the committee's business (security finding 2).
    expect(answer.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(answerText(answer)).toContain('Only committee members can vote');
    expect(await registerSnapshot(t.db)).toEqual(before);
  });

  it('runs the complaints register in Teams: gov complaint new, then Acknowledge complaint on its card', async () => {
    const said = await teams.say(CHAIR, 'gov complaint new kim@example.com "no answer to my request"');
    expect(activityText(said.replies[0]!)).toMatch(/Logged complaint CMP-\d{4}-001/);
    await deliver();
    const card = fake.posts(COMMITTEE_CHANNEL).find((c) => activityText(c).includes('Acknowledge complaint'))!;
    expect(activityText(card)).not.toContain('kim@example.com');
    const outsider = await teams.press(OUTSIDER, card, 'Acknowledge complaint');
    expect(answerText(outsider)).toContain('Only committee members can acknowledge a complaint');
    const answer = await teams.press(CHAIR, card, 'Acknowledge complaint');
    expect(answer.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(answerText(answer)).toMatch(/Recorded: CMP-\d{4}-001 acknowledged on/);
    expect(JSON.stringify(answer.body)).not.toContain('"Acknowledge complaint"');
    expect(await t.db('complaints').first('status', 'acknowledged_by')).toEqual({ status: 'acknowledged', acknowledged_by: `teams:${CHAIR.aadObjectId}` });
  });

  it('refuses an unknown verb with an answer, changing nothing', async () => {
    const before = await registerSnapshot(t.db);
    const card = await identityCard();
    const answer = await postActivity(url, cardAction({ serviceUrl: fake.serviceUrl, from: CHAIR, verb: 'frobnicate', data: {}, replyToId: card.createdId! }));
    expect(answer.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: expect.stringContaining('no action "frobnicate"') });
    expect(await registerSnapshot(t.db)).toEqual(before);
  });

  it('counts an approval once when Teams delivers the same invoke twice, and answers with the updated card', async () => {
    const card = await identityCard();
    const { verb, data } = findAction(card, 'Approve identity');
    const press = cardAction({ serviceUrl: fake.serviceUrl, from: CHAIR, verb, data, replyToId: card.createdId! });
    const first = await postActivity(url, press);
    expect(first.body).toMatchObject({ type: 'application/vnd.microsoft.card.adaptive' });
    const firstCard = JSON.stringify(first.body);
    expect(firstCard).toContain('Your vote decided it: identity approved');
    expect(firstCard).toContain('Approve erasure');
    expect(firstCard).not.toContain('Approve identity');
    const again = await postActivity(url, press);
    expect(JSON.stringify(again.body)).toMatch(/already/);
    expect(await t.db('votes').select('member', 'decision')).toEqual([{ member: `teams:${CHAIR.aadObjectId}`, decision: 'approve' }]);
  });

  it('updates the card for everyone in place, by its activity id', async () => {
    await deliver();
    const card = await identityCard();
    const update = fake.updates(card.createdId!).at(-1)!;
    expect(update.conversationId).toBe(COMMITTEE_CHANNEL);
    expect(activityText(update)).toContain('Approve erasure');
    expect(activityText(update)).not.toContain('Approve identity');
  });

  it('refuses self-approval and a vote on a decided proposal, changing nothing', async () => {
    const erasureCard = fake.updates().at(-1)!;
    await upsertMember(t.db, { platform: 'teams', userId: CLERK.aadObjectId, role: 'member', addedBy: 'test' });
    const before = await registerSnapshot(t.db);
    expect(answerText(await teams.press(CLERK, erasureCard, 'Approve erasure'))).toContain('You asked for this, so you cannot approve it');
    const stale = await identityCard();
    expect(answerText(await teams.press(MEMBER, stale, 'Approve identity'))).toContain('This has already been approved, so votes no longer change it');
    expect(await registerSnapshot(t.db)).toEqual(before);
  });

  it('takes the reason for a rejection from the card, and refuses a rejection without one', async () => {
    const erasureCard = fake.updates().at(-1)!;
    expect(answerText(await teams.press(MEMBER, erasureCard, 'Reject erasure', { reason: '  ' }))).toContain('A rejection needs a reason');
    expect(await count('votes')).toBe(1);
  });

  it('refreshes a card for whoever views it, but only in its own message', async () => {
    const card = await identityCard();
    const refresh = { cardKey: findAction(card, 'Refresh').data.cardKey };
    const here = await postActivity(url, cardAction({ serviceUrl: fake.serviceUrl, from: OUTSIDER, verb: 'refresh', data: refresh, replyToId: card.createdId!, trigger: 'automatic' }));
    expect(JSON.stringify(here.body)).toContain('Approve erasure');
    const elsewhere = await postActivity(url, cardAction({ serviceUrl: fake.serviceUrl, from: OUTSIDER, verb: 'refresh', data: refresh, replyToId: 'some-other-message', where: { kind: 'personal' } }));
    expect(elsewhere.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
  });

  it('answers a vote with the card only for a member, and only the card of the message pressed', async () => {
    const card = fake.updates().at(-1)!;
    const { data } = findAction(card, 'Approve erasure');
    const before = await count('votes');
    const outsider = await teams.press(OUTSIDER, card, 'Approve erasure');
    expect(outsider.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message', value: expect.stringContaining('Only committee members can vote') });
    expect(JSON.stringify(outsider.body)).not.toContain('DSR-');
    // A member naming this card's key from some other message, or a crafted proposal id, gets words, not the card.
    const elsewhere = await postActivity(url, cardAction({ serviceUrl: fake.serviceUrl, from: CHAIR, verb: 'vote', data: { ...data, proposalId: 99_999 }, replyToId: 'some-other-message', where: { kind: 'personal' } }));
    expect(elsewhere.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
    expect(JSON.stringify(elsewhere.body)).not.toContain('DSR-');
    expect(await count('votes')).toBe(before);
  });

  it('handles the Action.Submit fallback of a vote, answering privately', async () => {
    const erasureCard = fake.updates().at(-1)!;
    const { data } = findAction(erasureCard, 'Approve erasure');
    const before = fake.calls.length;
    const response = await postActivity(url, submitAction({ serviceUrl: fake.serviceUrl, from: MEMBER, data: { verb: 'vote', ...data }, replyToId: erasureCard.activityId! }));
    expect(response.status).toBe(200);
    const replies = fake.calls.slice(before).filter((c) => c.path.includes('/activities'));
    expect(replies.map(activityText).join('\n')).toMatch(/Your vote is counted: 1 of 2/);
    expect(replies.every((r) => r.conversationId?.startsWith('a:personal-'))).toBe(true);
  });

  it('opens the intake form as a dialog from dsr new, shows mistakes beside the field, and logs a valid form', async () => {
    const said = await teams.say(CLERK, 'dsr new');
    expect(said.replies).toHaveLength(1);
    const button = JSON.stringify(said.replies[0]!.body);
    expect(button).toContain('"task/fetch"');
    const fetched = await teams.fetchTask(CLERK, { msteams: { type: 'task/fetch' }, verb: 'open-form', form: 'intake' });
    expect(fetched.body).toMatchObject({ task: { type: 'continue', value: { title: 'New data subject request', card: { contentType: 'application/vnd.microsoft.card.adaptive' } } } });
    const bad = await teams.submitTask(CLERK, { verb: 'submit-form', form: 'intake', context: {}, type: 'access', email: 'sam@' });
    expect(bad.body).toMatchObject({ task: { type: 'continue' } });
    expect(JSON.stringify(bad.body)).toContain('an email address looks like');
    expect(JSON.stringify(bad.body)).toContain('"value":"sam@"');
    expect(await count('requests')).toBe(1);
    const good = await teams.submitTask(CLERK, { verb: 'submit-form', form: 'intake', context: {}, type: 'access', email: 'sam@example.com', full_name: 'Sam Smith' });
    expect(good.body).toMatchObject({ task: { type: 'message', value: expect.stringMatching(/^Logged DSR-2026-0002 \(access\)/) } });
    expect(await count('requests')).toBe(2);
  });

  it('answers a dialog button that names no known form', async () => {
    const fetched = await teams.fetchTask(CLERK, { verb: 'open-form', form: 'nonsense' });
    expect(fetched.body).toMatchObject({ task: { type: 'message', value: expect.stringContaining('no form govbot knows') } });
  });

  async function cardFor(reference: string): Promise<ConnectorCall> {
    await deliver();
    const calls = fake.calls.filter((c) => (c.method === 'POST' || c.method === 'PUT') && c.conversationId === COMMITTEE_CHANNEL && activityText(c).includes(reference));
    return calls.at(-1)!;
  }

  it('rejects with the reason typed on the card, deciding the proposal and recording why', async () => {
    const reference = /DSR-\d{4}-\d{4}/.exec((await teams.say(CLERK, 'dsr new access reject.me@example.com')).text)![0];
    const answer = await teams.press(MEMBER, await cardFor(reference), 'Reject identity', { reason: 'the passport sent has expired' });
    expect(answerText(answer)).toContain('Your vote decided it: identity rejected');
    const request = await t.db('requests').where({ reference }).first<{ id: number }>('id');
    expect(await t.db('proposals').where({ request_id: request.id, kind: 'identity' }).first()).toMatchObject({ status: 'rejected', decision_reason: 'the passport sent has expired' });
    expect(activityText(await cardFor(reference))).toContain('the passport sent has expired');
  });

  it('counts the vote of someone on the roster under their Bot Framework id under that id, and answers with the card', async () => {
    const legacy = teamsUser(7, 'Legacy Lou');
    await upsertMember(t.db, { platform: 'teams', userId: legacy.id, role: 'member', addedBy: 'test' });
    const reference = /DSR-\d{4}-\d{4}/.exec((await teams.say(CLERK, 'dsr new access legacy.vote@example.com')).text)![0];
    const answer = await teams.press(legacy, await cardFor(reference), 'Approve identity');
    expect(answerText(answer)).toContain('Your vote decided it: identity approved');
    expect(answer.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const request = await t.db('requests').where({ reference }).first<{ id: number }>('id');
    const identity = await t.db('proposals').where({ request_id: request.id, kind: 'identity' }).first<{ id: number; status: string }>('id', 'status');
    expect(identity.status).toBe('approved');
    expect(await t.db('votes').where({ proposal_id: identity.id }).pluck('member')).toEqual([`teams:${legacy.id}`]);
    expect(await t.db('audit_events').where({ action: 'vote.approve', subject: reference }).pluck('actor')).toEqual([`teams:${legacy.id}`]);
  });

  it('takes a rectification\'s corrections in a dialog opened from its card', async () => {
    await t.db('contacts').insert({ external_id: 'CRM-9', email: 'alex.keep@example.com', full_name: 'Alex Keep' });
    const reference = /DSR-\d{4}-\d{4}/.exec((await teams.say(CLERK, 'dsr new rectification alex.keep@example.com')).text)![0];
    expect(answerText(await teams.press(CHAIR, await cardFor(reference), 'Approve identity'))).toContain('decided');
    const card = await cardFor(reference);
    const open = JSON.stringify(card.body);
    expect(open).toContain('Enter corrections');
    const requestId = (await t.db('requests').where({ reference }).first<{ id: number }>('id')).id;
    const data = { msteams: { type: 'task/fetch' }, verb: 'open-form', form: 'rectification', requestId };
    expect(open).toContain(JSON.stringify(data));
    const dialog = await teams.fetchTask(MEMBER, data);
    expect(dialog.body).toMatchObject({ task: { type: 'continue', value: { title: 'Enter corrections' } } });
    const submit = { verb: 'submit-form', form: 'rectification', context: { requestId: String(requestId) } };
    const bad = await teams.submitTask(MEMBER, { ...submit, email: 'alex@' });
    expect(bad.body).toMatchObject({ task: { type: 'continue' } });
    expect(JSON.stringify(bad.body)).toContain('email');
    const good = await teams.submitTask(MEMBER, { ...submit, full_name: 'Alexandra Keep' });
    expect(good.body).toMatchObject({ task: { type: 'message', value: expect.stringContaining('Corrections to full_name recorded') } });
    expect(activityText(await cardFor(reference))).toContain('Approve rectification');
  });

  it('answers a body that is not a JSON activity with 400 and a short reason', async () => {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"type": "message", ' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'bad_request', reason: 'the body must be a JSON Bot Framework activity' });
  });

  it('answers a typed message at once with an empty 200, and one that wants its replies in the answer through the SDK, as before', async () => {
    const asker = teamsUser(7, 'Asker Ash');
    const plain = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(messageActivity({ serviceUrl: fake.serviceUrl, from: asker, text: 'help' })) });
    expect(plain.status).toBe(200);
    expect(await plain.text()).toBe('');
    const expecting = { ...messageActivity({ serviceUrl: fake.serviceUrl, from: asker, text: 'help' }), deliveryMode: 'expectReplies' };
    const answered = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(expecting) });
    expect(answered.status).toBe(200);
    // The SDK's turn answers with the replies buffered in it (none: the inbox answers later).
    expect(await answered.json()).toEqual({ activities: [] });
  });

  it('acts once on a message Teams delivers twice, answering it once', async () => {
    const activity = messageActivity({ serviceUrl: fake.serviceUrl, from: CLERK, text: 'dsr new access twice@example.com' });
    const before = fake.calls.length;
    expect((await postActivity(url, activity)).status).toBe(200);
    expect((await postActivity(url, activity)).status).toBe(200);
    const replies = await repliesTo(fake, CLERK, before);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await t.db('requests').where({ subject_email: 'twice@example.com' }).count<{ count: string }[]>('* as count')).toEqual([{ count: 1 }]);
    expect(replies.map(activityText).join('\n')).toMatch(/^Logged DSR-/);
    expect(fake.calls.slice(before).filter((c) => c.method === 'POST' && c.path.includes('/activities') && (c.body.recipient as { id?: string }).id === CLERK.id)).toHaveLength(1);
  });
});

describe('Teams adapter configuration', () => {
  let t: TestServices;
  let server: HttpServer | undefined;
  beforeAll(async () => { t = await createTestServices(); });
  afterAll(async () => { await server?.close(); await t?.drop(); });

  async function serve(env: Record<string, string>) {
    await server?.close();
    const config = parseConfig({ LOG_LEVEL: 'silent', SCHEDULER: 'off', ...env }, process.cwd());
    const app = express();
    const handle = teamsAdapterWithInbox({ config, services: { ...t.ctx, config }, app, logger: t.ctx.logger });
    server = await startHttpServer({ app, host: '127.0.0.1', port: 0, logger: t.ctx.logger });
    return { handle, config, url: `http://127.0.0.1:${server.port}/api/messages` };
  }

  it('enforces authentication when MICROSOFT_APP_ID is set: an activity without a valid token gets 401 and does nothing', async () => {
    const { url } = await serve({ MICROSOFT_APP_ID: '00000000-0000-0000-0000-00000000a99', MICROSOFT_APP_PASSWORD: 'not-a-real-secret', MICROSOFT_APP_TYPE: 'MultiTenant' });
    const before = await registerSnapshot(t.db);
    const activity = messageActivity({ serviceUrl: 'http://127.0.0.1:9/', from: CHAIR, text: 'dsr new erasure x@example.com' });
    expect((await postActivity(url, activity)).status).toBe(401);
    expect((await postActivity(url, activity, { Authorization: 'Bearer not-a-jwt' })).status).toBe(401);
    // Shaped like a JWT but issued by a stranger: the SDK itself refuses it.
    const forged = [{ alg: 'RS256', typ: 'JWT' }, { iss: 'https://evil.example', aud: '00000000-0000-0000-0000-00000000a99' }]
      .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.');
    expect((await postActivity(url, activity, { Authorization: `Bearer ${forged}.c2lnbmF0dXJl` })).status).toBe(401);
    expect(await registerSnapshot(t.db)).toEqual(before);
  });

  it('refuses an activity from another tenant with 403 before the token is even looked at, when MICROSOFT_APP_TENANT_ID is set', async () => {
    const { url } = await serve({ MICROSOFT_APP_ID: '00000000-0000-0000-0000-00000000a99', MICROSOFT_APP_PASSWORD: 'not-a-real-secret', MICROSOFT_APP_TENANT_ID: 'ffffffff-0000-0000-0000-000000000009' });
    const before = await registerSnapshot(t.db);
    const forged = [{ alg: 'RS256', typ: 'JWT' }, { iss: 'https://evil.example', aud: '00000000-0000-0000-0000-00000000a99' }]
      .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.');
    const activity = messageActivity({ serviceUrl: 'http://127.0.0.1:9/', from: CHAIR, text: 'dsr new erasure x@example.com' });
    const response = await postActivity(url, activity, { Authorization: `Bearer ${forged}.c2lnbmF0dXJl` });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: 'forbidden' });
    // From the right tenant, the same forged token is the SDK's to refuse.
    const ours = JSON.parse(JSON.stringify(activity).replaceAll('72f988bf-0000-0000-0000-000000000001', 'ffffffff-0000-0000-0000-000000000009')) as unknown;
    expect((await postActivity(url, ours, { Authorization: `Bearer ${forged}.c2lnbmF0dXJl` })).status).toBe(401);
    expect(await registerSnapshot(t.db)).toEqual(before);
  });

  it('stays off on a non-loopback HOST without an app id: 503 naming the variables, and no Teams port', async () => {
    const { handle, config, url } = await serve({ HOST: '0.0.0.0' });
    expect(handle).toBeNull();
    const response = await postActivity(url, { type: 'message', text: 'dsr help' });
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ error: 'teams_off', reason: expect.stringContaining('MICROSOFT_APP_ID') });
    expect(createChatPorts(config, t.ctx.logger).has('teams')).toBe(false);
  });
});
