import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import type { IsoDate } from '../../src/domain/dates.js';
import type { RequestStatus } from '../../src/domain/request-states.js';
import { suppressionHash } from '../../src/domain/suppression.js';
import type { JobContext } from '../../src/jobs/job.js';
import { runScheduledJob } from '../../src/jobs/run-job.js';
import { sendSlaReminders, slaRemindersJob } from '../../src/jobs/sla-reminders.js';
import { createLogger } from '../../src/logger.js';
import { upsertMember, type Platform } from '../../src/register/committee.js';
import type { Db } from '../../src/register/database.js';
import { openPause } from '../../src/register/pauses.js';
import { insertProposal } from '../../src/register/proposals.js';
import { insertRequest, updateRequest } from '../../src/register/requests.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const PEPPER = 'test-pepper-0123456789abcdef';
// 08:00 in Europe/London (GMT in November): the job's daily slot.
const DAY1 = new Date('2026-11-26T08:00:00Z');
const DAY2 = new Date('2026-11-27T08:00:00Z');
let sequence = 0;

interface Seed { dueOn: IsoDate; status?: RequestStatus; platform?: Platform; controller?: string; pausedOn?: IsoDate; forwardProposedAt?: Date; closed?: boolean }

async function seedRequest(db: Db, seed: Seed): Promise<string> {
  return db.transaction(async (trx) => {
    const n = ++sequence;
    const email = `subject${n}@example.com`;
    const row = await insertRequest(trx, {
      reference: `DSR-2026-${String(n).padStart(4, '0')}`, type: 'erasure', subject_email: email, subject_name: 'Sam Subject',
      subject_hmac: suppressionHash(PEPPER, email), contact_id: null, received_via: 'email', agent_name: null, controller: seed.controller ?? null,
      received_on: '2026-10-20', due_on: seed.dueOn, possible_repeat_of: null, requested_by: 'slack:UCLERK',
      details: { platform: seed.platform ?? 'slack', matchedContactIds: [], maskedSubject: 's***@example.com' },
    });
    await updateRequest(trx, row.id, { status: seed.status ?? 'received', ...(seed.closed ? { closed_at: DAY1 } : {}) });
    if (seed.pausedOn) await openPause(trx, { request_id: row.id, kind: 'identity', note: null, paused_on: seed.pausedOn, paused_by: 'slack:UCLERK' });
    if (seed.forwardProposedAt) {
      const proposal = await insertProposal(trx, { kind: 'action', request_id: row.id, quorum: 1, proposed_by: 'govbot', requested_by: 'slack:UCLERK', summary: {} });
      await trx('proposals').where({ id: proposal.id }).update({ created_at: seed.forwardProposedAt });
    }
    return row.reference;
  });
}

describe('sla-reminders', () => {
  let t: TestDatabase;
  let ctx: JobContext;
  const refs: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestDatabase();
    const config = parseConfig({ LOG_LEVEL: 'silent', TIMEZONE: 'Europe/London' }, process.cwd());
    ctx = { db: t.db, config, logger: createLogger(config), pepper: PEPPER };
    await upsertMember(t.db, { platform: 'slack', userId: 'UCHAIR', role: 'chair', addedBy: 'test' });
    await upsertMember(t.db, { platform: 'slack', userId: 'UMEMBER', role: 'member', addedBy: 'test' });
    await upsertMember(t.db, { platform: 'teams', userId: '29:teamschair', role: 'chair', addedBy: 'test' });
    refs.week = await seedRequest(t.db, { dueOn: '2026-12-03' });
    refs.three = await seedRequest(t.db, { dueOn: '2026-11-29' });
    refs.one = await seedRequest(t.db, { dueOn: '2026-11-27', status: 'identity-verified' });
    refs.today = await seedRequest(t.db, { dueOn: '2026-11-26' });
    refs.overdue = await seedRequest(t.db, { dueOn: '2026-11-20' });
    refs.later = await seedRequest(t.db, { dueOn: '2026-12-20' });
    refs.paused = await seedRequest(t.db, { dueOn: '2026-11-28', pausedOn: '2026-11-13' });
    refs.controller = await seedRequest(t.db, { dueOn: '2026-12-22', status: 'identity-verified', controller: 'Acme Ltd', forwardProposedAt: new Date('2026-11-23T15:00:00Z') });
    refs.closed = await seedRequest(t.db, { dueOn: '2026-11-27', status: 'completed', closed: true });
    refs.teams = await seedRequest(t.db, { dueOn: '2026-11-25', platform: 'teams' });
  });
  afterAll(async () => { await t.drop(); });

  const notices = async () => (await t.db('outbox').orderBy('id').select<{ platform: Platform; operation: string; payload: { text: string } }[]>('platform', 'operation', 'payload'))
    .map((row) => ({ platform: row.platform, operation: row.operation, text: row.payload.text }));
  const about = (texts: { text: string }[], ref: string) => texts.filter((n) => n.text.includes(`${ref} `));

  it('posts each milestone that is due, once, to the request\'s platform', async () => {
    expect(await sendSlaReminders(ctx, DAY1)).toMatchObject({ today: '2026-11-26', sent: 8, already_sent: 0 });
    const sent = await notices();
    expect(sent.every((n) => n.operation === 'post')).toBe(true);
    expect(about(sent, refs.week!).map((n) => n.text)).toEqual([`erasure request ${refs.week} is due in 7 days, on 2026-12-03 Thu.`]);
    expect(about(sent, refs.three!)[0]?.text).toContain('due in 3 days');
    expect(about(sent, refs.one!)[0]?.text).toContain('due in 1 day,');
    expect(about(sent, refs.today!)[0]?.text).toContain('is due today, 2026-11-26 Thu.');
    const overdue = about(sent, refs.overdue!);
    expect(overdue).toHaveLength(1);
    expect(overdue[0]?.text).toContain('overdue: it was due 2026-11-20 Fri, 6 days ago');
    expect(overdue[0]?.text).toContain('⟨member:slack:UCHAIR⟩');
    expect(overdue[0]?.text).not.toMatch(/UMEMBER|teamschair/);
    expect(about(sent, refs.paused!).map((n) => n.text)).toEqual([expect.stringContaining('still paused since 2026-11-13 Fri (identity, 13 days)')]);
    expect(about(sent, refs.controller!).map((n) => n.text)).toEqual([expect.stringContaining('pass it to the controller without undue delay')]);
    expect(about(sent, refs.later!)).toEqual([]);
    expect(about(sent, refs.closed!)).toEqual([]);
    expect(about(sent, refs.teams!)).toEqual([expect.objectContaining({ platform: 'teams', text: expect.stringContaining('⟨member:teams:29:teamschair⟩') })]);
    expect(sent.some((n) => n.text.includes('@example.com') || n.text.includes('Sam'))).toBe(false);
  });

  it('sends nothing again on a second run the same day, and the slot runs once', async () => {
    expect(await sendSlaReminders(ctx, new Date(DAY1.getTime() + 3_600_000))).toMatchObject({ sent: 0, already_sent: 8 });
    expect(await runScheduledJob(slaRemindersJob, ctx, new Date(DAY1.getTime() + 60_000))).toMatchObject({ status: 'done', period: '2026-11-26', summary: { sent: 0 } });
    expect(await runScheduledJob(slaRemindersJob, ctx, new Date(DAY1.getTime() + 120_000))).toMatchObject({ status: 'skipped', reason: 'slot 2026-11-26 already ran' });
    expect(await notices()).toHaveLength(8);
  });

  it('the next day sends only the milestones newly reached', async () => {
    const before = (await notices()).length;
    expect(await sendSlaReminders(ctx, DAY2)).toMatchObject({ today: '2026-11-27', sent: 3 });
    const fresh = (await notices()).slice(before).map((n) => n.text);
    expect(fresh).toEqual(expect.arrayContaining([
      expect.stringContaining(`${refs.one} is due today`),
      expect.stringContaining(`${refs.today} is overdue: it was due 2026-11-26 Thu, 1 day ago`),
      expect.stringContaining(`${refs.paused} is still paused since 2026-11-13 Fri (identity, 14 days)`),
    ]));
  });

  it('catches a missed slot up the same day only', async () => {
    expect(await runScheduledJob(slaRemindersJob, ctx, new Date('2026-11-28T23:30:00Z'))).toMatchObject({ status: 'done', period: '2026-11-28' });
    expect(await runScheduledJob(slaRemindersJob, ctx, new Date('2026-11-30T07:59:00Z'))).toMatchObject({ status: 'skipped', reason: expect.stringContaining('past its catch-up window') });
  });
});
