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

describe('/dsr pause and /dsr resume: the clock as Art 12A says', () => {
  it('issue case 1: identity asked the day of receipt and arrived two days later: one month from the arrival', async () => {
    t.setNow('2026-06-08');
    const ref = await d.log(staff, 'sar jo@example.com');
    expect((await request(ref)).due_on).toBe('2026-07-08');
    expect(await d.say(m1, 'dsr', `pause ${ref} identity passport requested`)).toBe(`The clock of ${ref} has not started: awaiting identity evidence since 2026-06-08 Mon. When it arrives: /dsr resume ${ref} [--on YYYY-MM-DD]; the clock then starts afresh, day one, on that day (Art 12A).`);
    expect(await request(ref)).toMatchObject({ due_on: null, relevant_on: null });
    expect(await t.db('identity_checks').where({ request_id: (await request(ref)).id }).first()).toMatchObject({ status: 'evidence-requested' });
    t.setNow('2026-06-10');
    expect(await d.say(m1, 'dsr', `resume ${ref}`)).toBe(`${ref}: clock starts afresh on 2026-06-10: identity received (Art 12A). Due 2026-07-10 Fri.`);
    expect(await request(ref)).toMatchObject({ due_on: '2026-07-10', relevant_on: '2026-06-10', paused_days: 0 });
    expect(await t.db('identity_checks').where({ request_id: (await request(ref)).id }).first()).toMatchObject({ status: 'pending' });
    const audit = await t.db('audit_events').where({ subject: ref }).orderBy('id').select('action', 'facts');
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['request.logged', 'request.paused', 'request.resumed']);
    expect(audit[1].facts).toMatchObject({ kind: 'identity', paused_on: '2026-06-08', note_given: true, effect: 'clock not started until it arrives' });
    expect(audit[2].facts).toMatchObject({ kind: 'identity', asked_on: '2026-06-08', arrived_on: '2026-06-10', relevant_on: '2026-06-10', due_on: '2026-07-10' });
    expect(await d.say(m1, 'dsr', `show ${ref}`)).toContain('Clock: due 2026-07-10 Fri (30 days left); clock starts afresh on 2026-06-10: identity received; relevant day 2026-06-10');
  });

  it('an agent\'s authority and a fee (with the finding first) also start the clock afresh; --on records an earlier arrival', async () => {
    t.setNow('2026-06-08');
    const ref = await d.log(staff, 'sar jo@example.com --agent "Lee Advocates"');
    await d.run(m1, 'dsr', `pause ${ref} authority`);
    t.setNow('2026-06-15');
    expect(await d.say(m1, 'dsr', `resume ${ref} --on 2026-06-12`)).toBe(`${ref}: clock starts afresh on 2026-06-12: the agent's authority received (Art 12A). Due 2026-07-13 Mon.`);
    await d.refused(m1, 'dsr', `pause ${ref} fee`, 'A fee may be charged only for a manifestly unfounded or excessive request (Art 12(5))', `/dsr pause ${ref} fee excessive`);
    expect(await d.say(m1, 'dsr', `pause ${ref} fee excessive third identical request this month`)).toContain('awaiting a fee since 2026-06-15 Mon');
    t.setNow('2026-06-16');
    expect(await d.say(m1, 'dsr', `resume ${ref}`)).toBe(`${ref}: clock starts afresh on 2026-06-16: fee paid (Art 12A). Due 2026-07-16 Thu.`);
    const fee = await t.db('audit_events').where({ subject: ref, action: 'request.paused' }).orderBy('id', 'desc').first();
    expect(fee.facts).toMatchObject({ kind: 'fee', grounds: 'excessive' });
  });

  it('clarification stops an access request\'s running clock, both ends not counted', async () => {
    t.setNow('2026-06-08');
    const ref = await d.log(staff, 'sar jo@example.com');
    t.setNow('2026-06-10');
    expect(await d.say(m1, 'dsr', `pause ${ref} clarification which systems?`)).toContain(`The clock of ${ref} is stopped from today for clarification`);
    expect((await request(ref)).due_on).toBeNull();
    t.setNow('2026-06-20');
    expect(await d.say(m1, 'dsr', `resume ${ref}`)).toBe(`Clarification received 2026-06-20 for ${ref}: the clock runs again; stopped 2026-06-10 to 2026-06-20, both days included, 11 stopped days in all. Due 2026-07-20 Mon.`);
    expect(await request(ref)).toMatchObject({ due_on: '2026-07-20', paused_days: 11, relevant_on: '2026-06-08' });
  });

  it('issue cases 2–4: no stop for an erasure, none once the clock ran out, none before 5 February 2026: one clear answer, nothing changed', async () => {
    t.setNow('2026-06-08');
    const erasure = await d.log(staff, 'erasure jo@example.com');
    t.setNow('2026-06-10');
    await d.refused(m1, 'dsr', `pause ${erasure} clarification`, 'Only an access request can stop the clock for clarification (Art 12A', 'Usage: /dsr pause');
    expect((await request(erasure)).due_on).toBe('2026-07-08');
    const access = await d.log(staff, 'sar jo@example.com --received 2026-06-08');
    t.setNow('2026-07-10');
    await d.refused(m1, 'dsr', `pause ${access} clarification`, 'ran out on 2026-07-08 Wed: a clock that has run out cannot be stopped or restarted (Art 12A)');
    await d.refused(m1, 'dsr', `pause ${access} identity`, 'a clock that has run out cannot be stopped');
    const old = await d.log(staff, 'sar al@example.com --received 2026-01-12');
    t.setNow('2026-01-14');
    await d.refused(m1, 'dsr', `pause ${old} clarification`, 'received on 2026-01-12, before Article 12A came into force on 2026-02-05', 'the old Art 12(3)');
  });

  it('refuses a resume in the future or before the ask, and what cannot be paused or resumed, changing nothing', async () => {
    const ref = await d.log(staff, 'sar jo@example.com');
    await d.refused(m1, 'dsr', `pause ${ref} holiday`, '"holiday" is not a reason to pause', 'identity, authority, clarification, fee', `Usage: /dsr pause ${ref} <identity|authority|clarification|fee> [note]`);
    await d.refused(m1, 'dsr', `pause ${ref}`, 'Give the reason to pause', 'Usage: /dsr pause');
    await d.refused(m1, 'dsr', 'pause DSR-2026-0042 identity', 'There is no request DSR-2026-0042', 'Usage: /dsr pause');
    await d.refused(m1, 'dsr', `pause ${ref} authority`, 'was not made by an agent');
    await d.refused(m1, 'dsr', `resume ${ref}`, 'is not waiting for anything', `Usage: /dsr resume ${ref} [--on YYYY-MM-DD]`);
    await d.run(m1, 'dsr', `pause ${ref} identity`);
    await d.refused(m1, 'dsr', `pause ${ref} clarification`, 'already waiting for identity (since 2026-03-02)', `/dsr resume ${ref}`);
    await d.refused(m1, 'dsr', `resume ${ref} --on 2026-03-03`, '2026-03-03 is in the future (today is 2026-03-02)', 'Usage: /dsr resume');
    await d.refused(m1, 'dsr', `resume ${ref} --on 2026-03-01`, 'before identity was asked for (2026-03-02)');
    await d.refused(m1, 'dsr', `resume ${ref} --on 2026-02-30`, '--on: "2026-02-30" is not a real date');
    await d.refused(m1, 'dsr', `resume ${ref} now`, 'Give one reference', `Usage: /dsr resume ${ref}`);
    await d.run(m1, 'dsr', `resume ${ref}`);
    await approveIdentity(ref);
    await d.refused(m1, 'dsr', `pause ${ref} identity`, 'identity check decided already', 'Usage: /dsr pause');
    await d.run(m1, 'dsr', `close ${ref} withdrawn`);
    await d.refused(m1, 'dsr', `pause ${ref} clarification`, 'closed: withdrawn, so it can no longer change', 'Usage: /dsr pause');
  });
});


describe('/dsr extend and /dsr told', () => {
  it('proposes the extension for the committee, once; it stands only if the individual is told in the first period', async () => {
    const ref = await d.log(staff, 'sar jo@example.com');
    expect(await d.say(m1, 'dsr', `extend ${ref} 14 systems to search, some archived`)).toBe(`Extension of ${ref} proposed: due 2026-06-02 if 2 other members approve it on the card.`);
    const proposal = await t.db('proposals').where({ kind: 'extension' }).first();
    expect(proposal).toMatchObject({ quorum: 2, status: 'open', requested_by: 'slack:UM1', summary: { reference: ref, reason: '14 systems to search, some archived', extendedDueOn: '2026-06-02' } });
    await d.refused(m2, 'dsr', `extend ${ref} again`, 'already awaiting the committee', `Usage: /dsr extend ${ref} <reason>`);
    for (const who of [m2, m3]) expect((await castVote(t.ctx, who, { proposalId: proposal.id, decision: 'approve' })).ok).toBe(true);
    expect(await request(ref)).toMatchObject({ extended: true, due_on: '2026-06-02' });
    expect(await t.db('request_notices').where({ kind: 'extension' }).first()).toMatchObject({ owed_since: '2026-03-02', due_by: '2026-04-02', told_on: null });
    await d.refused(m1, 'dsr', `extend ${ref} more time`, 'already extended; the law allows one extension', 'Usage: /dsr extend');
    await d.refused(m1, 'dsr', `told ${ref} refusal`, `${ref} owes the individual no refusal notice; still owed: extension`, 'Usage: /dsr told');
    await d.refused(m1, 'dsr', `told ${ref} extension --on 2026-03-01`, 'before the extension was decided (2026-03-02)');
    t.setNow('2026-03-05');
    expect(await d.say(m1, 'dsr', `told ${ref} extension --on 2026-03-04`)).toBe(`Recorded: the individual was told of the extension of ${ref} on 2026-03-04, in time. The extension stands: due 2026-06-02 Tue.`);
    await d.refused(m1, 'dsr', `told ${ref} extension`, 'already recorded (2026-03-04)');
  });

  it('issue case 5: received 31 Jan 2026, extended to 28 Apr; told on the rolled 2 Mar is too late, so not validly extended', async () => {
    t.setNow('2026-02-10');
    const ref = await d.log(staff, 'sar jo@example.com --received 2026-01-31');
    expect((await request(ref)).due_on).toBe('2026-03-02');
    await d.run(m1, 'dsr', `extend ${ref} archived mailboxes`);
    const proposal = await t.db('proposals').where({ kind: 'extension' }).first();
    expect(proposal.summary.extendedDueOn).toBe('2026-04-28');
    for (const who of [m2, m3]) await castVote(t.ctx, who, { proposalId: proposal.id, decision: 'approve' });
    t.setNow('2026-03-02');
    expect(await d.say(m1, 'dsr', `told ${ref} extension`)).toBe(`Recorded: the individual was told of the extension of ${ref} on 2026-03-02, after 2026-02-28 Sat. That was after the first period ended (2026-02-28), so the extension is not valid: the request was due 2026-03-02 Mon.`);
    expect((await request(ref)).due_on).toBe('2026-03-02');
    expect(await d.say(m1, 'dsr', `show ${ref}`)).toContain('NOT VALIDLY EXTENDED');
  });

  it('refuses after the first period, without a reason, or for an unknown request', async () => {
    const late = await d.log(staff, 'sar jo@example.com --received 2026-01-05');
    await d.refused(m1, 'dsr', `extend ${late} complex`, 'Too late to extend: the first period ended on 2026-02-05 Thu', `Usage: /dsr extend ${late} <reason>`);
    await d.refused(m1, 'dsr', `extend ${late}`, 'Give the reason', 'Usage: /dsr extend');
    await d.refused(m1, 'dsr', 'extend DSR-2025-0001 complex', 'There is no request DSR-2025-0001');
  });
});


describe('notices owed to the individual', () => {
  it('a refusal, a rejected identity and a completion each owe a notice, shown on the card and recorded by /dsr told', async () => {
    const refused = await d.log(staff, 'sar jo@example.com');
    await d.run(m1, 'dsr', `refuse ${refused} excessive "fifth identical request"`);
    const refusal = await t.db('proposals').where({ kind: 'refusal' }).first();
    for (const who of [m2, m3]) await castVote(t.ctx, who, { proposalId: refusal.id, decision: 'approve' });
    const rejected = await d.log(staff, 'erasure al@example.com');
    const identity = await t.db('proposals').where({ kind: 'identity', request_id: (await request(rejected)).id }).first();
    const decided = await castVote(t.ctx, m1, { proposalId: identity.id, decision: 'reject', reason: 'the passport does not match' });
    expect(decided.ok && decided.value.message).toContain(`then /dsr told ${rejected} identity-rejected`);
    const done = await d.log(staff, 'opt-out sam@example.com');
    await approveIdentity(done);
    await d.run(m1, 'dsr', `close ${done} completed`);
    const owed = await t.db('request_notices').join('requests', 'requests.id', 'request_notices.request_id')
      .orderBy('request_notices.id').select('reference', 'kind', 'owed_since', 'due_by', 'told_on');
    expect(owed).toEqual([
      { reference: refused, kind: 'refusal', owed_since: '2026-03-02', due_by: '2026-04-02', told_on: null },
      { reference: rejected, kind: 'identity-rejected', owed_since: '2026-03-02', due_by: '2026-04-02', told_on: null },
      { reference: done, kind: 'outcome', owed_since: '2026-03-02', due_by: '2026-04-02', told_on: null },
    ]);
    const card = JSON.stringify((await t.db('outbox').where({ card_key: `request:${(await request(refused)).id}` }).orderBy('id', 'desc').first()).payload.card);
    expect(card).toContain('refusal: owed by 2026-04-02 Thu: tell them that the request is refused as manifestly unfounded or excessive, and why. They may complain to the Information Commissioner');
    expect(card).toContain(`Once told: /dsr told ${refused} refusal`);
    t.setNow('2026-03-04');
    expect(await d.say(m1, 'dsr', `told ${refused} refusal --on 2026-03-03`)).toBe(`Recorded: the individual was told of the refusal of ${refused} on 2026-03-03, in time.`);
    expect(await d.say(m1, 'dsr', `told ${done} outcome`)).toContain('told of the outcome');
    await d.refused(m1, 'dsr', `told ${rejected} outcome`, `owes the individual no outcome notice; still owed: identity rejected`);
    await d.refused(m1, 'dsr', `told ${rejected} identity-rejected --on 2026-03-05`, 'is in the future');
    await d.refused(m1, 'dsr', `told ${rejected} apology`, '"apology" is not a notice: use extension, refusal, identity-rejected, outcome', 'Usage: /dsr told');
    const events = await t.db('audit_events').where({ action: 'request.notice_told' }).select('subject', 'facts');
    expect(events).toEqual([
      { subject: refused, facts: { kind: 'refusal', told_on: '2026-03-03', due_by: '2026-04-02', late: false } },
      { subject: done, facts: { kind: 'outcome', told_on: '2026-03-04', due_by: '2026-04-02', late: false } },
    ]);
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
    await d.refused(m1, 'dsr', `refuse ${ref} vexatious annoying`, '"vexatious" is not a ground for refusal: use unfounded, excessive', `Usage: /dsr refuse ${ref} <unfounded|excessive> <reason>`);
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
