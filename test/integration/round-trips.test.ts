import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertContacts } from '../../src/register/contacts.js';
import { bootstrapChairs } from '../../src/services/bootstrap-chairs.js';
import { castVote } from '../../src/services/cast-vote.js';
import { commandDriver, createTestServices, slackUser, type CommandDriver, type TestServices } from '../support/service-context.js';
import { countRoundTrips, listing } from '../support/round-trips.js';

/**
 * Round trips to Postgres per intake, vote and list. Each statement costs the one event loop about
 * a millisecond of writev and parsing on a small machine, and the audit chain's lock is held across
 * every round trip between the append and COMMIT, so these counts bound how fast acknowledgements
 * stay under a burst. A change that adds a statement to these paths fails here and says which.
 */
const chair = slackUser('UCHAIR');
const alice = slackUser('UALICE');
const bob = slackUser('UBOB');
const carol = slackUser('UCAROL');

let t: TestServices;
let d: CommandDriver;

beforeAll(async () => {
  t = await createTestServices({ env: { COMMITTEE_CHAIRS: 'slack:UCHAIR', APPROVAL_QUORUM: '2', IDENTITY_QUORUM: '2' } });
  d = commandDriver(t);
  await bootstrapChairs(t.ctx);
  for (const m of [alice, bob, carol]) await d.run(chair, 'gov', `members add <@${m.userId}>`);
  await d.run(chair, 'gov', 'channel set');
  await upsertContacts(t.db, [{
    externalId: 'CRM-1', email: 'jo.bloggs@example.com', fullName: 'Jo Bloggs', phone: '+447700900123', address: null, company: null,
    isCustomer: false, isSubscriber: true, firstCollectedAt: '2024-01-10', lastSuccessfulContactAt: null,
    inaccurate: false, legitimateInterestEndedAt: null, legalHold: false, doNotContact: false,
  }]);
  // Open the pool's connections, as in a running service.
  await d.log(alice, 'access warm@example.com');
});
afterAll(async () => { await t.drop(); });

describe('round trips to Postgres', () => {
  it('/dsr new: the intake limit, one read of everything, one write of everything', async () => {
    const { statements } = await countRoundTrips(t.db, () => d.say(alice, 'dsr', 'new access sam@example.org'));
    expect(statements, listing(statements)).toHaveLength(3);
    expect(statements[2]!.sql).toMatch(/audit_append/);
  });

  it('/dsr new for a subject matched to a contact with a phone: one more read, of the phone suppression', async () => {
    const { statements } = await countRoundTrips(t.db, () => d.say(alice, 'dsr', 'new delete jo.bloggs@example.com "Jo Bloggs"'));
    expect(statements, listing(statements)).toHaveLength(4);
  });

  it('a vote: locks with context, vote, card, audit events and commit', async () => {
    const request = await t.db('requests').where({ subject_email: 'jo.bloggs@example.com' }).first();
    const identity = await t.db('proposals').where({ request_id: request.id, kind: 'identity' }).first();
    const pending = await countRoundTrips(t.db, () => castVote(t.ctx, bob, { proposalId: identity.id, decision: 'approve' }));
    expect(pending.result.ok && pending.result.value.outcome).toBe('pending');
    // BEGIN; the proposal's and the request's locks with the vote's context; the vote with the card's
    // view; the card with the audit event and COMMIT; knex's COMMIT (of an empty transaction).
    expect(pending.statements, listing(pending.statements)).toHaveLength(5);
    expect(pending.statements.at(-2)!.sql).toMatch(/audit_append[^;]*;\s*COMMIT;\s*BEGIN$/);
    const deciding = await countRoundTrips(t.db, () => castVote(t.ctx, carol, { proposalId: identity.id, decision: 'approve' }));
    expect(deciding.result.ok && deciding.result.value.outcome).toBe('approved');
    // BEGIN; locks and context; the legal hold of the subject's matched contact (the action's plan);
    // the vote, the decision, the request's status and clock and the action's proposal with the
    // card's view; the identity check, the card, both audit events and COMMIT; knex's COMMIT.
    expect(deciding.statements, listing(deciding.statements)).toHaveLength(6);
    // Each a prepared statement (prepared first on a session that lacks it, in the same round trip).
    expect(deciding.statements[3]!.sql, listing(deciding.statements)).toMatch(/(^|;\s*)execute govbot_record_vote\([^;]*;\s*execute govbot_decide_proposal\([^;]*;\s*execute govbot_update_request_status\([^;]*;\s*execute govbot_insert_proposal\(/);
    // The audit chain's lock is taken in the round trip that commits, never earlier: it is never
    // held while an answer travels back to Node.
    expect(deciding.statements.findIndex((s) => /audit_append/.test(s.sql)), listing(deciding.statements)).toBe(deciding.statements.length - 2);
    expect(deciding.statements.at(-2)!.sql.match(/execute govbot_audit_append\(/g), listing(deciding.statements)).toHaveLength(2);
    expect(deciding.statements.at(-2)!.sql, listing(deciding.statements)).toMatch(/;\s*COMMIT;\s*BEGIN$/);
  });

  it('/dsr list: membership, then the open requests with their history', async () => {
    const { statements } = await countRoundTrips(t.db, () => d.say(bob, 'dsr', 'list'));
    expect(statements, listing(statements)).toHaveLength(2);
  });
});
