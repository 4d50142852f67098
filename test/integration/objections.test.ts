import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/chat/actor.js';
import type { Card } from '../../src/chat/card.js';
import { executeActions } from '../../src/jobs/execute-actions.js';
import { sendSlaReminders } from '../../src/jobs/sla-reminders.js';
import { runRetentionSweep } from '../../src/services/purge/sweep.js';
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
  await d.run(chair, 'gov', 'processors add HubSpot CRM');
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
    // A restriction carried out under Art 18 is told to each recipient of the contact data (Art 19).
    const recipients = () => t.db('recipient_notices').where({ request_id: request.id }).orderBy('id').select('change', 'told_at');
    expect(await recipients()).toEqual([{ change: 'restriction', told_at: null }]);
    expect(await latestCard(request.id)).toContain('HubSpot (restriction): owed since');
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
    expect(await recipients()).toEqual([{ change: 'restriction', told_at: null }]);
    // Upheld, the restriction stays for good: no Art 18(3) notice, only the outcome.
    expect(await t.db('request_notices').where({ request_id: request.id }).pluck('kind')).toEqual(['outcome']);

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
    // The restriction at intake and the erasure are each a change to tell; one record covers what is owed.
    const recipients = () => t.db('recipient_notices').where({ request_id: request.id }).orderBy('id').select('change', 'told_by');
    expect(await recipients()).toEqual([{ change: 'restriction', told_by: null }, { change: 'erasure', told_by: null }]);
    expect(await d.say(bob, 'dsr', `recipients ${request.reference} told HubSpot`)).toBe(`Recorded HubSpot as told of the change for ${request.reference}.`);
    expect(await recipients()).toEqual([{ change: 'restriction', told_by: 'slack:UBOB' }, { change: 'erasure', told_by: 'slack:UBOB' }]);
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
    expect(after.status_reason).toContain(`/dsr told ${request.reference} restriction-lift, which lifts it (until then it stays, Art 18(3))`);
    expect(await contactByEmail('max@example.com')).toMatchObject({ processing_restricted: true, do_not_contact: false });
  });

  it('keeps the restriction until the individual is told it will be lifted (Art 18(3)), then lifts it, audited without personal data', async () => {
    // Two contacts known to be inaccurate (R3); one of them objects.
    await upsertContacts(t.db, [{ ...contact('CRM-5', 'rex@example.com'), inaccurate: true }, { ...contact('CRM-8', 'ira@example.com'), inaccurate: true }]);
    await d.say(alice, 'dsr', 'new objection rex@example.com --about other');
    const request = await t.db('requests').where({ type: 'objection' }).orderBy('id', 'desc').first();
    const rex = await contactByEmail('rex@example.com');
    expect(request.details.restrictedContactIds).toEqual([rex.id]);
    await vote(bob, (await openProposal(request.id, 'identity')).id);
    const action = await openProposal(request.id, 'action');
    // Not told yet: nothing is owed and nothing can be recorded before the committee decides.
    expect(await d.say(bob, 'dsr', `told ${request.reference} restriction-lift`)).toContain(`${request.reference} owes the individual no restriction to be lifted notice`);
    await vote(bob, action.id, 'reject', 'needed to defend a contract claim');
    expect(await t.db('request_notices').where({ request_id: request.id }).select('kind', 'told_on')).toEqual([{ kind: 'restriction-lift', told_on: null }]);
    expect(await latestCard(request.id)).toContain('restriction to be lifted: owed by');
    expect(await latestCard(request.id)).toContain('Grounds given: needed to defend a contract claim');
    await d.say(bob, 'dsr', `close ${request.reference} completed`);

    // Before the telling the sweep keeps the contact back as restricted (Art 18(2)), though R3 applies.
    const sweepAt = t.ctx.clock();
    await runRetentionSweep(t.ctx, sweepAt, { by: 'govbot', platform: null });
    const itemOf = async () => t.db('purge_items as i').join('purge_batches as b', 'b.id', 'i.batch_id').where('i.contact_id', rex.id).orderBy('b.id', 'desc').first('i.reason', 'i.status', 'i.note');
    expect(await itemOf()).toMatchObject({ reason: 'R3', status: 'excluded', note: 'restricted' });
    // sla-reminders chases the notice like any other owed to the individual.
    await sendSlaReminders({ db: t.db, config: t.ctx.config, logger: t.ctx.logger, pepper: t.ctx.pepper }, new Date(sweepAt.getTime() + 40 * 86_400_000));
    const chased = await t.db('outbox').whereNull('card_key').whereRaw(`payload::text like ?`, [`%${request.reference}: the individual is still owed a notice of the restriction to be lifted%`]).count<{ count: number }[]>('* as count');
    expect(chased).toEqual([{ count: 1 }]);

    const told = await d.say(bob, 'dsr', `told ${request.reference} restriction-lift`);
    expect(told).toContain(`Recorded: the individual was told of the restriction to be lifted of ${request.reference}`);
    expect(told).toContain('Restriction of processing lifted on 1 register record.');
    expect(await contactByEmail('rex@example.com')).toMatchObject({ processing_restricted: false });
    const audit = await t.db('audit_events').where({ action: 'contact.restriction_lifted', subject: request.reference }).select('actor', 'facts');
    expect(audit).toEqual([{ actor: 'slack:UBOB', facts: expect.objectContaining({ basis: 'Art 18(3)', contact_ids: [rex.id], kept_restricted_ids: [] }) }]);
    expect(JSON.stringify(audit)).not.toMatch(/rex|@example/);
    expect(await latestCard(request.id)).toMatch(/restriction to be lifted: told \d{4}-\d{2}-\d{2}/);
    // Twice is once: the second telling changes nothing.
    expect(await d.say(bob, 'dsr', `told ${request.reference} restriction-lift`)).toContain('is already recorded');
    expect(await t.db('audit_events').where({ action: 'contact.restriction_lifted' }).count<{ count: number }[]>('* as count')).toEqual([{ count: 1 }]);

    // Lifted, the contact is a candidate again at the next sweep.
    await t.db('proposals').where({ kind: 'purge', status: 'open' }).update({ status: 'rejected', decision_reason: 'test' });
    await t.db('purge_batches').where({ status: 'proposed' }).update({ status: 'rejected' });
    await runRetentionSweep(t.ctx, new Date(sweepAt.getTime() + 86_400_000), { by: 'govbot', platform: null });
    expect(await itemOf()).toMatchObject({ reason: 'R3', status: 'pending', note: null });
  });

  it('lifts only what the objection restricted: a row restricted before, or kept restricted by another request, stays restricted', async () => {
    await upsertContacts(t.db, [contact('CRM-6', 'ria@example.com'), contact('CRM-7', 'ria@example.com')]);
    const [first, second] = await t.db('contacts').where({ email: 'ria@example.com' }).orderBy('id').pluck('id');
    await t.db('contacts').where({ id: second }).update({ processing_restricted: true }); // restricted on another basis before
    await d.say(alice, 'dsr', 'new objection ria@example.com --about other');
    const request = await t.db('requests').where({ type: 'objection' }).orderBy('id', 'desc').first();
    expect(request.details.restrictedContactIds).toEqual([first]);
    // A second objection by the same person, still undecided, keeps both rows restricted meanwhile.
    await d.say(carol, 'dsr', 'new objection ria@example.com --about profiling');
    await vote(bob, (await openProposal(request.id, 'identity')).id);
    await vote(bob, (await openProposal(request.id, 'action')).id, 'reject', 'referee use needed for a live contract dispute');
    const told = await d.say(bob, 'dsr', `told ${request.reference} restriction-lift`);
    expect(told).toContain('Restriction of processing lifted on 0 register records; 1 stays restricted for another request.');
    expect(await t.db('contacts').where({ email: 'ria@example.com' }).orderBy('id').pluck('processing_restricted')).toEqual([true, true]);
  });

  it('leaves restricted a row a restriction request restricted meanwhile (Art 18(1)(a)–(c) is another basis)', async () => {
    await upsertContacts(t.db, [contact('CRM-10', 'rae@example.com')]);
    await d.say(alice, 'dsr', 'new objection rae@example.com --about other');
    const objection = await t.db('requests').where({ type: 'objection' }).orderBy('id', 'desc').first();
    await d.say(alice, 'dsr', 'new restriction rae@example.com');
    const restriction = await t.db('requests').where({ type: 'restriction' }).orderBy('id', 'desc').first();
    await vote(bob, (await openProposal(restriction.id, 'identity')).id);
    const restrictAction = await openProposal(restriction.id, 'action');
    for (const voter of [bob, carol].slice(0, restrictAction.quorum)) await vote(voter, restrictAction.id);
    await executeActions({ db: t.db, config: t.ctx.config, logger: t.ctx.logger, pepper: t.ctx.pepper }, t.ctx.clock());
    expect(await t.db('actions').where({ request_id: restriction.id }).first('kind', 'status')).toEqual({ kind: 'restrict', status: 'done' });
    await vote(bob, (await openProposal(objection.id, 'identity')).id);
    await vote(bob, (await openProposal(objection.id, 'action')).id, 'reject', 'case-study use agreed in the contract');
    expect(await d.say(bob, 'dsr', `told ${objection.reference} restriction-lift`)).toContain('Restriction of processing lifted on 0 register records; 1 stays restricted for another request.');
    expect(await contactByEmail('rae@example.com')).toMatchObject({ processing_restricted: true });
  });

  it('records the telling and the lift together or not at all: a failing lift leaves the notice owed', async () => {
    await upsertContacts(t.db, [contact('CRM-11', 'lou@example.com')]);
    await d.say(alice, 'dsr', 'new objection lou@example.com --about other');
    const request = await t.db('requests').where({ type: 'objection' }).orderBy('id', 'desc').first();
    await vote(bob, (await openProposal(request.id, 'identity')).id);
    await vote(bob, (await openProposal(request.id, 'action')).id, 'reject', 'profiling needed for fraud checks');
    await t.db.raw(`create function refuse_lift() returns trigger language plpgsql as $$ begin raise exception 'storage fault'; end $$`);
    await t.db.raw(`create trigger refuse_lift before update of processing_restricted on contacts for each row when (old.email = 'lou@example.com') execute function refuse_lift()`);
    try {
      await d.say(bob, 'dsr', `told ${request.reference} restriction-lift`).catch(() => 'failed');
      expect(await t.db('request_notices').where({ request_id: request.id, kind: 'restriction-lift' }).first('told_on', 'told_by')).toEqual({ told_on: null, told_by: null });
      expect(await contactByEmail('lou@example.com')).toMatchObject({ processing_restricted: true });
      expect(await t.db('audit_events').where({ subject: request.reference }).whereIn('action', ['request.notice_told', 'contact.restriction_lifted']).count<{ count: number }[]>('* as count')).toEqual([{ count: 0 }]);
    } finally {
      await t.db.raw('drop trigger refuse_lift on contacts; drop function refuse_lift()');
    }
    expect(await d.say(bob, 'dsr', `told ${request.reference} restriction-lift`)).toContain('Restriction of processing lifted on 1 register record.');
  });

  it('owes the Art 18(3) notice when an objection is withdrawn before the committee decides, and lifts the restriction once told', async () => {
    await upsertContacts(t.db, [contact('CRM-9', 'wyn@example.com')]);
    await d.say(alice, 'dsr', 'new objection wyn@example.com --about other');
    const request = await t.db('requests').where({ type: 'objection' }).orderBy('id', 'desc').first();
    expect(await contactByEmail('wyn@example.com')).toMatchObject({ processing_restricted: true });
    expect(await d.say(bob, 'dsr', `told ${request.reference} restriction-lift`)).toContain('owes the individual no restriction to be lifted notice');
    await d.say(bob, 'dsr', `close ${request.reference} withdrawn the individual withdrew it by email`);
    expect(await t.db('request_notices').where({ request_id: request.id }).pluck('kind')).toEqual(['restriction-lift']);
    expect(await contactByEmail('wyn@example.com')).toMatchObject({ processing_restricted: true });
    expect(await d.say(bob, 'dsr', `told ${request.reference} restriction-lift`)).toContain('Restriction of processing lifted on 1 register record.');
    expect(await contactByEmail('wyn@example.com')).toMatchObject({ processing_restricted: false });
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
