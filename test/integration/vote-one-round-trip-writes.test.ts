import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDuplicateVote, recordVoteSql, sendStatements } from '../../src/register/proposals.js';
import { sqlLiteral } from '../../src/register/sql-literals.js';
import { bootstrapChairs } from '../../src/services/bootstrap-chairs.js';
import { castVote } from '../../src/services/cast-vote.js';
import { verifyAudit } from '../../src/services/verify-audit.js';
import { commandDriver, createTestServices, slackUser, type CommandDriver, type TestServices } from '../support/service-context.js';

/**
 * A vote sends its locks and reads as one multi-statement query, and its last writes, audit events
 * and COMMIT as another, with values written into the SQL (sql-literals.ts). These tests hold it
 * to what the statements it replaced guaranteed: any text goes in unchanged, a fault in the last
 * round trip leaves nothing behind (no vote, no decision, no card, no audit event), and a retry
 * then counts and decides once.
 */
const chair = slackUser('UCHAIR');
const alice = slackUser('UALICE');
const bob = slackUser('UBOB');

let t: TestServices;
let d: CommandDriver;

beforeAll(async () => {
  t = await createTestServices({ env: { COMMITTEE_CHAIRS: 'slack:UCHAIR', APPROVAL_QUORUM: '1', IDENTITY_QUORUM: '1' } });
  d = commandDriver(t);
  await bootstrapChairs(t.ctx);
  for (const m of [alice, bob]) await d.run(chair, 'gov', `members add <@${m.userId}>`);
  await d.run(chair, 'gov', 'channel set');
});
afterAll(async () => { await t.drop(); });

const identityProposal = async (reference: string) => t.db('proposals').join('requests', 'requests.id', 'proposals.request_id')
  .where({ 'requests.reference': reference, kind: 'identity' }).first('proposals.*', 'requests.id as request_id');

describe('values written into a vote\'s SQL', () => {
  it.each([
    ["it's", 'a quote'],
    ['C:\\temp\\', 'backslashes'],
    ['why? because?', 'question marks, which knex would take for placeholders'],
    ["'); drop table votes; --", 'an attempt to end the statement'],
    ['Zoë 🙂 ✓', 'accents and emoji'],
    ['$1 $$ $tag$', 'dollar signs'],
  ])('come back unchanged: %s (%s)', async (text) => {
    const result = await t.db.raw(`select ${sqlLiteral(text)} as a; select ${sqlLiteral(Buffer.from(text))} as b`) as unknown as { rows: { a?: string; b?: Buffer }[] }[];
    expect(result[0]!.rows[0]!.a).toBe(text);
    expect(result[1]!.rows[0]!.b!.toString('utf8')).toBe(text);
  });

  it('keeps a rejection\'s typed reason exactly, quotes and question marks included', async () => {
    const reference = await d.log(alice, 'access quote.reason@example.com');
    const proposal = await identityProposal(reference);
    const reason = "Passport doesn't match? The address is 'Flat 2\\B'.";
    const voted = await castVote(t.ctx, bob, { proposalId: proposal.id, decision: 'reject', reason });
    expect(voted.ok && voted.value.outcome).toBe('rejected');
    expect(await t.db('identity_checks').where({ request_id: proposal.request_id }).first()).toMatchObject({ status: 'rejected', evidence_note: reason });
    expect(await t.db('proposals').where({ id: proposal.id }).first()).toMatchObject({ status: 'rejected', decision_reason: reason });
    expect(await t.db('votes').where({ proposal_id: proposal.id }).first()).toMatchObject({ reason });
  });
});

describe('a fault in the round trip that commits a deciding vote', () => {
  it('leaves nothing behind, and the vote retried counts and decides once', async () => {
    const reference = await d.log(alice, 'access fault.commit@example.com');
    const proposal = await identityProposal(reference);
    const cardKey = `request:${proposal.request_id}`;
    const before = {
      events: Number((await t.db('audit_events').count<{ count: string }[]>('* as count'))[0]!.count),
      cards: Number((await t.db('outbox').where({ card_key: cardKey }).count<{ count: string }[]>('* as count'))[0]!.count),
    };
    // The card's outbox row is written in the vote's last round trip, with its audit events and COMMIT.
    await t.db.raw(`alter table outbox add constraint refuse_this_card check (card_key is distinct from ${sqlLiteral(cardKey)}) not valid`);
    try {
      await expect(castVote(t.ctx, bob, { proposalId: proposal.id, decision: 'approve' })).rejects.toThrow(/refuse_this_card/);
    } finally {
      await t.db.raw('alter table outbox drop constraint refuse_this_card');
    }
    expect(await t.db('votes').where({ proposal_id: proposal.id })).toHaveLength(0);
    expect(await t.db('proposals').where({ id: proposal.id }).first()).toMatchObject({ status: 'open', decided_at: null });
    expect(await t.db('requests').where({ id: proposal.request_id }).first()).toMatchObject({ status: 'received' });
    expect(await t.db('identity_checks').where({ request_id: proposal.request_id }).first()).toMatchObject({ status: 'pending' });
    expect(await t.db('proposals').where({ request_id: proposal.request_id, kind: 'action' })).toHaveLength(0);
    expect(Number((await t.db('audit_events').count<{ count: string }[]>('* as count'))[0]!.count)).toBe(before.events);
    expect(Number((await t.db('outbox').where({ card_key: cardKey }).count<{ count: string }[]>('* as count'))[0]!.count)).toBe(before.cards);

    const retried = await castVote(t.ctx, bob, { proposalId: proposal.id, decision: 'approve' });
    expect(retried.ok && retried.value.outcome).toBe('approved');
    expect(await castVote(t.ctx, bob, { proposalId: proposal.id, decision: 'approve' })).toEqual({ ok: false, error: expect.any(String) });
    expect(await t.db('votes').where({ proposal_id: proposal.id })).toHaveLength(1);
    expect(await t.db('proposals').where({ request_id: proposal.request_id, kind: 'action' })).toHaveLength(1);
    expect(await t.db('audit_events').where({ subject: reference }).whereIn('action', ['vote.approve', 'proposal.approved']).pluck('action')).toEqual(['vote.approve', 'proposal.approved']);
    expect((await verifyAudit(t.db)).ok).toBe(true);
  });
});

describe('a second vote by the same member that the check under the lock missed', () => {
  it('is refused by the unique key, recognised as such, and takes the transaction with it', async () => {
    const reference = await d.log(alice, 'access twice@example.com');
    const proposal = await identityProposal(reference);
    const vote = { proposal_id: proposal.id, member: bob.key, decision: 'approve' as const, reason: null };
    const error = await t.db.transaction(async (trx) => {
      await sendStatements(trx, [recordVoteSql(vote, new Date(), null)]);
      await sendStatements(trx, [recordVoteSql(vote, new Date(), 'approved')]);
    }).then(() => null, (e: unknown) => e);
    expect(isDuplicateVote(error)).toBe(true);
    expect(await t.db('votes').where({ proposal_id: proposal.id })).toHaveLength(0);
    expect(await t.db('proposals').where({ id: proposal.id }).first()).toMatchObject({ status: 'open' });
  });
});
