import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/chat/actor.js';
import { rectificationValues } from '../../commands/forms/rectification-form.js';
import { upsertMember } from '../../src/register/committee.js';
import { castVote } from '../../src/services/cast-vote.js';
import { submitCorrections } from '../../src/services/submit-corrections.js';
import { commandDriver, createTestServices, registerSnapshot, slackUser, type TestServices } from '../support/service-context.js';

const m1 = slackUser('UM1');
const m2 = slackUser('UM2');
const staff = slackUser('USTAFF');

let t: TestServices;

beforeEach(async () => {
  t = await createTestServices();
  for (const m of [m1, m2]) await upsertMember(t.db, { platform: 'slack', userId: m.userId, role: 'member', addedBy: 'test' });
});
afterEach(async () => { await t.drop(); });

async function logVerified(type: string, by: Actor = staff): Promise<{ id: number; reference: string }> {
  const reference = await commandDriver(t).log(by, `${type} jo@example.com Jo Bloggs`);
  const request = await t.db('requests').where({ reference }).first();
  const identity = await t.db('proposals').where({ request_id: request.id, kind: 'identity' }).first();
  expect((await castVote(t.ctx, m1, { proposalId: identity.id, decision: 'approve' })).ok).toBe(true);
  return { id: Number(request.id), reference };
}

async function openAction(requestId: number) {
  return t.db('proposals').where({ request_id: requestId, kind: 'action', status: 'open' }).first();
}

describe('submitCorrections', () => {
  it('stores the values, supersedes the proposal with one that names only the fields, and audits field names', async () => {
    const { id, reference } = await logVerified('rectification');
    const first = await openAction(id);
    expect(first.summary).toMatchObject({ needsCorrections: true });

    const result = await submitCorrections(t.ctx, m1, id, rectificationValues({ full_name: ' Jo Smith ', email: 'Jo.Smith@Example.com', phone: '' }));
    expect(result).toEqual({ ok: true, value: `Corrections to email, full_name recorded for ${reference}; the rectification now awaits approval on its card.` });

    const request = await t.db('requests').where({ id }).first();
    expect(request.details.corrections).toEqual({ full_name: 'Jo Smith', email: 'jo.smith@example.com' });
    expect(await t.db('proposals').where({ id: first.id }).first()).toMatchObject({ status: 'superseded', decision_reason: 'corrections entered' });
    const second = await openAction(id);
    expect(second.id).not.toBe(first.id);
    expect(second.summary).toMatchObject({ needsCorrections: false, kind: 'rectify' });
    // No register record matched this subject: the proposal says so rather than inventing a change.
    expect(String(second.summary.description)).toContain('No matching register record');
    expect(second).toMatchObject({ quorum: 2, requested_by: 'slack:UM1', requester_identities: ['slack:UM1', 'slack:USTAFF'] });
    const event = await t.db('audit_events').where({ action: 'request.corrections_entered' }).first();
    expect(event).toMatchObject({ actor: 'slack:UM1', subject: reference, facts: { fields: ['email', 'full_name'], superseded_proposal_id: first.id, proposal_id: second.id } });
    const outbox = JSON.stringify(await t.db('outbox').select('payload'));
    expect(outbox).not.toContain('Jo Smith');
    expect(outbox).not.toContain('jo.smith@');
    // The card now offers Approve rather than the form button.
    const card = (await t.db('outbox').where({ card_key: `request:${id}` }).orderBy('id', 'desc').first()).payload.card;
    expect(JSON.stringify(card)).toContain('Approve rectification');
    expect(JSON.stringify(card)).not.toContain('Enter corrections');

    // Entering them again replaces them and the proposal again (a typo fixed before the vote).
    expect((await submitCorrections(t.ctx, m2, id, { phone: '020 7946 0000' })).ok).toBe(true);
    expect((await t.db('requests').where({ id }).first()).details.corrections).toEqual({ phone: '020 7946 0000' });
    expect(await t.db('proposals').where({ request_id: id, kind: 'action' }).orderBy('id').pluck('status')).toEqual(['superseded', 'superseded', 'open']);
  });

  it('refuses bad values, non-members and requests not awaiting corrections, changing nothing', async () => {
    const { id } = await logVerified('rectification');
    const access = await logVerified('access');
    const cases: [Actor, number, Record<string, string>, string][] = [
      [m1, id, { nickname: 'Jo' }, '"nickname" cannot be corrected here; the fields are email, full_name, phone, address, company.'],
      [m1, id, { email: 'jo@' }, 'email: "jo@" has no dot in the part after the @'],
      [m1, id, { company: 'x'.repeat(201) }, 'company must be at most 200 characters.'],
      [m1, id, { phone: '  ' }, 'Give at least one corrected value'],
      [m1, id, {}, 'Give at least one corrected value'],
      [staff, id, { phone: '1' }, 'Only committee members can enter corrections.'],
      [m1, access.id, { phone: '1' }, 'is not a rectification request'],
      [m1, 999, { phone: '1' }, 'That request does not exist'],
    ];
    for (const [who, requestId, corrections, message] of cases) {
      const before = await registerSnapshot(t.db);
      const result = await submitCorrections(t.ctx, who, requestId, corrections);
      expect(result.ok ? '' : result.error).toContain(message);
      expect(await registerSnapshot(t.db)).toEqual(before);
    }
    // Once approved, the corrections are what the committee voted on: they cannot change.
    await submitCorrections(t.ctx, m1, id, { phone: '1' });
    await upsertMember(t.db, { platform: 'slack', userId: 'UM3', role: 'member', addedBy: 'test' });
    await castVote(t.ctx, m2, { proposalId: (await openAction(id)).id, decision: 'approve' });
    await castVote(t.ctx, slackUser('UM3'), { proposalId: (await openAction(id)).id, decision: 'approve' });
    const before = await registerSnapshot(t.db);
    const late = await submitCorrections(t.ctx, m1, id, { phone: '2' });
    expect(late.ok ? '' : late.error).toContain('is not awaiting corrections');
    expect(await registerSnapshot(t.db)).toEqual(before);
  });
});

describe('the rectification the committee approves (security finding 4)', () => {
  it('shows old → new masked, counts whoever entered the corrections as requester, and needs APPROVAL_QUORUM', async () => {
    await t.db('contacts').insert({ external_id: 'CRM-R', email: 'jo@example.com', full_name: 'Jo Bloggs', phone: '+44 20 7946 0001', is_customer: false });
    const { id } = await logVerified('rectification');
    expect((await submitCorrections(t.ctx, m1, id, { full_name: 'Jo Smith', email: 'jo.smith@example.com', phone: '+44 20 7946 0999' })).ok).toBe(true);
    const proposal = await openAction(id);
    const description = String(proposal.summary.description);
    expect(description).toMatch(/email j\*+@example\.com → j\*+@example\.com; full_name J\S* B\S* → J\S* S\S*; phone \(not shown\) → \(not shown\)/);
    expect(description).not.toMatch(/Bloggs|Smith|7946|jo\.smith/);
    expect(proposal.quorum).toBe(2);
    // m1 entered the values: they cannot approve them; one other member is not enough.
    expect(await castVote(t.ctx, m1, { proposalId: proposal.id, decision: 'approve' })).toEqual({ ok: false, error: expect.stringContaining('You asked for this') });
    expect((await castVote(t.ctx, m2, { proposalId: proposal.id, decision: 'approve' })).ok).toBe(true);
    expect((await openAction(id))?.id).toBe(proposal.id);
  });
});
