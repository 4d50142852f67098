import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/chat/actor.js';
import type { Card } from '../../src/chat/card.js';
import { executeActions } from '../../src/jobs/execute-actions.js';
import { upsertContacts } from '../../src/register/contacts.js';
import { bootstrapChairs } from '../../src/services/bootstrap-chairs.js';
import { castVote } from '../../src/services/cast-vote.js';
import { commandDriver, createTestServices, slackUser, type CommandDriver, type TestServices } from '../support/service-context.js';

/**
 * Art 21: an objection to direct marketing is absolute; one to other processing on legitimate
 * interests (profiling, referee and case-study use) restricts processing at once (Art 18(1)(d)) and
 * waits for the committee's decision on compelling grounds, by APPROVAL_QUORUM.
 */
const chair = slackUser('UCHAIR');
const alice = slackUser('UALICE');
const bob = slackUser('UBOB');
const carol = slackUser('UCAROL');

let t: TestServices;
let d: CommandDriver;

const contact = (externalId: string, email: string) => ({
  externalId, email, fullName: 'Pat Profiled', phone: '07700 900555', address: null, company: null,
  isCustomer: true, isSubscriber: false, firstCollectedAt: '2024-01-10', lastSuccessfulContactAt: null,
  inaccurate: false, legitimateInterestEndedAt: null, legalHold: false, doNotContact: false,
});

beforeAll(async () => {
  t = await createTestServices({ env: { COMMITTEE_CHAIRS: 'slack:UCHAIR', APPROVAL_QUORUM: '2', IDENTITY_QUORUM: '1' } });
  d = commandDriver(t);
  await bootstrapChairs(t.ctx);
  for (const m of [alice, bob, carol]) await d.run(chair, 'gov', `members add <@${m.userId}>`);
  await upsertContacts(t.db, [contact('CRM-1', 'pat@example.com'), contact('CRM-2', 'sam@example.com'), contact('CRM-3', 'max@example.com')]);
});
afterAll(async () => { await t.drop(); });

const requestByRef = (reference: string) => t.db('requests').where({ reference }).first();
const contactByEmail = (email: string) => t.db('contacts').where({ email }).first();
const openProposal = (requestId: number, kind: string) => t.db('proposals').where({ request_id: requestId, kind, status: 'open' }).first();
const vote = (who: Actor, proposalId: number, decision: 'approve' | 'reject' = 'approve', reason?: string) =>
  castVote(t.ctx, who, { proposalId, decision, ...(reason ? { reason } : {}) });
async function latestCard(requestId: number): Promise<string> {
  const row = await t.db('outbox').where({ card_key: `request:${requestId}` }).orderBy('id', 'desc').first<{ payload: { card: Card } }>('payload');
  return JSON.stringify(row.payload.card);
}

describe('objections', () => {
  it('asks what an objection is about, and changes nothing until told', async () => {
    const reply = await d.say(alice, 'dsr', 'new objection pat@example.com');
    expect(reply).toContain('Say what the objection is about: --about marketing (direct marketing) or --about other');
    expect(reply).toContain('[--about marketing|other [--erase]]');
    expect(await t.db('requests').count<{ count: number }[]>('* as count')).toEqual([{ count: 0 }]);
    expect(await d.say(alice, 'dsr', 'new objection pat@example.com --about pigeons')).toContain('"pigeons" is not what an objection can be about');
  });

  it('restricts processing at once for an objection to profiling, then upholds it by quorum: tagged, suppressed, restricted', async () => {
    expect(await d.say(alice, 'dsr', 'new objection pat@example.com --about other')).toMatch(/^Logged (DSR-\d{4}-\d{4}) \(objection\)/);
    const request = await t.db('requests').where({ type: 'objection' }).orderBy('id', 'desc').first();
    expect(await contactByEmail('pat@example.com')).toMatchObject({ processing_restricted: true, do_not_contact: false });
    expect(await latestCard(request.id)).toContain('restricted at once while the committee decides on compelling grounds');
    // The sweep would now keep it back too: restricted contacts are only stored.
    const identity = await openProposal(request.id, 'identity');
    await vote(bob, identity.id);
    const action = await openProposal(request.id, 'action');
    expect(action).toMatchObject({ quorum: 2, summary: { kind: 'uphold-objection', buttonNoun: 'objection' } });
    expect(await latestCard(request.id)).toContain('Approve objection');
    expect(await latestCard(request.id)).toContain('Reject objection');
    const first = await vote(bob, action.id);
    expect(first.ok && first.value.outcome).toBe('pending');
    const second = await vote(carol, action.id);
    expect(second.ok && second.value.outcome).toBe('approved');
    await executeActions({ db: t.db, config: t.ctx.config, logger: t.ctx.logger, pepper: t.ctx.pepper }, t.ctx.clock());
    expect(await contactByEmail('pat@example.com')).toMatchObject({ processing_restricted: true, do_not_contact: true });
    expect(await t.db('suppression_list').where({ source_ref: request.reference }).orderBy('kind').pluck('kind')).toEqual(['email', 'phone']);
    expect((await requestByRef(request.reference)).status).toBe('completed');
    expect(await latestCard(request.id)).toContain('Objection upheld');

    // Intake checks the email and the matched rows' phones against the suppression list, and says so on the card.
    await d.say(alice, 'dsr', 'new access PAT@example.com');
    const access = await t.db('requests').where({ type: 'access' }).orderBy('id', 'desc').first();
    expect(access.details.suppressed).toHaveLength(2);
    expect(access.details.suppressed).toEqual(expect.arrayContaining([
      { kind: 'email', reason: 'objection', tag: 'Do not contact', sourceRef: request.reference },
      { kind: 'phone', reason: 'objection', tag: 'Do not contact', sourceRef: request.reference },
    ]));
    expect(await latestCard(access.id)).toContain(`"label":"Suppression list","value":"`);
    expect(await latestCard(access.id)).toContain(`(Do not contact, ${request.reference})`);
  });

  it('erases on upholding when the individual asked for it', async () => {
    await d.say(alice, 'dsr', 'new objection sam@example.com --about profiling --erase');
    const request = await t.db('requests').where({ type: 'objection' }).orderBy('id', 'desc').first();
    expect(request.details.objection).toEqual({ about: 'other', erase: true });
    await vote(bob, (await openProposal(request.id, 'identity')).id);
    const action = await openProposal(request.id, 'action');
    await vote(bob, action.id);
    await vote(carol, action.id);
    await executeActions({ db: t.db, config: t.ctx.config, logger: t.ctx.logger, pepper: t.ctx.pepper }, t.ctx.clock());
    expect(await contactByEmail('sam@example.com')).toBeUndefined();
    expect(await latestCard(request.id)).toContain('Objection upheld and the data erased as asked');
  });

  it('needs a reason to reject, records the compelling grounds, and keeps the processing restricted', async () => {
    await d.say(alice, 'dsr', 'new objection max@example.com --about other');
    const request = await t.db('requests').where({ type: 'objection' }).orderBy('id', 'desc').first();
    await vote(bob, (await openProposal(request.id, 'identity')).id);
    const action = await openProposal(request.id, 'action');
    const noReason = await vote(bob, action.id, 'reject');
    expect(noReason.ok).toBe(false);
    const rejected = await vote(bob, action.id, 'reject', 'needed to defend a contract claim');
    expect(rejected.ok && rejected.value.outcome).toBe('rejected');
    const after = await requestByRef(request.reference);
    expect(after.status_reason).toContain('Objection not upheld: compelling legitimate grounds (needed to defend a contract claim)');
    expect(after.status_reason).toContain(`/dsr told ${request.reference} outcome`);
    expect(await contactByEmail('max@example.com')).toMatchObject({ processing_restricted: true, do_not_contact: false });
  });

  it('handles an objection to direct marketing as an absolute opt-out, restricting nothing', async () => {
    await upsertContacts(t.db, [contact('CRM-4', 'mo@example.com')]);
    await d.say(alice, 'dsr', 'new objection mo@example.com --about marketing');
    const request = await t.db('requests').where({ type: 'objection' }).orderBy('id', 'desc').first();
    expect(await contactByEmail('mo@example.com')).toMatchObject({ processing_restricted: false });
    await vote(bob, (await openProposal(request.id, 'identity')).id);
    expect(await openProposal(request.id, 'action')).toMatchObject({ quorum: 1, summary: { kind: 'suppress' } });
  });
});
