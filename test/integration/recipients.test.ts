import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../../src/chat/card.js';
import { executeActions } from '../../src/jobs/execute-actions.js';
import { sendSlaReminders } from '../../src/jobs/sla-reminders.js';
import { upsertContacts } from '../../src/register/contacts.js';
import { bootstrapChairs } from '../../src/services/bootstrap-chairs.js';
import { castVote } from '../../src/services/cast-vote.js';
import { commandDriver, createTestServices, slackUser, type CommandDriver, type TestServices } from '../support/service-context.js';

/** Art 19: after a restriction, each provider receiving contact data is owed a notice until recorded as told. */
const chair = slackUser('UCHAIR');
const alice = slackUser('UALICE');
const bob = slackUser('UBOB');

let t: TestServices;
let d: CommandDriver;

beforeAll(async () => {
  t = await createTestServices({ env: { COMMITTEE_CHAIRS: 'slack:UCHAIR', APPROVAL_QUORUM: '2', IDENTITY_QUORUM: '1' } });
  d = commandDriver(t);
  await bootstrapChairs(t.ctx);
  for (const m of [alice, bob]) await d.run(chair, 'gov', `members add <@${m.userId}>`);
  await upsertContacts(t.db, [{
    externalId: 'CRM-1', email: 'rita@example.com', fullName: 'Rita Restrict', phone: null, address: null, company: null,
    isCustomer: false, isSubscriber: true, firstCollectedAt: '2024-01-10', lastSuccessfulContactAt: null,
    inaccurate: false, legitimateInterestEndedAt: null, legalHold: false, doNotContact: false,
  }]);
});
afterAll(async () => { await t.drop(); });

describe('Art 19 recipients', () => {
  it('owes each provider receiving contact data a notice after a restriction, shows them, and records one told', async () => {
    expect(await d.say(chair, 'gov', 'processors add HubSpot CRM')).toContain('It receives contact data');
    await d.say(chair, 'gov', 'processors add "Microsoft 365" email and documents');
    expect(await d.say(chair, 'gov', 'processors add Payroll salaries --no-contact-data')).toContain('It receives no contact data');

    await d.say(alice, 'dsr', 'new restriction rita@example.com');
    const request = await t.db('requests').where({ type: 'restriction' }).first();
    expect(await d.say(bob, 'dsr', `recipients ${request.reference}`)).toContain('owes no recipient a notice');
    await castVote(t.ctx, bob, { proposalId: (await t.db('proposals').where({ request_id: request.id, kind: 'identity' }).first()).id, decision: 'approve' });
    await castVote(t.ctx, bob, { proposalId: (await t.db('proposals').where({ request_id: request.id, kind: 'action' }).first()).id, decision: 'approve' });
    await executeActions({ db: t.db, config: t.ctx.config, logger: t.ctx.logger, pepper: t.ctx.pepper }, t.ctx.clock());

    const shown = await d.say(bob, 'dsr', `recipients ${request.reference}`);
    expect(shown).toMatch(/HubSpot \(restriction\): owed since \d{4}-\d{2}-\d{2}/);
    expect(shown).toMatch(/Microsoft 365 \(restriction\): owed since/);
    expect(shown).not.toContain('Payroll');
    const card = async () => JSON.stringify((await t.db('outbox').where({ card_key: `request:${request.id}` }).orderBy('id', 'desc').first<{ payload: { card: Card } }>('payload')).payload.card);
    expect(await card()).toContain('Recipients to tell (Art 19): 2 owed');

    expect(await d.say(bob, 'dsr', `recipients ${request.reference} told Hubspot`)).toBe(`Recorded HubSpot as told of the change for ${request.reference}.`);
    expect(await d.say(bob, 'dsr', `recipients ${request.reference} told HubSpot`)).toContain('was already recorded as told');
    expect(await t.db('recipient_notices').whereNotNull('told_at').select('told_by')).toEqual([{ told_by: 'slack:UBOB' }]);
    expect(await card()).toContain('Recipients to tell (Art 19): 1 owed');
    const detail = await d.say(bob, 'dsr', `show ${request.reference}`);
    expect(detail).toMatch(/Recipients to tell \(Art 19\):\n• HubSpot \(restriction\): told \d{4}-\d{2}-\d{2} by /);
    expect(detail).toMatch(/• Microsoft 365 \(restriction\): owed since \d{4}-\d{2}-\d{2}/);
    expect(await t.db('audit_events').where({ action: 'recipient.told', subject: request.reference }).count<{ count: number }[]>('* as count')).toEqual([{ count: 1 }]);

    const unknown = await d.say(bob, 'dsr', `recipients ${request.reference} told Salesforce`);
    expect(unknown).toContain('"Salesforce" is not on the register of service providers; its names are: ');
    expect(unknown).toContain('HubSpot');
    expect(await d.say(bob, 'dsr', `recipients ${request.reference} told Payroll`)).toContain('owes Payroll no notice');

    // sla-reminders chases what is still owed, weekly from a week on, once per week.
    const job = { db: t.db, config: t.ctx.config, logger: t.ctx.logger, pepper: t.ctx.pepper };
    const notices = () => t.db('outbox').whereNull('card_key').whereRaw(`payload::text like '%Art 19%'`).count<{ count: number }[]>('* as count');
    await sendSlaReminders(job, new Date(t.ctx.clock().getTime() + 3 * 86_400_000));
    expect(await notices()).toEqual([{ count: 0 }]);
    const weekOn = new Date(t.ctx.clock().getTime() + 8 * 86_400_000);
    await sendSlaReminders(job, weekOn);
    await sendSlaReminders(job, weekOn);
    expect(await notices()).toEqual([{ count: 1 }]);
    const text = JSON.stringify((await t.db('outbox').whereNull('card_key').orderBy('id', 'desc').first()).payload);
    expect(text).toContain(`Microsoft 365 is still owed an Art 19 notice of the restriction`);
    expect(text).toContain(`/dsr recipients ${request.reference} told Microsoft 365`);
  });

  it('owes each a notice of an erasure, and none after an access request, which changes nothing they hold', async () => {
    await upsertContacts(t.db, [{
      externalId: 'CRM-2', email: 'ed@example.com', fullName: 'Ed Erase', phone: null, address: null, company: null,
      isCustomer: false, isSubscriber: true, firstCollectedAt: '2024-01-10', lastSuccessfulContactAt: null,
      inaccurate: false, legitimateInterestEndedAt: null, legalHold: false, doNotContact: false,
    }]);
    const carriedOut = async (type: string, email: string) => {
      await d.say(alice, 'dsr', `new ${type} ${email}`);
      const request = await t.db('requests').orderBy('id', 'desc').first();
      await castVote(t.ctx, bob, { proposalId: (await t.db('proposals').where({ request_id: request.id, kind: 'identity' }).first()).id, decision: 'approve' });
      const action = (await t.db('proposals').where({ request_id: request.id, kind: 'action' }).first()).id;
      for (const voter of [bob, chair]) await castVote(t.ctx, voter, { proposalId: action, decision: 'approve' });
      await executeActions({ db: t.db, config: t.ctx.config, logger: t.ctx.logger, pepper: t.ctx.pepper }, t.ctx.clock());
      return request;
    };
    const access = await carriedOut('access', 'ed@example.com');
    expect((await t.db('requests').where({ id: access.id }).first()).status).toBe('completed');
    expect(await d.say(bob, 'dsr', `recipients ${access.reference}`)).toContain('owes no recipient a notice');
    const erasure = await carriedOut('erasure', 'ed@example.com');
    expect(await t.db('contacts').where({ email: 'ed@example.com' }).first()).toBeUndefined();
    const shown = await d.say(bob, 'dsr', `recipients ${erasure.reference}`);
    expect(shown).toMatch(/HubSpot \(erasure\): owed since/);
    expect(shown).toMatch(/Microsoft 365 \(erasure\): owed since/);
    expect(shown).not.toContain('Payroll');
  });
});
