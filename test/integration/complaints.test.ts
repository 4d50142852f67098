import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executeActions } from '../../src/jobs/execute-actions.js';
import { sendComplaintReminders } from '../../src/jobs/complaint-reminders.js';
import { castVote } from '../../src/services/cast-vote.js';
import { upsertMember } from '../../src/register/committee.js';
import type { Db } from '../../src/register/database.js';
import { calendarSnapshot, cardText, outboxMessages } from '../support/calendar.js';
import { commandDriver, createTestServices, slackUser, teamsUser, type CommandDriver, type TestServices } from '../support/service-context.js';

const member = slackUser('UM1');
const chair = slackUser('UC1');
const staff = slackUser('USTAFF');
const teamsMember = teamsUser('29:tm1');
// DEFAULT_NOW: Monday 2 March 2026, 10:00 GMT.
const NEW_USAGE = 'Usage: /gov complaint new <email> <summary>';

let t: TestServices;
let d: CommandDriver;

beforeEach(async () => {
  t = await createTestServices({ env: { COMPLAINT_RESPONSE_DAYS: '45' } });
  d = commandDriver(t);
  await upsertMember(t.db, { platform: 'slack', userId: 'UM1', role: 'member', addedBy: 'test' });
  await upsertMember(t.db, { platform: 'slack', userId: 'UC1', role: 'chair', addedBy: 'test' });
  await upsertMember(t.db, { platform: 'teams', userId: '29:tm1', role: 'member', addedBy: 'test' });
});
afterEach(async () => { await t.drop(); });

const complaint = (reference = 'CMP-2026-001') => t.db('complaints').where({ reference }).first();
const cards = async (prefix: string) => (await outboxMessages(t.db)).filter((m) => m.card_key?.startsWith(prefix));
const complaintsSnapshot = async (db: Db) => ({ ...await calendarSnapshot(db), complaints: JSON.stringify(await db('complaints').orderBy('id')) });

describe('/gov complaint new', () => {
  it('registers CMP-2026-001 with the 30-day acknowledgement date, posts the card with Acknowledge complaint, and audits without personal data', async () => {
    const said = await d.say(member, 'gov', 'complaint new Jo.Bloggs@Example.com "You never answered my access request" --name "Jo Bloggs" --via post');
    expect(said).toBe('Logged complaint CMP-2026-001. Acknowledge it to the complainant by 2026-04-01 (30 days, DPA 2018 s.164A), then record it with the card\'s Acknowledge complaint button or /gov complaint ack CMP-2026-001; the outcome is due by 2026-04-16.');
    expect(await complaint()).toMatchObject({
      received_on: '2026-03-02', received_via: 'post', complainant_email: 'jo.bloggs@example.com', complainant_name: 'Jo Bloggs',
      masked_complainant: 'j***@example.com', ack_due_on: '2026-04-01', outcome_due_on: '2026-04-16', status: 'open', logged_by: 'slack:UM1',
    });
    const [card] = await cards('complaint:');
    expect(card).toMatchObject({ operation: 'post', platform: 'slack', card: { reference: 'CMP-2026-001', status: 'open: acknowledge by 2026-04-01 (30 days left)' } });
    const text = cardText(card?.card);
    expect(text).toContain('Complainant: J*** B*** j***@example.com');
    expect(text).toContain('Acknowledge by: 2026-04-01 Wed (DPA 2018 s.164A: 30 days)');
    expect(text).not.toContain('jo.bloggs@');
    expect(card?.card?.sections.at(-1)?.buttons).toEqual([{ label: 'Acknowledge complaint', verb: 'acknowledge', complaintId: expect.any(Number) }]);
    const event = await t.db('audit_events').where({ action: 'complaint.logged' }).first('subject', 'facts');
    expect(event).toMatchObject({ subject: 'CMP-2026-001', facts: { ack_due_on: '2026-04-01', via: 'post', about: null } });
    expect(JSON.stringify(event.facts)).not.toMatch(/bloggs|access request/i);
  });

  it('counts the 30 days from the day after receipt (DESIGN §2: received 1 June, acknowledge by 1 July)', async () => {
    t.setNow('2026-07-10');
    await d.say(member, 'gov', 'complaint new a@example.com late reply --received 2026-06-01');
    expect(await complaint()).toMatchObject({ received_on: '2026-06-01', ack_due_on: '2026-07-01', outcome_due_on: '2026-07-16' });
  });

  it('links --about to a request and a breach, and their cards and /dsr show list the complaint', async () => {
    const ref = await d.log(member, 'access sam@example.com');
    await d.say(member, 'gov', 'breach report laptop lost');
    await d.say(member, 'gov', `complaint new sam@example.com slow answer --about ${ref.toLowerCase()}`);
    await d.say(teamsMember, 'gov', 'complaint new kim@example.com my data leaked --about br-2026-1');
    expect(await complaint()).toMatchObject({ about_request_id: expect.any(Number), about_breach_id: null });
    expect(cardText((await cards('request:')).at(-1)?.card)).toContain('Complaints about it: CMP-2026-001 (open)');
    expect(cardText((await cards('breach:')).at(-1)?.card)).toContain('Complaints about it: CMP-2026-002 (open)');
    expect(await d.say(member, 'dsr', `show ${ref}`)).toContain('Complaints about it: CMP-2026-001 (open)');
    expect(await d.say(member, 'gov', 'complaint show CMP-2026-002')).toContain('About: BR-2026-001');
  });

  it('refuses a bad email, no summary, a future date, an unknown --about, a bad channel and non-members, changing nothing', async () => {
    const refused = async (who: typeof member, text: string, ...expected: string[]) => {
      const before = await complaintsSnapshot(t.db);
      await d.refused(who, 'gov', text, ...expected);
      expect(await complaintsSnapshot(t.db)).toEqual(before);
    };
    await refused(member, 'complaint new not-an-email slow answer', 'has no @', NEW_USAGE);
    await refused(member, 'complaint new jo@example.com', 'Say what the complaint is about', NEW_USAGE);
    await refused(member, 'complaint new jo@example.com slow --received 2026-03-03', 'is in the future');
    await refused(member, 'complaint new jo@example.com slow --about DSR-2026-0042', 'There is no request DSR-2026-0042');
    await refused(member, 'complaint new jo@example.com slow --about BR-2026-009', 'There is no breach BR-2026-009');
    await refused(member, 'complaint new jo@example.com slow --about CMP-2026-001', '--about takes a request or breach reference');
    await refused(member, 'complaint new jo@example.com slow --via pigeon', '"pigeon" is not a way a complaint arrives');
    await refused(member, `complaint new jo@example.com ${'x'.repeat(4001)}`, 'Keep the complaint to 4000 characters');
    await refused(staff, 'complaint new jo@example.com slow', 'Only committee members');
    await refused(staff, 'complaint list', 'Only committee members');
  });
});

describe('/gov complaint ack, outcome, list', () => {
  it('acknowledges once, records the outcome with the inquiries, closes it, and updates the card in place', async () => {
    await d.say(member, 'gov', 'complaint new jo@example.com slow answer');
    t.setNow('2026-03-05');
    expect(await d.say(chair, 'gov', 'complaint ack cmp-2026-1')).toBe('Recorded: CMP-2026-001 acknowledged on 2026-03-05. The outcome is due by 2026-04-16: /gov complaint outcome CMP-2026-001 <what the complainant was told>.');
    expect((await cards('complaint:')).at(-1)).toMatchObject({ operation: 'update', card: { status: 'acknowledged 2026-03-05; outcome due 2026-04-16 (42 days left)' } });
    expect((await cards('complaint:')).at(-1)?.card?.sections.flatMap((s) => s.buttons ?? [])).toEqual([]);
    await d.refused(member, 'gov', 'complaint ack CMP-2026-001', 'was already acknowledged on 2026-03-05; nothing was changed');
    await d.say(member, 'gov', 'complaint outcome CMP-2026-001 "apologised; the export was sent" --inquiries "checked the request log"');
    expect(await complaint()).toMatchObject({ status: 'closed', outcome: 'apologised; the export was sent', inquiries: 'checked the request log', outcome_on: '2026-03-05', outcome_by: 'slack:UM1' });
    expect(cardText((await cards('complaint:')).at(-1)?.card)).toContain('Inquiries made: checked the request log');
    await d.refused(member, 'gov', 'complaint outcome CMP-2026-001 again', 'is closed');
    expect(await d.say(member, 'gov', 'complaint list')).toContain('CMP-2026-001 · j***@example.com · closed 2026-03-05: outcome told');
    const actions = await t.db('audit_events').where('action', 'like', 'complaint.%').orderBy('id').pluck('action');
    expect(actions).toEqual(['complaint.logged', 'complaint.acknowledged', 'complaint.outcome-recorded']);
  });

  it('refuses an acknowledgement before receipt or in the future and an unknown reference', async () => {
    await d.say(member, 'gov', 'complaint new jo@example.com slow answer');
    await d.refused(member, 'gov', 'complaint ack CMP-2026-001 --on 2026-03-01', 'is before CMP-2026-001 was received');
    await d.refused(member, 'gov', 'complaint ack CMP-2026-001 --on 2026-03-09', 'is in the future');
    await d.refused(member, 'gov', 'complaint ack CMP-2026-007', 'There is no complaint CMP-2026-007');
    await d.refused(member, 'gov', 'complaint show DSR-2026-0001', 'is not a complaint reference');
  });
});

describe('erasure', () => {
  it('forgets the complainant on their closed complaints, keeping the masked address, and leaves others and open ones alone', async () => {
    await d.say(member, 'gov', 'complaint new Jo@Example.com "old grievance" --name "Jo Bloggs"');
    await d.say(member, 'gov', 'complaint outcome CMP-2026-001 apologised');
    await d.say(member, 'gov', 'complaint new jo@example.com "still open"');
    await d.say(member, 'gov', 'complaint new kim@example.com "someone else"');
    await d.say(member, 'gov', 'complaint outcome CMP-2026-003 resolved');
    const ref = await d.log(staff, 'erasure jo@example.com Jo Bloggs');
    const request = await t.db('requests').where({ reference: ref }).first();
    const identity = await t.db('proposals').where({ request_id: request.id, kind: 'identity' }).first();
    expect((await castVote(t.ctx, chair, { proposalId: identity.id, decision: 'approve' })).ok).toBe(true);
    const action = await t.db('proposals').where({ request_id: request.id, kind: 'action' }).first();
    for (const who of [chair, member]) expect((await castVote(t.ctx, who, { proposalId: action.id, decision: 'approve' })).ok).toBe(true);
    await executeActions({ db: t.db, config: t.ctx.config, logger: t.ctx.logger, pepper: t.ctx.pepper }, t.now());
    expect(await t.db('requests').where({ reference: ref }).first('status')).toEqual({ status: 'completed' });
    const rows = await t.db('complaints').orderBy('id').select('reference', 'complainant_email', 'complainant_name', 'summary', 'outcome', 'masked_complainant');
    expect(rows).toEqual([
      { reference: 'CMP-2026-001', complainant_email: null, complainant_name: null, summary: null, outcome: null, masked_complainant: 'j***@example.com' },
      { reference: 'CMP-2026-002', complainant_email: 'jo@example.com', complainant_name: null, summary: 'still open', outcome: null, masked_complainant: 'j***@example.com' },
      { reference: 'CMP-2026-003', complainant_email: 'kim@example.com', complainant_name: null, summary: 'someone else', outcome: 'resolved', masked_complainant: 'k***@example.com' },
    ]);
    expect(await d.say(member, 'gov', 'complaint show CMP-2026-001')).toContain('Complaint: (erased)');
  });
});

describe('complaint-reminders', () => {
  it('reminds 7, 3, 1 days before the acknowledgement date, on the day and overdue naming the chairs, each once; then the outcome', async () => {
    await d.say(member, 'gov', 'complaint new jo@example.com slow answer');
    const ctx = { db: t.db, config: t.ctx.config, logger: t.ctx.logger, pepper: t.ctx.pepper };
    const notices = async () => (await outboxMessages(t.db)).filter((m) => m.text).map((m) => m.text!);
    expect(await sendComplaintReminders(ctx, new Date('2026-03-20T08:05:00Z'))).toMatchObject({ sent: 0 });
    expect(await sendComplaintReminders(ctx, new Date('2026-03-25T08:05:00Z'))).toMatchObject({ sent: 1 });
    expect(await sendComplaintReminders(ctx, new Date('2026-03-25T09:05:00Z'))).toMatchObject({ sent: 0, already_sent: 1 });
    for (const day of ['2026-03-29', '2026-03-31', '2026-04-01', '2026-04-02']) await sendComplaintReminders(ctx, new Date(`${day}T08:05:00Z`));
    const texts = await notices();
    expect(texts).toEqual([
      expect.stringContaining('Complaint CMP-2026-001 must be acknowledged by 2026-04-01 Wed (7 days left)'),
      expect.stringContaining('(3 days left)'),
      expect.stringContaining('(1 day left)'),
      expect.stringContaining('Complaint CMP-2026-001 must be acknowledged today, 2026-04-01 Wed'),
      expect.stringContaining('Complaint CMP-2026-001 has not been acknowledged: it was due by 2026-04-01 Wed (DPA 2018 s.164A: 30 days), 1 day ago. Chairs: ⟨member:slack:UC1⟩'),
    ]);
    expect(texts.join('\n')).not.toContain('jo@');
    t.setNow('2026-04-02');
    await d.say(member, 'gov', 'complaint ack CMP-2026-001');
    await sendComplaintReminders(ctx, new Date('2026-04-10T08:05:00Z'));
    expect((await notices()).at(-1)).toContain('The outcome of complaint CMP-2026-001 is due by 2026-04-16 Thu (6 days left)');
  });
});
