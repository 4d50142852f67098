import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildQuarterReport, resolveQuarter } from '../../src/services/reports/build-report.js';
import { quarterOf } from '../../src/reports/quarter.js';
import { seedReportExample } from '../support/report-seed.js';
import { createTestServices, type TestServices } from '../support/service-context.js';

let t: TestServices;
beforeEach(async () => { t = await createTestServices({ now: '2026-10-01T08:30:00Z' }); });
afterEach(async () => { await t.drop(); });

describe('the report read from a real register (the seeded 2026-Q3)', () => {
  it('gives the known answers: 11 received, 10 answered, 7 on time (70%), median 35.5 days', async () => {
    await seedReportExample(t.db);
    const report = await buildQuarterReport(t.ctx, quarterOf(2026, 3), t.now());
    const f = report.requests;
    expect([f.received, f.closed, f.answered, f.onTime, f.onTimeShare]).toEqual([11, 11, 10, 7, 70]);
    expect(f.receivedByType).toEqual({ access: 7, erasure: 2, rectification: 1, objection: 1 });
    expect(f.late.map((l) => [l.reference, l.daysLate, l.delayReasons])).toEqual([
      ['DSR-2026-0104', 7, ['register change retried (2 failed attempts)']],
      ['DSR-2026-0106', 11, ['no reason recorded']],
      // Its extension was never told to the individual, so it was not validly extended (Art 12(3)): late against the first period.
      ['DSR-2026-0108', 69, ['no reason recorded']],
    ]);
    expect(f.daysToClose.fromReceipt).toEqual({ median: 35.5, p90: 87 });
    // Art 12A: the identity wait (2026-07-20 to 07-27) moves the relevant day of DSR-2026-0105.
    expect(f.daysToClose.fromRelevantDay).toEqual({ median: 32, p90: 87 });
    expect(f.extensions).toEqual({ count: 1, share: 10, toldInTime: 1, toldLate: 0, toldNotRecorded: 0 });
    expect(f.awaiting).toMatchObject({ started: 2, byKind: { identity: 1, fee: 1 }, stillWaiting: 1 });
    expect(f.clarificationStops).toEqual({ started: 1, days: 5 });
    expect(f.refusalsByGround).toEqual({ excessive: 1 });
    expect(f.processorRoute).toMatchObject({ received: 1, forwarded: 1, medianDaysToForward: 2 });
    expect([f.openAtEnd, f.overdueAtEnd]).toEqual([3, 1]);
    // No complaint in the seeded quarter: zeros from a register that exists, not "no register".
    expect(report.complaints).toEqual({ received: 0, acknowledged: 0, acknowledgedInTime: 0, outcomesGiven: 0, openAtEnd: 0 });
    expect(report.breaches).toMatchObject({ count: 3, reported: 2, reportedWithin72h: 1, late: 1, notReportable: 1, controllersTold: 1 });
  });

  it('counts complaints from the register: received, acknowledged within 30 days, outcomes given, open at the end', async () => {
    await seedReportExample(t.db);
    const complaint = (reference: string, received: string, ack: string | null, outcome: string | null) => ({
      reference, received_on: received, received_via: 'web', complainant_hmac: 'ab'.repeat(32), masked_complainant: 'j***@example.com',
      ack_due_on: received, outcome_due_on: received, acknowledged_on: ack, outcome_on: outcome,
      status: outcome ? 'closed' : ack ? 'acknowledged' : 'open', logged_by: 'web', platform: 'slack',
    });
    await t.db('complaints').insert([
      complaint('CMP-2026-001', '2026-06-20', '2026-06-25', '2026-07-10'), // received before the quarter, answered in it
      complaint('CMP-2026-002', '2026-07-01', '2026-07-31', null), //          acknowledged on day 30: in time
      complaint('CMP-2026-003', '2026-08-01', '2026-09-01', '2026-09-15'), //  acknowledged on day 31: late
      complaint('CMP-2026-004', '2026-09-20', null, null), //                  still to acknowledge
      complaint('CMP-2026-005', '2026-10-02', null, null), //                  after the quarter
    ]);
    const report = await buildQuarterReport(t.ctx, quarterOf(2026, 3), t.now());
    expect(report.complaints).toEqual({ received: 3, acknowledged: 2, acknowledgedInTime: 1, outcomesGiven: 2, openAtEnd: 2 });
  });

  it('proves the purge: counts by reason, the candidate list hash and the audit events, and the verified head', async () => {
    await seedReportExample(t.db);
    const report = await buildQuarterReport(t.ctx, quarterOf(2026, 3), t.now());
    const events = await t.db('audit_events').orderBy('id').select('id', 'action', 'hash');
    expect(report.purges).toEqual([expect.objectContaining({
      reference: 'PURGE-2026-Q3', status: 'done', finishedOn: '2026-07-03',
      candidatesByReason: { R1: 2, R2: 5, R3: 1 }, deletedByReason: { R1: 2, R2: 3, R3: 1 },
      keptBackByReason: { 'legal hold': 1 }, skippedByReason: { 'no-longer-due': 1 }, candidateFileSha256: 'ab'.repeat(32),
      auditEvents: events.map((e) => ({ id: Number(e.id), action: e.action, on: expect.stringMatching(/^2026-07-0[123]$/), hash: e.hash })),
    })]);
    expect(report.audit).toMatchObject({ ok: true, count: 3, headHash: events[2]!.hash });
  });

  it('counts the quarter, not the whole register: 2026-Q2 has the three requests received in June', async () => {
    await seedReportExample(t.db);
    const report = await buildQuarterReport(t.ctx, quarterOf(2026, 2), t.now());
    expect([report.requests.received, report.requests.answered, report.requests.openAtEnd, report.breaches.count]).toEqual([3, 0, 3, 0]);
  });
});

describe('which quarter', () => {
  it('defaults to the last complete quarter, and refuses a future one, 2026-Q5 and one before any data', async () => {
    expect(await resolveQuarter(t.ctx, null, t.now())).toEqual({ ok: false, error: expect.stringContaining('holds no requests') });
    await seedReportExample(t.db);
    const last = await resolveQuarter(t.ctx, null, t.now());
    expect(last.ok && last.value.key).toBe('2026-Q3');
    for (const [text, says] of [['2026-Q4', 'is still running until 2026-12-31'], ['2027-Q1', 'has not started yet'], ['2026-Q5', 'a year has four'], ['2025-Q4', 'ended before the register\'s first record (2026-06-01)']] as const) {
      const result = await resolveQuarter(t.ctx, text, t.now());
      expect(result.ok ? 'accepted' : result.error).toContain(says);
    }
  });
});
