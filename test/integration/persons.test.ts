import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapChairs } from '../../src/services/bootstrap-chairs.js';
import { castVote } from '../../src/services/cast-vote.js';
import { commandDriver, createTestServices, slackUser, teamsUser, type CommandDriver, type TestServices } from '../support/service-context.js';

/**
 * Security finding 5: self-approval and quorum were judged by platform identity, so a member could
 * log a request from Teams and approve it in Slack, and one person rostered on both platforms
 * counted twice. A chair links the identities (/gov members link); votes are counted by person.
 */
const chair = slackUser('UCHAIR');
const alexSlack = slackUser('UALEX');
const alexTeams = teamsUser('aaaaaaaa-0000-4000-8000-0000000000a1');
const bea = slackUser('UBEA');
const cal = teamsUser('aaaaaaaa-0000-4000-8000-0000000000c1');

let t: TestServices;
let d: CommandDriver;

beforeAll(async () => {
  t = await createTestServices({ env: { COMMITTEE_CHAIRS: 'slack:UCHAIR', APPROVAL_QUORUM: '2', IDENTITY_QUORUM: '2' } });
  d = commandDriver(t);
  await bootstrapChairs(t.ctx);
  await d.run(chair, 'gov', 'members add <@UALEX>');
  await d.run(chair, 'gov', 'members add <@UBEA>');
  await d.run(chair, 'gov', `members add teams:${alexTeams.userId}`);
  await d.run(chair, 'gov', `members add teams:${cal.userId}`);
});
afterAll(async () => { await t.drop(); });

const identityProposal = async (reference: string) => t.db('proposals').join('requests', 'requests.id', 'proposals.request_id')
  .where({ 'requests.reference': reference, kind: 'identity' }).first('proposals.id', 'proposals.status', 'proposals.requester_identities');

describe('/gov members link', () => {
  it('is for chairs only, and says how to use it', async () => {
    await d.refused(bea, 'gov', `members link <@UALEX> teams:${alexTeams.userId}`, 'chair');
    await d.refused(chair, 'gov', 'members link <@UALEX>', '/gov members link <@slack-user> <teams:id>');
    await d.refused(chair, 'gov', `members link teams:${alexTeams.userId} <@UALEX>`, 'Slack user first');
  });

  it('links a Slack and a Teams identity into one person, on the audit trail', async () => {
    const said = await d.say(chair, 'gov', `members link <@UALEX> teams:${alexTeams.userId}`);
    expect(said).toContain('are now one person');
    expect(await t.db('person_identities').orderBy('identity').pluck('identity')).toEqual(['slack:UALEX', `teams:${alexTeams.userId}`]);
    expect(await t.db('audit_events').where({ action: 'committee.identities_linked' })).toHaveLength(1);
  });
});

describe('votes by person', () => {
  it('a request logged from Teams cannot be approved by the same person in Slack', async () => {
    const reference = await d.log(alexTeams, 'access jo@example.com Jo');
    const proposal = await identityProposal(reference);
    expect(proposal.requester_identities).toEqual(['slack:UALEX', `teams:${alexTeams.userId}`]);
    const own = await castVote(t.ctx, alexSlack, { proposalId: proposal.id, decision: 'approve' });
    expect(own).toEqual({ ok: false, error: expect.stringContaining('You asked for this') });
    expect(await t.db('votes').where({ proposal_id: proposal.id })).toHaveLength(0);
  });

  it('a person on both platforms counts once towards a quorum of two', async () => {
    const reference = await d.log(bea, 'access sam@example.com Sam');
    const proposal = await identityProposal(reference);
    expect((await castVote(t.ctx, alexSlack, { proposalId: proposal.id, decision: 'approve' })).ok).toBe(true);
    const again = await castVote(t.ctx, alexTeams, { proposalId: proposal.id, decision: 'approve' });
    expect(again).toEqual({ ok: false, error: expect.stringContaining('You already voted') });
    expect((await identityProposal(reference)).status).toBe('open');
    const second = await castVote(t.ctx, cal, { proposalId: proposal.id, decision: 'approve' });
    expect(second.ok && second.value.outcome).toBe('approved');
  });

  it('judges a proposal made before a link by the links as they stand at the vote', async () => {
    const reference = await d.log(cal, 'access kim@example.com Kim');
    const proposal = await identityProposal(reference);
    await d.say(chair, 'gov', `members link <@UBEA> teams:${cal.userId}`);
    const own = await castVote(t.ctx, bea, { proposalId: proposal.id, decision: 'approve' });
    expect(own).toEqual({ ok: false, error: expect.stringContaining('You asked for this') });
  });
});
