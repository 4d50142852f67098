import { describe, expect, it } from 'vitest';
import { quarterReport } from '../../src/reports/figures.js';
import { breachFigures, complaintFigures, reviewLines } from '../../src/reports/other-figures.js';
import { quarterOf } from '../../src/reports/quarter.js';
import { requestFigures } from '../../src/reports/request-figures.js';
import { median, percentile } from '../../src/reports/stats.js';
import { EXAMPLE_INPUT, EXAMPLE_REQUESTS } from '../support/report-example.js';

const Q3 = quarterOf(2026, 3);
const utcDay = (d: Date) => d.toISOString().slice(0, 10);

describe('median and 90th percentile, as the report defines them', () => {
  it.each<[number[], number | null, number | null, string]>([
    [[], null, null, 'nothing to measure'],
    [[5], 5, 5, 'one value'],
    [[14, 7], 10.5, 14, 'even count: mean of the middle two; nearest rank ceil(0.9 × 2) = 2nd'],
    [[7, 14, 14, 20, 35, 36, 38, 44, 87, 99], 35.5, 87, 'the seeded quarter: ceil(0.9 × 10) = 9th value'],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 6, 10, 'ceil(9.9) = 10th of 11'],
  ])('%j → median %s, p90 %s (%s)', (values, med, p90) => {
    expect(median(values)).toBe(med);
    expect(percentile(values, 90)).toBe(p90);
  });
});

describe('request figures for the seeded quarter 2026-Q3', () => {
  const f = requestFigures(EXAMPLE_REQUESTS, Q3);

  it('counts what came in, by type and channel (the processor-route request apart)', () => {
    expect(f.received).toBe(11);
    expect(f.receivedByType).toEqual({ access: 7, erasure: 2, rectification: 1, objection: 1 });
    expect(f.receivedByChannel).toEqual({ email: 7, web: 2, phone: 1, post: 1 });
  });

  it('10 answered (a withdrawal is not an answer), 7 on time: 70%', () => {
    expect([f.closed, f.answered, f.onTime, f.onTimeShare]).toEqual([11, 10, 7, 70]);
    expect(f.unextended).toEqual({ answered: 8, onTime: 6 });
    expect(f.extended).toEqual({ answered: 2, onTime: 1 });
  });

  it('lists the late ones against the date that applied, with days late and the recorded reasons', () => {
    expect(f.late).toEqual([
      { reference: 'DSR-2026-0104', due: '2026-08-13', closedOn: '2026-08-20', daysLate: 7, delayReasons: ['register change retried (2 failed attempts)'] },
      { reference: 'DSR-2026-0106', due: '2026-08-24', closedOn: '2026-09-04', daysLate: 11, delayReasons: ['no reason recorded'] },
      { reference: 'DSR-2026-0108', due: '2026-09-01', closedOn: '2026-09-08', daysLate: 7, delayReasons: ['no reason recorded'] },
    ]);
  });

  it('days to close: from receipt 7,14,14,20,35,36,38,44,87,99; from the relevant day the identity wait (7 days) drops out', () => {
    expect(f.daysToClose).toEqual({ fromReceipt: { median: 35.5, p90: 87 }, fromRelevantDay: { median: 32, p90: 87 }, stoppedDays: 5, withStops: 1 });
  });

  it('extensions: 2 of 10 (20%), one told within the first period, one with no record of telling', () => {
    expect(f.extensions).toEqual({ count: 2, share: 20, toldInTime: 1, toldLate: 0, toldNotRecorded: 1 });
  });

  it('waits for identity or fee: 7 days and (still waiting) 29 days to the quarter end: median 18', () => {
    expect(f.awaiting).toEqual({ started: 2, byKind: { identity: 1, fee: 1 }, medianWaitDays: 18, stillWaiting: 1 });
    expect(f.clarificationStops).toEqual({ started: 1, days: 5 });
  });

  it('refusals by ground, withdrawals, rejected identities, the processor route', () => {
    expect(f.refusalsByGround).toEqual({ excessive: 1 });
    expect([f.withdrawn, f.identityRejected]).toEqual([1, 1]);
    expect(f.processorRoute).toEqual({ received: 1, forwarded: 1, medianDaysToForward: 2, maxDaysToForward: 2, awaitingAtEnd: 0 });
  });

  it('backlog at 2026-09-30: three open, one overdue, by age since receipt', () => {
    expect([f.openAtEnd, f.overdueAtEnd]).toEqual([3, 1]);
    expect(f.openByAge).toEqual([
      { band: '0–30 days', count: 2 }, { band: '31–60 days', count: 0 }, { band: '61–90 days', count: 0 }, { band: 'over 90 days', count: 1 },
    ]);
  });
});

describe('breaches, complaints and reviews', () => {
  it('72 hours from awareness, wall clock: 48 h in time, 96 h late with its reason, one not reportable', () => {
    const b = breachFigures(EXAMPLE_INPUT.breaches, Q3, utcDay);
    expect({ ...b, lines: undefined }).toEqual({ count: 3, reported: 2, reportedWithin72h: 1, late: 1, notReportable: 1, controllersToTell: 1, controllersTold: 1, lines: undefined });
    expect(b.lines.map((l) => [l.reference, l.hoursToReport, l.status, l.reason])).toEqual([
      ['BR-2026-001', 48, 'reported in time', null],
      ['BR-2026-002', 96, 'reported late', 'scope took four days to establish'],
      ['BR-2026-003', null, 'not reportable', 'encrypted device, no risk to individuals'],
    ]);
  });

  it('a breach reported at exactly 72 hours is in time (Art 33(1): "not later than 72 hours")', () => {
    const b = breachFigures([{ ...EXAMPLE_INPUT.breaches[0]!, regulatorNotifiedAt: new Date('2026-07-09T09:00:00Z') }], Q3, utcDay);
    expect(b.reportedWithin72h).toBe(1);
  });

  it('no complaints register: null, so the report says so instead of showing zeros', () => {
    expect(complaintFigures(null, Q3)).toBeNull();
  });

  it('complaints: acknowledged within 30 days counted from the day after receipt (received 1 July, by 31 July)', () => {
    const c = complaintFigures([
      { reference: 'CMP-2026-001', received: '2026-07-01', acknowledgedOn: '2026-07-31', outcomeOn: '2026-08-20' },
      { reference: 'CMP-2026-002', received: '2026-07-01', acknowledgedOn: '2026-08-01', outcomeOn: null },
      { reference: 'CMP-2026-003', received: '2026-09-20', acknowledgedOn: null, outcomeOn: null },
      { reference: 'CMP-2026-004', received: '2026-06-10', acknowledgedOn: '2026-06-12', outcomeOn: '2026-07-05' },
    ], Q3);
    expect(c).toEqual({ received: 3, acknowledged: 2, acknowledgedInTime: 1, outcomesGiven: 2, openAtEnd: 2 });
  });

  it('reviews as they stood on 2026-09-30: done, overdue, not due, due next quarter', () => {
    expect(reviewLines(EXAMPLE_INPUT.reviews, Q3).map((r) => [r.subject, r.state, r.nextDue])).toEqual([
      ['privacy notice', 'done', '2027-07-20'],
      ['HubSpot CRM', 'overdue', '2026-06-01'],
      ['Microsoft 365', 'not due', '2027-01-10'],
      ['LinkedIn', 'due next quarter', '2026-11-15'],
    ]);
  });
});

describe('the quarter and its trend', () => {
  const report = quarterReport(EXAMPLE_INPUT, Q3, utcDay);

  it('five quarters, oldest first, each counted the same way', () => {
    expect(report.trend.map((t) => t.quarter)).toEqual(['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']);
    expect(report.trend[3]).toEqual({ quarter: '2026-Q2', received: 3, answered: 0, onTimeShare: null, medianDaysToClose: null, openAtEnd: 3 });
    expect(report.trend[4]).toMatchObject({ received: 11, answered: 10, onTimeShare: 70, medianDaysToClose: 35.5, openAtEnd: 3 });
  });

  it('months: received, and answered on time of those answered that month', () => {
    expect(report.months.slice(-4)).toEqual([
      { month: '2026-06', received: 3, answered: 0, onTime: 0, onTimeShare: null },
      { month: '2026-07', received: 6, answered: 2, onTime: 2, onTimeShare: 100 },
      { month: '2026-08', received: 3, answered: 5, onTime: 4, onTimeShare: 80 },
      { month: '2026-09', received: 2, answered: 3, onTime: 1, onTimeShare: 33.3 },
    ]);
    expect(report.months).toHaveLength(15);
    expect(report.daysToClose.toSorted((a, b) => a - b)).toEqual([7, 14, 14, 20, 35, 36, 38, 44, 87, 99]);
  });

  it('the purge with its proof and the audit head pass through unchanged', () => {
    expect(report.purges.map((p) => p.reference)).toEqual(['PURGE-2026-Q3']);
    expect(report.audit.headHash).toBe('f0'.repeat(32));
  });
});
