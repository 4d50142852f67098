import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/chat/actor.js';
import { upsertContacts } from '../../src/register/contacts.js';
import { bootstrapChairs } from '../../src/services/bootstrap-chairs.js';
import { castVote } from '../../src/services/cast-vote.js';
import { commandDriver, createTestServices, registerSnapshot, slackUser, type CommandDriver, type TestServices } from '../support/service-context.js';

/**
 * One erasure request from intake to the queued action, and one access request through a pause and
 * an extension, driven the way the committee drives them: commands typed and buttons clicked.
 */
const chair = slackUser('UCHAIR');
const alice = slackUser('UALICE'); // a member who also logs requests
const bob = slackUser('UBOB');
const carol = slackUser('UCAROL');
const dan = slackUser('UDAN');
const outsider = slackUser('UOUT');

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

async function requestByRef(reference: string) {
  return t.db('requests').where({ reference }).first();
}

async function openProposal(requestId: number, kind: string) {
  return t.db('proposals').where({ request_id: requestId, kind, status: 'open' }).first();
}

async function vote(who: Actor, proposalId: number, decision: 'approve' | 'reject' = 'approve', reason?: string) {
  return castVote(t.ctx, who, { proposalId, decision, ...(reason ? { reason } : {}) });
}

async function voteCount(proposalId: number): Promise<number> {
  return Number((await t.db('votes').where({ proposal_id: proposalId }).count<{ count: string }[]>('* as count'))[0]?.count);
}

describe('an erasure request, from intake to the queued action', () => {
  it('runs intake → identity → action proposal → two approvals → queued action', async () => {
    const logged = await d.say(alice, 'dsr', 'new delete jo.bloggs@example.com "Jo Bloggs" --via phone');
    expect(logged).toMatch(/^Logged DSR-2026-0001 \(erasure\), due 2026-04-02\./);
    const request = await requestByRef('DSR-2026-0001');
    expect(request).toMatchObject({ status: 'received', requested_by: 'slack:UALICE', received_via: 'phone' });

    // Identity: IDENTITY_QUORUM is 1, so one member decides it and the action proposal follows.
    const identity = await openProposal(request.id, 'identity');
    expect(identity.quorum).toBe(1);
    const identityVote = await vote(bob, identity.id);
    expect(identityVote.ok && identityVote.value.outcome).toBe('approved');
    expect((await requestByRef('DSR-2026-0001')).status).toBe('identity-verified');

    const action = await openProposal(request.id, 'action');
    expect(action).toMatchObject({ quorum: 2, requested_by: 'slack:UALICE', summary: { kind: 'erase', buttonNoun: 'erasure' } });

    // Alice logged it: she may not approve what she asked for.
    const self = await vote(alice, action.id);
    expect(self).toEqual({ ok: false, error: 'You asked for this, so you cannot approve it: another committee member must.' });
    // Somebody outside the committee cannot vote at all.
    const stranger = await vote(outsider, action.id);
    expect(stranger.ok ? '' : stranger.error).toContain('Only committee members can vote');
    expect(await voteCount(action.id)).toBe(0);

    const first = await vote(bob, action.id);
    expect(first).toMatchObject({ ok: true, value: { outcome: 'pending', message: 'Your vote is counted: 1 of 2 approvals, 1 more needed.' } });
    // With the card the vote queued, showing the vote (what a Teams invoke answers with).
    expect(first.ok && first.value.card?.card.key).toBe(`request:${request.id}`);
    expect(first.ok && JSON.stringify(first.value.card?.card)).toContain('slack:UBOB');
    // A double click counts once, and says so.
    const again = await vote(bob, action.id);
    expect(again.ok ? '' : again.error).toContain('You already voted to approve');
    expect(await voteCount(action.id)).toBe(1);
    expect(await t.db('actions')).toHaveLength(0);
    // Each counted vote has its card delivered at once; nothing is executed yet.
    expect(t.kicked.at(-1)).toBe('deliver-outbox');
    expect(t.kicked.filter((job) => job !== 'deliver-outbox')).toEqual([]);

    const deciding = await vote(carol, action.id);
    expect(deciding.ok && deciding.value.outcome).toBe('approved');
    expect(t.kicked.filter((job) => job !== 'deliver-outbox')).toEqual(['execute-actions']);
    const queued = await t.db('actions').where({ request_id: request.id });
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ status: 'queued', kind: 'erase', proposal_id: action.id, params: { suppress: true } });
    expect((queued[0].params as { contactIds: number[] }).contactIds).toHaveLength(1);
    expect((await requestByRef('DSR-2026-0001')).status).toBe('action-approved');

    // The proposal is decided: a late vote changes nothing and says why.
    const before = await registerSnapshot(t.db);
    const late = await vote(dan, action.id);
    expect(late).toEqual({ ok: false, error: 'This has already been approved, so votes no longer change it.' });
    expect(await registerSnapshot(t.db)).toEqual(before);
    expect(t.kicked.filter((job) => job !== 'deliver-outbox')).toEqual(['execute-actions']);

    // The audit trail tells the story without personal data.
    const trail = await t.db('audit_events').where({ subject: 'DSR-2026-0001' }).orderBy('id').pluck('action');
    expect(trail).toEqual(['request.logged', 'vote.approve', 'proposal.approved', 'vote.approve', 'vote.approve', 'proposal.approved']);
    expect(JSON.stringify(await t.db('audit_events').select('facts', 'subject'))).not.toMatch(/bloggs|Jo Bloggs/i);

    const shown = await d.say(dan, 'dsr', 'show DSR-2026-0001');
    expect(shown).toContain('• Proposed erasure: approved; 2 of 2 approvals (⟨member:slack:UBOB⟩, ⟨member:slack:UCAROL⟩)');
    expect(shown).toContain('Actions:\n• erase: queued');
  });
});

describe('an access request through an identity request and an extension', () => {
  it('starts the clock afresh when identity arrives, then extends it once the individual is told', async () => {
    t.setNow('2026-05-11');
    const logged = await d.say(alice, 'dsr', 'new sar sam@example.org');
    const ref = /DSR-\d{4}-\d{4}/.exec(logged)?.[0] ?? '';
    expect((await requestByRef(ref)).due_on).toBe('2026-06-11');

    t.setNow('2026-05-12');
    await d.run(bob, 'dsr', `pause ${ref} identity asked for a utility bill`);
    t.setNow('2026-05-19');
    expect(await d.say(bob, 'dsr', `resume ${ref}`)).toBe(`${ref}: clock starts afresh on 2026-05-19: identity received (Art 12A). Due 2026-06-19 Fri.`);
    expect(await requestByRef(ref)).toMatchObject({ due_on: '2026-06-19', relevant_on: '2026-05-19', paused_days: 0 });

    // Extension: the first period runs from 2026-05-19 and ends on 2026-06-19, so it may still be proposed.
    t.setNow('2026-06-10');
    expect(await d.say(bob, 'dsr', `extend ${ref} records held in three archived systems`)).toContain('due 2026-08-19 if 2 other members approve');
    const extension = await openProposal((await requestByRef(ref)).id, 'extension');
    expect(extension.quorum).toBe(2);
    const own = await vote(bob, extension.id);
    expect(own.ok).toBe(false);
    expect((await vote(carol, extension.id)).ok).toBe(true);
    expect((await requestByRef(ref)).due_on).toBe('2026-06-19');
    const decided = await vote(dan, extension.id);
    expect(decided.ok && decided.value.message).toContain(`is due 2026-08-19 if the individual is told, with the reasons, by 2026-06-19`);
    expect(await requestByRef(ref)).toMatchObject({ extended: true, due_on: '2026-08-19', extension_reason: 'records held in three archived systems' });
    const card = async () => (await t.db('outbox').where({ card_key: `request:${(await requestByRef(ref)).id}` }).orderBy('id', 'desc').first()).payload.card;
    expect(JSON.stringify(await card())).toContain('extension: owed by 2026-06-19 Fri');
    expect(JSON.stringify(await card())).toContain('extended only if the individual is told, with reasons, by 2026-06-19 Fri');
    expect(await d.say(carol, 'dsr', `told ${ref} extension`)).toContain('The extension stands: due 2026-08-19 Wed.');
    expect(JSON.stringify(await card())).toContain('extension: told 2026-06-10');
    expect(await d.say(carol, 'dsr', 'list due-soon')).not.toContain(ref);
    expect(await d.say(carol, 'dsr', 'list')).toContain(`${ref} · access · s***@example.org · received, awaiting identity check · due 2026-08-19 Wed (70 days left)`);
  });
});
