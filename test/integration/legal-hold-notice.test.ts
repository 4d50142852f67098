import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../../src/chat/card.js';
import { executeActions } from '../../src/jobs/execute-actions.js';
import { sendSlaReminders } from '../../src/jobs/sla-reminders.js';
import { upsertContacts } from '../../src/register/contacts.js';
import { bootstrapChairs } from '../../src/services/bootstrap-chairs.js';
import { castVote } from '../../src/services/cast-vote.js';
import { commandDriver, createTestServices, slackUser, type CommandDriver, type TestServices } from '../support/service-context.js';

/**
 * Art 17(3)(e): an erasure keeps records needed for legal claims. Not acting on that part of the
 * request needs the reasons, and the right to complain, told to the individual (Art 12(4)): a
 * notice owed on the card, chased by sla-reminders, recorded with /dsr told <ref> legal-hold.
 */
const chair = slackUser('UCHAIR');
const alice = slackUser('UALICE');
const bob = slackUser('UBOB');

let t: TestServices;
let d: CommandDriver;

const contact = (externalId: string, email: string, legalHold: boolean) => ({
  externalId, email, fullName: 'Hal Held', phone: null, address: null, company: null,
  isCustomer: false, isSubscriber: false, firstCollectedAt: '2024-01-10', lastSuccessfulContactAt: null,
  inaccurate: false, legitimateInterestEndedAt: null, legalHold, doNotContact: false,
});

beforeAll(async () => {
  t = await createTestServices({ env: { COMMITTEE_CHAIRS: 'slack:UCHAIR', APPROVAL_QUORUM: '1', IDENTITY_QUORUM: '1' } });
  d = commandDriver(t);
  await bootstrapChairs(t.ctx);
  for (const m of [alice, bob]) await d.run(chair, 'gov', `members add <@${m.userId}>`);
  await upsertContacts(t.db, [
    contact('CRM-1', 'hal@example.com', true), contact('CRM-2', 'hal@example.com', false),
    contact('CRM-3', 'fay@example.com', false),
    contact('CRM-4', 'oli@example.com', true),
  ]);
});
afterAll(async () => { await t.drop(); });

const job = () => ({ db: t.db, config: t.ctx.config, logger: t.ctx.logger, pepper: t.ctx.pepper });
const notices = (requestId: number) => t.db('request_notices').where({ request_id: requestId }).orderBy('kind').select('kind', 'told_on', 'due_by');
async function latestCard(requestId: number): Promise<string> {
  const row = await t.db('outbox').where({ card_key: `request:${requestId}` }).orderBy('id', 'desc').first<{ payload: { card: Card } }>('payload');
  return JSON.stringify(row.payload.card);
}
async function approveAndRun(type: string, args: string): Promise<{ id: number; reference: string }> {
  await d.say(alice, 'dsr', `new ${type} ${args}`);
  const request = await t.db('requests').orderBy('id', 'desc').first();
  await castVote(t.ctx, bob, { proposalId: (await t.db('proposals').where({ request_id: request.id, kind: 'identity' }).first()).id, decision: 'approve' });
  await castVote(t.ctx, bob, { proposalId: (await t.db('proposals').where({ request_id: request.id, kind: 'action' }).first()).id, decision: 'approve' });
  await executeActions(job(), t.ctx.clock());
  return request;
}

describe('the notice owed for records kept under legal hold', () => {
  it('is owed after an erasure that kept a held record, shown on the card, chased, and recorded with /dsr told', async () => {
    const request = await approveAndRun('erasure', 'hal@example.com');
    expect(await t.db('contacts').where({ email: 'hal@example.com' }).pluck('external_id')).toEqual(['CRM-1']);
    const owed = await notices(request.id);
    expect(owed.map((n) => [n.kind, n.told_on])).toEqual([['legal-hold', null], ['outcome', null]]);
    const card = await latestCard(request.id);
    expect(card).toContain('records kept under legal hold: owed by');
    expect(card).toContain('tell them which of their records were not erased and why');
    expect(card).toContain(`/dsr told ${request.reference} legal-hold`);
    expect(await t.db('audit_events').where({ action: 'request.notice_owed', subject: request.reference }).pluck('facts'))
      .toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'legal-hold' })]));

    // Chased once on its due day like every notice owed to the individual, naming the reference only.
    const dueBy = owed.find((n) => n.kind === 'legal-hold')!.due_by as string;
    const onDue = new Date(`${dueBy}T09:00:00Z`);
    await sendSlaReminders(job(), onDue);
    await sendSlaReminders(job(), onDue);
    const chased = await t.db('outbox').whereNull('card_key').whereRaw('payload::text like ?', [`%${request.reference}: the individual is owed a notice of the records kept under legal hold%`]).select('payload');
    expect(chased).toHaveLength(1);
    expect(JSON.stringify(chased)).toContain(`/dsr told ${request.reference} legal-hold`);
    expect(JSON.stringify(chased)).not.toContain('hal@');

    expect(await d.say(bob, 'dsr', `told ${request.reference} legal-hold`)).toContain(`Recorded: the individual was told of the records kept under legal hold of ${request.reference}`);
    expect((await notices(request.id)).find((n) => n.kind === 'legal-hold')!.told_on).not.toBeNull();
    expect(await latestCard(request.id)).toMatch(/records kept under legal hold: told \d{4}-\d{2}-\d{2}/);
    expect(await d.say(bob, 'dsr', `told ${request.reference} legal-hold`)).toContain('is already recorded');
  });

  it('is not owed when nothing was held', async () => {
    const request = await approveAndRun('erasure', 'fay@example.com');
    expect((await notices(request.id)).map((n) => n.kind)).toEqual(['outcome']);
    expect(await d.say(bob, 'dsr', `told ${request.reference} legal-hold`)).toContain(`${request.reference} owes the individual no records kept under legal hold notice; still owed: outcome`);
  });

  it('is owed when an upheld objection erases as asked and a record is held', async () => {
    const request = await approveAndRun('objection', 'oli@example.com --about other --erase');
    expect(await t.db('contacts').where({ email: 'oli@example.com' }).pluck('legal_hold')).toEqual([true]);
    expect((await notices(request.id)).map((n) => n.kind)).toEqual(['legal-hold', 'outcome']);
  });
});
