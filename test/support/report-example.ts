import type { ReportInput, ReportRequest } from '../../src/reports/rows.js';

/**
 * The seeded quarter, 2026-Q3, as report rows: 11 requests received, 10 answered of which 7 on
 * time (70%), three breaches, one purge, four reviews. The integration test seeds the same story
 * into a real register and expects the same figures. References, dates and counts only.
 */
function request(reference: string, fields: Partial<ReportRequest> & Pick<ReportRequest, 'type' | 'channel' | 'received' | 'due'>): ReportRequest {
  return {
    reference, relevantDay: fields.received, extendedDue: null, firstPeriodEnd: fields.due, extensionDecidedOn: null,
    extensionToldOn: null, stoppedDays: 0, closedOn: null, outcome: null, refusalGround: null, processorRoute: false,
    forwardedOn: null, awaiting: [], stops: [], delayReasons: [], ...fields,
  };
}

export const EXAMPLE_REQUESTS: readonly ReportRequest[] = [
  request('DSR-2026-0101', { type: 'access', channel: 'email', received: '2026-07-01', due: '2026-08-03', closedOn: '2026-07-15', outcome: 'completed' }),
  request('DSR-2026-0102', { type: 'erasure', channel: 'web', received: '2026-07-06', due: '2026-08-06', closedOn: '2026-07-26', outcome: 'completed' }),
  request('DSR-2026-0103', { type: 'access', channel: 'email', received: '2026-07-08', due: '2026-08-13', stoppedDays: 5, stops: [{ from: '2026-07-10', to: '2026-07-14' }], closedOn: '2026-08-12', outcome: 'completed' }),
  request('DSR-2026-0104', { type: 'rectification', channel: 'phone', received: '2026-07-13', due: '2026-08-13', closedOn: '2026-08-20', outcome: 'completed', delayReasons: ['register change retried (2 failed attempts)'] }),
  request('DSR-2026-0105', { type: 'access', channel: 'post', received: '2026-07-20', relevantDay: '2026-07-27', due: '2026-08-27', awaiting: [{ kind: 'identity', from: '2026-07-20', to: '2026-07-27' }], closedOn: '2026-08-25', outcome: 'completed' }),
  request('DSR-2026-0106', { type: 'objection', channel: 'email', received: '2026-07-22', due: '2026-08-24', closedOn: '2026-09-04', outcome: 'completed', delayReasons: ['no reason recorded'] }),
  request('DSR-2026-0107', { type: 'access', channel: 'email', received: '2026-06-15', due: '2026-07-15', extendedDue: '2026-09-15', extensionDecidedOn: '2026-07-01', extensionToldOn: '2026-07-02', closedOn: '2026-09-10', outcome: 'completed' }),
  request('DSR-2026-0108', { type: 'erasure', channel: 'web', received: '2026-06-01', due: '2026-07-01', extendedDue: '2026-09-01', extensionDecidedOn: '2026-06-25', closedOn: '2026-09-08', outcome: 'completed', delayReasons: ['no reason recorded'] }),
  request('DSR-2026-0109', { type: 'access', channel: 'email', received: '2026-08-03', due: '2026-09-03', closedOn: '2026-08-10', outcome: 'refused', refusalGround: 'excessive' }),
  request('DSR-2026-0110', { type: 'erasure', channel: 'email', received: '2026-08-05', due: '2026-09-07', closedOn: '2026-08-19', outcome: 'identity-rejected' }),
  request('DSR-2026-0111', { type: 'access', channel: 'web', received: '2026-08-10', due: '2026-09-10', closedOn: '2026-08-12', outcome: 'withdrawn' }),
  request('DSR-2026-0112', { type: 'access', channel: 'email', received: '2026-09-01', due: '2026-10-01', awaiting: [{ kind: 'fee', from: '2026-09-01', to: null }] }),
  request('DSR-2026-0113', { type: 'erasure', channel: 'email', received: '2026-06-20', due: '2026-07-20' }),
  request('DSR-2026-0114', { type: 'access', channel: 'email', received: '2026-09-07', due: '2026-09-09', processorRoute: true, forwardedOn: '2026-09-09', closedOn: '2026-09-09', outcome: 'completed' }),
  request('DSR-2026-0115', { type: 'access', channel: 'email', received: '2026-09-14', due: '2026-10-14' }),
];

const SHA = 'ab'.repeat(32);

export const EXAMPLE_INPUT: ReportInput = {
  requests: EXAMPLE_REQUESTS,
  complaints: null,
  breaches: [
    { reference: 'BR-2026-001', awareAt: new Date('2026-07-06T09:00:00Z'), regulatorNotifiedAt: new Date('2026-07-08T09:00:00Z'), controllersAffected: false, controllersNotifiedAt: null, notReportableReason: null, lateReason: null },
    { reference: 'BR-2026-002', awareAt: new Date('2026-08-03T10:00:00Z'), regulatorNotifiedAt: new Date('2026-08-07T10:00:00Z'), controllersAffected: false, controllersNotifiedAt: null, notReportableReason: null, lateReason: 'scope took four days to establish' },
    { reference: 'BR-2026-003', awareAt: new Date('2026-09-10T12:00:00Z'), regulatorNotifiedAt: null, controllersAffected: true, controllersNotifiedAt: new Date('2026-09-11T08:00:00Z'), notReportableReason: 'encrypted device, no risk to individuals', lateReason: null },
  ],
  purges: [{
    reference: 'PURGE-2026-Q3', asOf: '2026-07-01', status: 'done', finishedOn: '2026-07-03',
    candidatesByReason: { R1: 2, R2: 5, R3: 1 }, keptBackByReason: { 'legal hold': 1 }, deletedByReason: { R1: 2, R2: 3, R3: 1 },
    skippedByReason: { 'no-longer-due': 1 }, candidateFileSha256: SHA,
    auditEvents: [{ id: 7, action: 'purge.swept', on: '2026-07-01', hash: 'c1'.repeat(32) }, { id: 9, action: 'purge.approved', on: '2026-07-02', hash: 'c2'.repeat(32) }, { id: 12, action: 'purge.done', on: '2026-07-03', hash: 'c3'.repeat(32) }],
  }],
  reviews: [
    { subject: 'privacy notice', kind: 'notice', reviewedOn: ['2025-08-01', '2026-07-20'], firstDue: '2025-01-01' },
    { subject: 'HubSpot CRM', kind: 'processor', reviewedOn: ['2025-06-01'], firstDue: '2025-06-01' },
    { subject: 'Microsoft 365', kind: 'processor', reviewedOn: ['2026-01-10'], firstDue: '2025-06-01' },
    { subject: 'LinkedIn', kind: 'processor', reviewedOn: ['2025-11-15'], firstDue: '2025-06-01' },
  ],
  audit: { ok: true, count: 42, headHash: 'f0'.repeat(32), brokenAt: null, verifiedAt: new Date('2026-10-01T08:30:00Z') },
};
