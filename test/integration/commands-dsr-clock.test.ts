import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/chat/actor.js';
import { bootstrapChairs } from '../../src/services/bootstrap-chairs.js';
import { castVote } from '../../src/services/cast-vote.js';
import { commandDriver, createTestServices, slackUser, type CommandDriver, type TestServices } from '../support/service-context.js';

/** The statutory clock from chat: `/dsr pause`, `resume`, `extend`, `refuse` and `deadline`. */
const chair = slackUser('UCHAIR');
const m1 = slackUser('UM1');
const m2 = slackUser('UM2');
const m3 = slackUser('UM3');
const staff = slackUser('USTAFF');

let t: TestServices;
let d: CommandDriver;

beforeEach(async () => {
  t = await createTestServices({ env: { COMMITTEE_CHAIRS: 'slack:UCHAIR' } });
  d = commandDriver(t);
  await bootstrapChairs(t.ctx);
  for (const m of [m1, m2, m3]) await d.run(chair, 'gov', `members add <@${m.userId}|${m.userId.toLowerCase()}>`);
});
afterEach(async () => { await t.drop(); });

async function request(ref: string) {
  return t.db('requests').where({ reference: ref }).first();
}

async function approveIdentity(ref: string, by: Actor = m1): Promise<void> {
  const req = await request(ref);
  const proposal = await t.db('proposals').where({ request_id: req.id, kind: 'identity' }).first();
  expect((await castVote(t.ctx, by, { proposalId: proposal.id, decision: 'approve' })).ok).toBe(true);
}

describe('/dsr pause and /dsr resume', () => {
  it('moves the due date by the paused days, both ends included', async () => {
    t.setNow('2026-05-11');
    const ref = await d.log(staff, 'sar jo@example.com');
    expect((await request(ref)).due_on).toBe('2026-06-11');
    t.setNow('2026-05-12');
    expect(await d.say(m1, 'dsr', `pause ${ref} identity passport requested`)).toContain(`The clock of ${ref} is paused from today while waiting for identity evidence`);
    expect(await t.db('identity_checks').where({ request_id: (await request(ref)).id }).first()).toMatchObject({ status: 'evidence-requested' });
    expect((await request(ref)).due_on).toBe('2026-06-11'); // moves when the clock restarts
    t.setNow('2026-05-16');
    expect(await d.say(m1, 'dsr', `resume ${ref}`)).toBe(`The clock of ${ref} runs again: paused 2026-05-12 to 2026-05-16 (identity), 5 days added. Due 2026-06-16 (was 2026-06-11).`);
    expect(await request(ref)).toMatchObject({ due_on: '2026-06-16', paused_days: 5 });
    expect(await t.db('identity_checks').where({ request_id: (await request(ref)).id }).first()).toMatchObject({ status: 'pending' });
    const audit = await t.db('audit_events').where({ subject: ref }).orderBy('id').select('action', 'facts');
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['request.logged', 'request.paused', 'request.resumed']);
    expect(audit[1].facts).toEqual({ kind: 'identity', paused_on: '2026-05-12', note_given: true });
    // A pause opened and closed on one day counts that day...
    t.setNow('2026-05-18');
    await d.run(m1, 'dsr', `pause ${ref} fee`);
    expect(await d.say(m1, 'dsr', `resume ${ref}`)).toContain('1 day added. Due 2026-06-17');
    // ...but not again when a new pause starts the day the last one ended: the clock cannot stop twice.
    await d.run(m1, 'dsr', `pause ${ref} clarification`);
    t.setNow('2026-05-19');
    expect(await d.say(m1, 'dsr', `resume ${ref}`)).toContain('(clarification), 1 day added. Due 2026-06-18');
  });

  it('refuses what cannot be paused or resumed, changing nothing', async () => {
    const ref = await d.log(staff, 'sar jo@example.com');
    await d.refused(m1, 'dsr', `pause ${ref} holiday`, '"holiday" is not a reason to pause', 'identity, authority, clarification, fee', 'Usage: /dsr pause <ref> <identity|authority|clarification|fee> [note]');
    await d.refused(m1, 'dsr', `pause ${ref}`, 'Give the reason to pause', 'Usage: /dsr pause');
    await d.refused(m1, 'dsr', 'pause DSR-2026-0042 fee', 'There is no request DSR-2026-0042', 'Usage: /dsr pause');
    await d.refused(m1, 'dsr', `resume ${ref}`, 'is running, not paused', 'Usage: /dsr resume <ref>');
    await d.run(m1, 'dsr', `pause ${ref} clarification`);
    await d.refused(m1, 'dsr', `pause ${ref} fee`, 'already paused', `/dsr resume ${ref}`, 'Usage: /dsr pause');
    await d.run(m1, 'dsr', `resume ${ref}`);
    await approveIdentity(ref);
    await d.refused(m1, 'dsr', `pause ${ref} identity`, 'identity check decided already', 'Usage: /dsr pause');
    await d.run(m1, 'dsr', `close ${ref} withdrawn`);
    await d.refused(m1, 'dsr', `pause ${ref} fee`, 'closed: withdrawn, so it can no longer change', 'Usage: /dsr pause');
    await d.refused(m1, 'dsr', `resume ${ref} now`, 'Give one reference', 'Usage: /dsr resume <ref>');
  });
});


describe('/dsr extend', () => {
  it('proposes the extension for the committee, once', async () => {
    const ref = await d.log(staff, 'sar jo@example.com');
    expect(await d.say(m1, 'dsr', `extend ${ref} 14 systems to search, some archived`)).toBe(`Extension of ${ref} proposed: due 2026-06-02 if 2 other members approve it on the card.`);
    const proposal = await t.db('proposals').where({ kind: 'extension' }).first();
    expect(proposal).toMatchObject({ quorum: 2, status: 'open', requested_by: 'slack:UM1', summary: { reference: ref, reason: '14 systems to search, some archived', extendedDueOn: '2026-06-02' } });
    await d.refused(m2, 'dsr', `extend ${ref} again`, 'already awaiting the committee', 'Usage: /dsr extend <ref> <reason>');
    for (const who of [m2, m3]) expect((await castVote(t.ctx, who, { proposalId: proposal.id, decision: 'approve' })).ok).toBe(true);
    expect(await request(ref)).toMatchObject({ extended: true, due_on: '2026-06-02' });
    await d.refused(m1, 'dsr', `extend ${ref} more time`, 'already extended (due 2026-06-02)', 'Usage: /dsr extend');
  });

  it('refuses after the first month, without a reason, or for an unknown request', async () => {
    const late = await d.log(staff, 'sar jo@example.com --received 2026-01-05');
    await d.refused(m1, 'dsr', `extend ${late} complex`, 'Too late to extend: the first month ended on 2026-02-05 Thu', 'Usage: /dsr extend <ref> <reason>');
    await d.refused(m1, 'dsr', `extend ${late}`, 'Give the reason', 'Usage: /dsr extend');
    await d.refused(m1, 'dsr', 'extend DSR-2025-0001 complex', 'There is no request DSR-2025-0001');
  });
});


describe('/dsr refuse', () => {
  it('proposes a refusal with its grounds and reason', async () => {
    const ref = await d.log(staff, 'sar jo@example.com');
    expect(await d.say(m1, 'dsr', `refuse ${ref} Excessive "fifth identical request this month"`)).toBe(`Refusal of ${ref} as manifestly excessive proposed: it takes effect if 2 other members approve it on the card.`);
    const proposal = await t.db('proposals').where({ kind: 'refusal' }).first();
    expect(proposal).toMatchObject({ quorum: 2, summary: { grounds: 'excessive', reason: 'fifth identical request this month' } });
    await d.refused(m2, 'dsr', `refuse ${ref} unfounded twice`, 'already awaiting the committee');
    for (const who of [m2, m3]) await castVote(t.ctx, who, { proposalId: proposal.id, decision: 'approve' });
    expect(await request(ref)).toMatchObject({ status: 'refused', status_reason: 'refused as manifestly excessive: fifth identical request this month' });
  });

  it('refuses bad grounds, a missing reason, or a request whose action is approved', async () => {
    const ref = await d.log(staff, 'sar jo@example.com');
    await d.refused(m1, 'dsr', `refuse ${ref} vexatious annoying`, '"vexatious" is not a ground for refusal: use unfounded, excessive', 'Usage: /dsr refuse <ref> <unfounded|excessive> <reason>');
    await d.refused(m1, 'dsr', `refuse ${ref} unfounded`, 'Give the reason', 'Usage: /dsr refuse');
    await approveIdentity(ref);
    const action = await t.db('proposals').where({ kind: 'action' }).first();
    await castVote(t.ctx, m2, { proposalId: action.id, decision: 'approve' });
    await d.refused(m1, 'dsr', `refuse ${ref} unfounded late`, 'Cannot refuse the request: the request is action approved', 'Usage: /dsr refuse');
  });
});


describe('/dsr deadline', () => {
  it('answers anyone with the due date on the first line, as the CLI does', async () => {
    const reply = await d.say(staff, 'dsr', 'deadline 2024-11-25');
    expect(reply.split('\n')[0]).toBe('2024-12-27');
    expect(reply).toContain('Received 2024-11-25 Mon; one month; due 2024-12-27 Fri (england-and-wales bank holidays).');
    expect((await d.say(staff, 'dsr', 'deadline 2026-12-01 --region scotland')).split('\n')[0]).toBe('2027-01-05');
    expect((await d.say(staff, 'dsr', 'deadline 2026-05-11 --paused-days 5 --extended')).split('\n')[0]).toBe('2026-08-17');
    expect((await d.say(staff, 'dsr', 'deadline 2030-01-15')).split('\n')[0]).toBe('2030-02-15');
  });

  it('refuses a bad date or option', async () => {
    const usage = 'Usage: /dsr deadline <YYYY-MM-DD>';
    await d.refused(staff, 'dsr', 'deadline 2026-02-30', 'February 2026 has 28 days', usage);
    await d.refused(staff, 'dsr', 'deadline 02/03/2026', 'is not a date in the form YYYY-MM-DD', usage);
    await d.refused(staff, 'dsr', 'deadline', 'Give the date', usage);
    await d.refused(staff, 'dsr', 'deadline 2026-03-02 --region wales-north', 'is not a bank-holiday region', usage);
    await d.refused(staff, 'dsr', 'deadline 2026-03-02 --paused-days many', '--paused-days must be a whole number', usage);
    await d.refused(staff, 'dsr', 'deadline 2026-03-02 --extend', 'unknown option --extend', usage);
    await d.refused(staff, 'dsr', 'deadline 2026-03-02 2026-03-03', 'Unexpected "2026-03-03"', usage);
  });
});
