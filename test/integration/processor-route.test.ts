import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executeActions } from '../../src/jobs/execute-actions.js';
import { bootstrapChairs } from '../../src/services/bootstrap-chairs.js';
import { castVote } from '../../src/services/cast-vote.js';
import { commandDriver, createTestServices, slackUser, type CommandDriver, type TestServices } from '../support/service-context.js';

/**
 * Requests about data the company processes for a customer (Art 28(3)(e)): no identity check of
 * ours and no Art 12 clock; passed to the controller within FORWARD_WITHIN_DAYS working days.
 */
const chair = slackUser('UCHAIR');
const m1 = slackUser('UM1');
const staff = slackUser('USTAFF');

let t: TestServices;
let d: CommandDriver;

beforeEach(async () => {
  t = await createTestServices({ env: { COMMITTEE_CHAIRS: 'slack:UCHAIR' }, now: '2026-06-08T10:00:00Z' });
  d = commandDriver(t);
  await bootstrapChairs(t.ctx);
  await d.run(chair, 'gov', 'members add <@UM1|um1>');
});
afterEach(async () => { await t.drop(); });

const request = (ref: string) => t.db('requests').where({ reference: ref }).first();
const lastCard = async (id: number) => JSON.stringify((await t.db('outbox').where({ card_key: `request:${id}` }).orderBy('id', 'desc').first()).payload.card);

describe('the processor route', () => {
  it('proposes forwarding at once, with the forwarding target as its date, and no identity check', async () => {
    const said = await d.say(staff, 'dsr', 'new sar jo@example.com --controller "Acme Ltd"');
    const ref = /DSR-\d{4}-\d{4}/.exec(said)![0];
    expect(said).toBe(`Logged ${ref} (access) for Acme Ltd, the controller of this data: pass it to them by 2026-06-10 (the committee has its card), then record it with /dsr forwarded ${ref}.`);
    const row = await request(ref);
    expect(row).toMatchObject({ due_on: '2026-06-10', status: 'received', controller: 'Acme Ltd' });
    expect(await t.db('identity_checks').where({ request_id: row.id })).toEqual([]);
    expect(await t.db('proposals').where({ request_id: row.id }).select('kind', 'quorum', 'status')).toEqual([{ kind: 'action', quorum: 1, status: 'open' }]);
    const card = await lastCard(row.id);
    expect(card).toContain('Forward to Acme Ltd');
    expect(card).toContain('"label":"Forward by","value":"2026-06-10 Wed"');
    expect(card).toContain('received, to forward to the controller');
    expect(card).toContain('Approve forwarding');
    expect(card).not.toContain('Approve identity');
  });

  it('refuses the Art 12 tools, and forwarding for a request of the company\'s own, changing nothing', async () => {
    const ref = await d.log(staff, 'sar jo@example.com --controller "Acme Ltd"');
    await d.refused(m1, 'dsr', `pause ${ref} identity`, 'processes for Acme Ltd: its clock is the controller\'s, and identity is theirs to check', `/dsr forwarded ${ref}`);
    await d.refused(m1, 'dsr', `extend ${ref} complex`, 'a processor-route request has no Art 12 clock of ours to extend');
    await d.refused(m1, 'dsr', `forwarded ${ref} --on 2026-06-09`, '2026-06-09 is in the future (today is 2026-06-08)', `Usage: /dsr forwarded ${ref} [--on YYYY-MM-DD]`);
    await d.refused(m1, 'dsr', `forwarded ${ref} --on 2026-06-07`, 'before', 'was received (2026-06-08)');
    const own = await d.log(staff, 'sar al@example.com');
    await d.refused(m1, 'dsr', `forwarded ${own}`, `${own} is not a processor-route request`, 'Usage: /dsr forwarded');
    await d.refused(staff, 'dsr', `forwarded ${ref}`, 'committee members');
  });

  it('/dsr forwarded records the day, closes the request and stops the chasing; late forwarding says so', async () => {
    const ref = await d.log(staff, 'erasure jo@example.com --controller "Acme Ltd"');
    t.setNow('2026-06-12');
    expect(await d.say(m1, 'dsr', `forwarded ${ref} --on 2026-06-11`)).toBe(`Recorded: ${ref} was passed to Acme Ltd on 2026-06-11 (forwarded 2026-06-11, 1 day after the target; the target was 2026-06-10). The request is closed; assist the controller as they ask.`);
    const row = await request(ref);
    expect(row).toMatchObject({ status: 'completed', forwarded_on: '2026-06-11' });
    expect(await t.db('proposals').where({ request_id: row.id }).first()).toMatchObject({ status: 'cancelled' });
    expect(await t.db('request_notices').where({ request_id: row.id })).toEqual([]); // the controller answers the individual
    const event = await t.db('audit_events').where({ subject: ref, action: 'request.forwarded' }).first();
    expect(event.facts).toMatchObject({ forwarded_on: '2026-06-11', target: '2026-06-10', late: true });
    await d.refused(m1, 'dsr', `forwarded ${ref}`, 'can no longer change');
  });

  it('the card\'s button records the forwarding through execute-actions', async () => {
    const ref = await d.log(staff, 'sar jo@example.com --controller "Acme Ltd"');
    const row = await request(ref);
    const proposal = await t.db('proposals').where({ request_id: row.id }).first();
    expect((await castVote(t.ctx, m1, { proposalId: proposal.id, decision: 'approve' })).ok).toBe(true);
    expect(await request(ref)).toMatchObject({ status: 'action-approved' });
    await executeActions({ db: t.db, config: t.ctx.config, logger: t.ctx.logger, pepper: t.ctx.pepper }, t.now());
    expect(await request(ref)).toMatchObject({ status: 'completed', forwarded_on: '2026-06-08' });
    expect(await lastCard(row.id)).toContain('"label":"Forward by","value":"2026-06-10 Wed (forwarded 2026-06-08)"');
    expect(await lastCard(row.id)).toContain('completed: passed to the controller');
  });
});
