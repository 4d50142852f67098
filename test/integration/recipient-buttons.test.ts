import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actor } from '../../src/chat/actor.js';
import { createChatPorts } from '../../src/chat/ports.js';
import { createHttpApp, startHttpServer, type HttpServer } from '../../src/http/server.js';
import { deliverOutbox } from '../../src/jobs/deliver-outbox.js';
import { executeActions } from '../../src/jobs/execute-actions.js';
import { upsertMember } from '../../src/register/committee.js';
import { upsertContacts } from '../../src/register/contacts.js';
import { castVote } from '../../src/services/cast-vote.js';
import type { SlackAdapter } from '../../src/slack/slack-app.js';
import { slackAdapterWithInbox, teamsAdapterWithInbox } from '../support/chat-inbox.js';
import type { TeamsAdapterHandle } from '../../src/teams/teams-app.js';
import { activityText, startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { commandDriver, createTestServices, registerSnapshot, type TestServices } from '../support/service-context.js';
import { blockAction, send } from '../support/slack-requests.js';
import { COMMITTEE_CHANNEL, teamsUser } from '../support/teams-activities.js';
import { answerText, teamsDriver, type TeamsDriver } from '../support/teams-driver.js';

/**
 * Art 19 on the request card: a `Told <provider>` button per recipient still owed a notice, in
 * Slack (Bolt block action) and Teams (Universal Action), recording what `/dsr recipients <ref>
 * told <provider>` records; members only, once however often it is pressed, the card refreshed.
 */
const contact = (externalId: string, email: string) => ({
  externalId, email, fullName: 'Rita Restrict', phone: null, address: null, company: null,
  isCustomer: false, isSubscriber: true, firstCollectedAt: '2024-01-10', lastSuccessfulContactAt: null,
  inaccurate: false, legitimateInterestEndedAt: null, legalHold: false, doNotContact: false,
});

/** A restriction logged by `by`, approved by `voter` and carried out: HubSpot and Microsoft 365 are owed a notice. */
async function restrictionCarriedOut(t: TestServices, by: ReturnType<typeof actor>, voter: ReturnType<typeof actor>, email: string): Promise<{ id: number; reference: string }> {
  const d = commandDriver(t);
  await d.say(by, 'dsr', `new restriction ${email}`);
  const request = await t.db('requests').orderBy('id', 'desc').first();
  await castVote(t.ctx, voter, { proposalId: (await t.db('proposals').where({ request_id: request.id, kind: 'identity' }).first()).id, decision: 'approve' });
  await castVote(t.ctx, voter, { proposalId: (await t.db('proposals').where({ request_id: request.id, kind: 'action' }).first()).id, decision: 'approve' });
  await executeActions({ db: t.db, config: t.ctx.config, logger: t.ctx.logger, pepper: t.ctx.pepper }, t.ctx.clock());
  return request;
}

const toldAt = (t: TestServices, requestId: number) => t.db('recipient_notices as n').join('processors as p', 'p.id', 'n.processor_id')
  .where('n.request_id', requestId).orderBy('p.name').select('p.name', 'n.told_by');

describe('Told <provider> buttons in Slack', () => {
  const SECRET = 'test-signing-secret-0123456789';
  const COMMITTEE = 'C0COMMITTEE';
  let fake: FakeSlack;
  let t: TestServices;
  let server: HttpServer;
  let adapter: SlackAdapter;
  let url: string;

  beforeAll(async () => {
    fake = await startFakeSlack();
    t = await createTestServices({ env: { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, SLACK_COMMITTEE_CHANNEL: COMMITTEE, APPROVAL_QUORUM: '1', IDENTITY_QUORUM: '1' } });
    const app = createHttpApp(t.db);
    adapter = slackAdapterWithInbox({ config: t.ctx.config, services: t.ctx, app, logger: t.ctx.logger });
    server = await startHttpServer({ app, host: '127.0.0.1', port: 0, logger: t.ctx.logger });
    url = `http://127.0.0.1:${server.port}/slack/events`;
    await upsertMember(t.db, { platform: 'slack', userId: 'UCHAIR', role: 'chair', addedBy: 'test' });
    await upsertMember(t.db, { platform: 'slack', userId: 'UBOB', role: 'member', addedBy: 'test' });
    await upsertContacts(t.db, [contact('CRM-1', 'rita@example.com')]);
  });
  afterAll(async () => {
    await server?.close();
    await adapter?.stop();
    await fake?.close();
    await t?.drop();
  });

  const deliver = () => deliverOutbox({ db: t.db, config: t.ctx.config, logger: t.ctx.logger, pepper: 'p' }, createChatPorts(t.ctx.config, t.ctx.logger), new Date(Date.now() + 60_000));
  /** The last version of the card Slack was sent (posted or updated), as its Block Kit JSON. */
  const lastCard = (reference: string) => {
    const calls = [...fake.callsTo('chat.postMessage'), ...fake.callsTo('chat.update')].filter((c) => JSON.stringify(c.body.blocks ?? '').includes(reference));
    return JSON.stringify(calls.at(-1)?.body.blocks ?? []);
  };
  const button = (blocks: string, label: string) => {
    const elements = (JSON.parse(blocks) as { type: string; elements?: { text?: { text: string }; action_id: string; value: string }[] }[])
      .flatMap((b) => b.elements ?? []);
    return elements.find((e) => e.text?.text === label);
  };
  let clicks = 0;
  const click = async (userId: string, found: { action_id: string; value: string }) => {
    const id = `told-${++clicks}`;
    await send(url, blockAction({ userId, actionId: found.action_id, value: found.value, responseUrl: fake.responseUrl(id) }, { secret: SECRET }));
    return String((await fake.waitForResponse(id)).body.text);
  };

  it('records a provider as told from its button, members only, once, and updates the card', async () => {
    const d = commandDriver(t);
    const chair = actor('slack', 'UCHAIR');
    await d.say(chair, 'gov', 'processors add HubSpot CRM');
    await d.say(chair, 'gov', 'processors add "Microsoft 365" email and documents');
    const request = await restrictionCarriedOut(t, actor('slack', 'UCLERK'), chair, 'rita@example.com');
    await deliver();
    const blocks = lastCard(request.reference);
    expect(blocks).toContain('Recipients to tell (Art 19): 2 owed');
    const hubspot = button(blocks, 'Told HubSpot')!;
    expect(hubspot).toMatchObject({ action_id: expect.stringMatching(/^recipient_told:\d+:\d+$/) });
    expect(button(blocks, 'Told Microsoft 365')).toBeDefined();

    const before = await registerSnapshot(t.db);
    expect(await click('UOUTSIDER', hubspot)).toContain('Only committee members can record a recipient as told; nothing was changed.');
    expect(await registerSnapshot(t.db)).toEqual(before);

    expect(await click('UBOB', hubspot)).toBe(`Recorded HubSpot as told of the change for ${request.reference}.`);
    expect(await click('UBOB', hubspot)).toBe(`HubSpot was already recorded as told for ${request.reference}; nothing changed.`);
    expect(await click('UCHAIR', hubspot)).toContain('already recorded as told');
    expect(await toldAt(t, request.id)).toEqual([{ name: 'HubSpot', told_by: 'slack:UBOB' }, { name: 'Microsoft 365', told_by: null }]);
    expect(await t.db('audit_events').where({ action: 'recipient.told', subject: request.reference }).pluck('actor')).toEqual(['slack:UBOB']);

    await deliver();
    const updated = lastCard(request.reference);
    expect(updated).toContain('Recipients to tell (Art 19): 1 owed');
    expect(button(updated, 'Told HubSpot')).toBeUndefined();
    expect(button(updated, 'Told Microsoft 365')).toBeDefined();
  });

  it('answers a button carrying no valid ids, changing nothing', async () => {
    const before = await registerSnapshot(t.db);
    expect(await click('UBOB', { action_id: 'recipient_told:x', value: 'not-ids' })).toContain('carries no valid id');
    expect(await click('UBOB', { action_id: 'recipient_told:999999:999999', value: '999999:999999' })).toContain('names a request or a provider govbot does not have');
    expect(await registerSnapshot(t.db)).toEqual(before);
  });
});

describe('Told <provider> buttons in Teams', () => {
  const CHAIR = teamsUser(1, 'Chair Carol');
  const MEMBER = teamsUser(2, 'Member Mo');
  const OUTSIDER = teamsUser(4, 'Outsider Otto');
  let fake: FakeBotConnector;
  let t: TestServices;
  let server: HttpServer;
  let adapter: TeamsAdapterHandle | null;
  let teams: TeamsDriver;

  beforeAll(async () => {
    fake = await startFakeBotConnector();
    t = await createTestServices({ env: { APPROVAL_QUORUM: '1', IDENTITY_QUORUM: '1' } });
    const app = express();
    adapter = teamsAdapterWithInbox({ config: t.ctx.config, services: t.ctx, app, logger: t.ctx.logger });
    server = await startHttpServer({ app, host: '127.0.0.1', port: 0, logger: t.ctx.logger });
    teams = teamsDriver(`http://127.0.0.1:${server.port}/api/messages`, fake);
    await upsertMember(t.db, { platform: 'teams', userId: CHAIR.aadObjectId, role: 'chair', addedBy: 'test' });
    await upsertMember(t.db, { platform: 'teams', userId: MEMBER.aadObjectId, role: 'member', addedBy: 'test' });
    await upsertContacts(t.db, [contact('CRM-1', 'rita@example.com')]);
  });
  afterAll(async () => {
    await server?.close();
    await adapter?.stop();
    await fake?.close();
    await t?.drop();
  });

  const deliver = () => deliverOutbox({ db: t.db, config: t.ctx.config, logger: t.ctx.logger, pepper: 'p' }, createChatPorts(t.ctx.config, t.ctx.logger), new Date(Date.now() + 60_000));

  it('records a provider as told from its Action.Execute button, members only, once, answering with the refreshed card', async () => {
    await teams.say(CHAIR, 'gov channel set');
    await teams.say(CHAIR, 'gov processors add HubSpot CRM');
    await teams.say(CHAIR, 'gov processors add "Microsoft 365" email and documents');
    const request = await restrictionCarriedOut(t, actor('teams', 'clerk-aad'), actor('teams', CHAIR.aadObjectId), 'rita@example.com');
    await deliver();
    const card = await teams.card(request.reference, (text) => text.includes('Told HubSpot'));
    expect(activityText(card)).toContain('Recipients to tell (Art 19): 2 owed');
    expect(fake.posts(COMMITTEE_CHANNEL).length).toBeGreaterThan(0);

    const before = await registerSnapshot(t.db);
    const outsider = await teams.press(OUTSIDER, card, 'Told HubSpot');
    expect(answerText(outsider)).toContain('Only committee members can record a recipient as told');
    expect(answerText(outsider)).not.toContain('Recipients to tell');
    expect(await registerSnapshot(t.db)).toEqual(before);

    const answer = await teams.press(MEMBER, card, 'Told HubSpot');
    expect(answer.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(answerText(answer)).toContain(`Recorded HubSpot as told of the change for ${request.reference}.`);
    expect(answerText(answer)).toContain('Recipients to tell (Art 19): 1 owed');
    expect(answerText(answer)).not.toContain('"Told HubSpot"');
    expect(answerText(answer)).toContain('"Told Microsoft 365"');
    const again = await teams.press(MEMBER, card, 'Told HubSpot');
    expect(answerText(again)).toContain('HubSpot was already recorded as told');
    expect(await toldAt(t, request.id)).toEqual([{ name: 'HubSpot', told_by: `teams:${MEMBER.aadObjectId}` }, { name: 'Microsoft 365', told_by: null }]);
    expect(await t.db('audit_events').where({ action: 'recipient.told', subject: request.reference }).count<{ count: number }[]>('* as count')).toEqual([{ count: 1 }]);
  });
});
