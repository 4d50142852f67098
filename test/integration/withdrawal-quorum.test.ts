import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertContacts } from '../../src/register/contacts.js';
import { bootstrapChairs } from '../../src/services/bootstrap-chairs.js';
import { castVote } from '../../src/services/cast-vote.js';
import { commandDriver, createTestServices, slackUser, type CommandDriver, type TestServices } from '../support/service-context.js';

/**
 * Security finding 7: one member could undo the committee's approval of an erasure with
 * `/dsr close … withdrawn`. After an action is approved, withdrawal needs the same quorum.
 */
const chair = slackUser('UCHAIR');
const alice = slackUser('UALICE');
const bob = slackUser('UBOB');
const carol = slackUser('UCAROL');
const dan = slackUser('UDAN');

let t: TestServices;
let d: CommandDriver;

beforeAll(async () => {
  t = await createTestServices({ env: { COMMITTEE_CHAIRS: 'slack:UCHAIR', APPROVAL_QUORUM: '2', IDENTITY_QUORUM: '1' } });
  d = commandDriver(t);
  await bootstrapChairs(t.ctx);
  for (const m of [alice, bob, carol, dan]) await d.run(chair, 'gov', `members add <@${m.userId}>`);
  await upsertContacts(t.db, [{
    externalId: 'CRM-1', email: 'jo.bloggs@example.com', fullName: 'Jo Bloggs', phone: null, address: null, company: null,
    isCustomer: false, isSubscriber: true, firstCollectedAt: '2024-01-10', lastSuccessfulContactAt: null,
    inaccurate: false, legitimateInterestEndedAt: null, legalHold: false, doNotContact: false,
  }]);
});
afterAll(async () => { await t.drop(); });

const proposal = async (reference: string, kind: string) => t.db('proposals').join('requests', 'requests.id', 'proposals.request_id')
  .where({ 'requests.reference': reference, kind }).orderBy('proposals.id', 'desc').first('proposals.*');
const status = async (reference: string) => (await t.db('requests').where({ reference }).first()).status as string;

describe('withdrawing a request whose erasure the committee approved', () => {
  it('needs the same quorum: one member\'s close proposes it, two others decide it', async () => {
    const reference = await d.log(alice, 'erasure jo.bloggs@example.com Jo Bloggs');
    await castVote(t.ctx, bob, { proposalId: (await proposal(reference, 'identity')).id, decision: 'approve' });
    const action = await proposal(reference, 'action');
    await castVote(t.ctx, bob, { proposalId: action.id, decision: 'approve' });
    await castVote(t.ctx, carol, { proposalId: action.id, decision: 'approve' });
    expect(await status(reference)).toBe('action-approved');

    const said = await d.say(bob, 'dsr', `close ${reference} withdrawn the individual changed their mind`);
    expect(said).toContain('needs 2 approvals');
    expect(await status(reference)).toBe('action-approved');
    expect(await t.db('actions').where({ proposal_id: action.id }).first()).toMatchObject({ status: 'queued' });
    const withdrawal = await proposal(reference, 'withdrawal');
    expect(withdrawal).toMatchObject({ status: 'open', quorum: 2, requested_by: 'slack:UBOB' });

    // Whoever asked for the withdrawal cannot approve it; it takes two others.
    expect(await castVote(t.ctx, bob, { proposalId: withdrawal.id, decision: 'approve' })).toEqual({ ok: false, error: expect.stringContaining('You asked for this') });
    expect((await castVote(t.ctx, carol, { proposalId: withdrawal.id, decision: 'approve' })).ok).toBe(true);
    expect(await status(reference)).toBe('action-approved');
    const deciding = await castVote(t.ctx, dan, { proposalId: withdrawal.id, decision: 'approve' });
    expect(deciding.ok && deciding.value.outcome).toBe('approved');
    expect(await status(reference)).toBe('withdrawn');
  });

  it('is still one member\'s to do before any action is approved', async () => {
    const reference = await d.log(alice, 'access sam@example.com Sam');
    expect(await d.say(bob, 'dsr', `close ${reference} withdrawn`)).toContain('is closed as withdrawn');
    expect(await status(reference)).toBe('withdrawn');
  });
});
