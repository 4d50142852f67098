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
import { insertRequest, updateRequest } from '../../src/register/requests.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const PEPPER = 'test-pepper-0123456789abcdef';
// 08:00 in Europe/London (GMT in November): the job's daily slot.
const DAY1 = new Date('2026-11-26T08:00:00Z');
const DAY2 = new Date('2026-11-27T08:00:00Z');
let sequence = 0;

interface Seed { receivedOn: IsoDate; status?: RequestStatus; platform?: Platform; controller?: string; awaitingSince?: IsoDate; closed?: boolean; extended?: boolean; notice?: { kind: string; dueBy: IsoDate } }

/** A request as the register holds it; its clock is the job's to compute from this history. */
async function seedRequest(db: Db, seed: Seed): Promise<string> {
  return db.transaction(async (trx) => {
    const n = ++sequence;
    const email = `subject${n}@example.com`;
    const row = await insertRequest(trx, {
      reference: `DSR-2026-${String(n).padStart(4, '0')}`, type: 'erasure', subject_email: email, subject_name: 'Sam Subject',
      subject_hmac: suppressionHash(PEPPER, email), contact_id: null, received_via: 'email', agent_name: null, controller: seed.controller ?? null,
      received_on: seed.receivedOn, due_on: null, possible_repeat_of: null, requested_by: 'slack:UCLERK',
      details: { platform: seed.platform ?? 'slack', matchedContactIds: [], maskedSubject: 's***@example.com' },
    });
    await updateRequest(trx, row.id, { status: seed.status ?? 'received', extended: seed.extended ?? false, ...(seed.closed ? { closed_at: DAY1 } : {}) });
    if (seed.awaitingSince) await openPause(trx, { request_id: row.id, kind: 'identity', note: null, paused_on: seed.awaitingSince, paused_by: 'slack:UCLERK' });
    if (seed.notice) await trx('request_notices').insert({ request_id: row.id, kind: seed.notice.kind, owed_since: seed.receivedOn, due_by: seed.notice.dueBy });
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
    refs.week = await seedRequest(t.db, { receivedOn: '2026-11-03' }); // due Thu 3 Dec
    refs.soon = await seedRequest(t.db, { receivedOn: '2026-10-30' }); // due Mon 30 Nov
    refs.one = await seedRequest(t.db, { receivedOn: '2026-10-27', status: 'identity-verified' }); // due Fri 27 Nov
    refs.today = await seedRequest(t.db, { receivedOn: '2026-10-26' }); // due Thu 26 Nov
    refs.overdue = await seedRequest(t.db, { receivedOn: '2026-10-20' }); // due Fri 20 Nov
    refs.later = await seedRequest(t.db, { receivedOn: '2026-11-21' }); // due Mon 21 Dec
    refs.awaiting = await seedRequest(t.db, { receivedOn: '2026-11-02', awaitingSince: '2026-11-12' });
    refs.controller = await seedRequest(t.db, { receivedOn: '2026-11-23', controller: 'Acme Ltd' }); // forward by Wed 25 Nov
    refs.closed = await seedRequest(t.db, { receivedOn: '2026-10-27', status: 'completed', closed: true });
    refs.teams = await seedRequest(t.db, { receivedOn: '2026-10-25', platform: 'teams' }); // due Wed 25 Nov
    refs.refused = await seedRequest(t.db, { receivedOn: '2026-11-02', status: 'refused', closed: true, notice: { kind: 'refusal', dueBy: '2026-11-26' } });
    // Extended, but the individual was never told: the extension lapsed when the first period ended on 5 Nov.
    refs.lapsed = await seedRequest(t.db, { receivedOn: '2026-10-05', status: 'identity-verified', extended: true, notice: { kind: 'extension', dueBy: '2026-11-05' } });
  });
  afterAll(async () => { await t.drop(); });

  const notices = async () => (await t.db('outbox').orderBy('id').select<{ platform: Platform; operation: string; payload: { text: string } }[]>('platform', 'operation', 'payload'))
    .map((row) => ({ platform: row.platform, operation: row.operation, text: row.payload.text }));
  const about = (texts: { text: string }[], ref: string) => texts.filter((n) => n.text.includes(`${ref} `));

  it('posts each milestone that is due, once, to the request\'s platform', async () => {
    expect(await sendSlaReminders(ctx, DAY1)).toMatchObject({ today: '2026-11-26', sent: 12, already_sent: 0 });
    const sent = await notices();
    const posts = sent.filter((n) => n.operation === 'post');
    expect(about(posts, refs.week!).map((n) => n.text)).toEqual([`erasure request ${refs.week} is due in 7 days, on 2026-12-03 Thu.`]);
    expect(about(posts, refs.soon!)[0]?.text).toContain('due in 4 days');
    expect(about(posts, refs.one!)[0]?.text).toContain('due in 1 day,');
    expect(about(posts, refs.today!)[0]?.text).toContain('is due today, 2026-11-26 Thu.');
    const overdue = about(posts, refs.overdue!);
    expect(overdue).toHaveLength(1);
    expect(overdue[0]?.text).toContain('overdue: it was due 2026-11-20 Fri, 6 days ago');
    expect(overdue[0]?.text).toContain('⟨member:slack:UCHAIR⟩');
    expect(overdue[0]?.text).not.toMatch(/UMEMBER|teamschair/);
    expect(about(posts, refs.awaiting!).map((n) => n.text)).toEqual([expect.stringContaining('awaiting identity since 2026-11-12 Thu (14 days): its clock has not started')]);
    const forward = about(posts, refs.controller!).map((n) => n.text);
    expect(forward).toEqual([expect.stringContaining('should have been passed on by 2026-11-25 Wed, 1 day ago')]);
    expect(forward[0]).not.toContain('UCHAIR'); // no Art 12 escalation on the processor route
    expect(about(posts, refs.later!)).toEqual([]);
    expect(about(posts, refs.closed!)).toEqual([]);
    expect(about(posts, refs.teams!)).toEqual([expect.objectContaining({ platform: 'teams', text: expect.stringContaining('⟨member:teams:29:teamschair⟩') })]);
    expect(about(posts, refs.refused!.concat(':')).map((n) => n.text)).toEqual([expect.stringContaining('the individual is owed a notice of the refusal, due 2026-11-26 Thu: tell them that the request is refused')]);
    const lapsed = about(posts, refs.lapsed!).map((n) => n.text);
    expect(lapsed).toEqual(expect.arrayContaining([
      expect.stringContaining('is overdue: it was due 2026-11-05 Thu'),
      expect.stringContaining('The extension of erasure request'),
      expect.stringContaining('the individual is still owed a notice of the extension, due 2026-11-05 Thu (overdue)'),
    ]));
    // The lapsed extension brought the stored due date back, and the card says so.
    expect(await t.db('requests').where({ reference: refs.lapsed }).first()).toMatchObject({ due_on: '2026-11-05' });
    const updates = await t.db('outbox').where({ operation: 'update' }).select<{ payload: unknown }[]>('payload');
    const card = updates.map((u) => JSON.stringify(u.payload)).find((json) => json.includes(refs.lapsed!));
    expect(card).toContain('NOT VALIDLY EXTENDED');
    expect(sent.some((n) => JSON.stringify(n).includes('@example.com') || JSON.stringify(n).includes('Sam'))).toBe(false);
  });

  it('sends nothing again on a second run the same day, and the slot runs once', async () => {
    const before = (await notices()).length;
    expect(await sendSlaReminders(ctx, new Date(DAY1.getTime() + 3_600_000))).toMatchObject({ sent: 0, already_sent: 12 });
    expect(await runScheduledJob(slaRemindersJob, ctx, new Date(DAY1.getTime() + 60_000))).toMatchObject({ status: 'done', period: '2026-11-26', summary: { sent: 0 } });
    expect(await runScheduledJob(slaRemindersJob, ctx, new Date(DAY1.getTime() + 120_000))).toMatchObject({ status: 'skipped', reason: 'slot 2026-11-26 already ran' });
    expect(await notices()).toHaveLength(before);
  });

  it('the next day sends only the milestones newly reached', async () => {
    const before = (await notices()).length;
    expect(await sendSlaReminders(ctx, DAY2)).toMatchObject({ today: '2026-11-27', sent: 4 });
    const fresh = (await notices()).slice(before).map((n) => n.text);
    expect(fresh).toEqual(expect.arrayContaining([
      expect.stringContaining(`${refs.one} is due today`),
      expect.stringContaining(`${refs.today} is overdue: it was due 2026-11-26 Thu, 1 day ago`),
      expect.stringContaining(`${refs.soon} is due in 3 days`),
      expect.stringContaining(`${refs.lapsed} is overdue: it was due 2026-11-05 Thu, 22 days ago`),
    ]));
  });

  it('catches a missed slot up the same day only', async () => {
    expect(await runScheduledJob(slaRemindersJob, ctx, new Date('2026-11-28T23:30:00Z'))).toMatchObject({ status: 'done', period: '2026-11-28' });
    expect(await runScheduledJob(slaRemindersJob, ctx, new Date('2026-11-30T07:59:00Z'))).toMatchObject({ status: 'skipped', reason: expect.stringContaining('past its catch-up window') });
  });
});
