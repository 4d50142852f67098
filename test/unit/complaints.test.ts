import { describe, expect, it } from 'vitest';
import { acknowledgementDue, complaintRemindersDue, outcomeDue } from '../../src/domain/complaints.js';
import { clientAddress } from '../../src/domain/client-address.js';
import { formatComplaintRef, parseComplaintRef } from '../../src/domain/references.js';

describe('complaint clocks (DPA 2018 s.164A; DESIGN §2)', () => {
  it.each([
    ['2026-06-01', '2026-07-01', 'DESIGN §2: received 1 June, acknowledge by 1 July'],
    ['2026-06-19', '2026-07-19', 's.164A in force 19 June 2026'],
    ['2026-12-15', '2027-01-14', 'across the year end; calendar days, weekends and holidays count'],
    ['2028-02-01', '2028-03-02', 'a leap February'],
  ])('received %s → acknowledge by %s (%s)', (received, due) => {
    expect(acknowledgementDue(received)).toBe(due);
  });

  it('counts the outcome target in days after receipt (COMPLAINT_RESPONSE_DAYS)', () => {
    expect(outcomeDue('2026-06-01', 30)).toBe('2026-07-01');
    expect(outcomeDue('2026-06-01', 45)).toBe('2026-07-16');
  });

  it('reminds in windows, so a missed day is caught up, never lost; nothing once closed', () => {
    const open = { reference: 'CMP-2026-001', status: 'open' as const, ackDueOn: '2026-07-01', outcomeDueOn: '2026-07-16' };
    expect(complaintRemindersDue(open, '2026-06-23', [])).toEqual([]);
    expect(complaintRemindersDue(open, '2026-06-24', [])[0]?.milestone).toBe('ack:2026-07-01:7');
    expect(complaintRemindersDue(open, '2026-06-27', [])[0]?.milestone).toBe('ack:2026-07-01:7');
    expect(complaintRemindersDue(open, '2026-06-28', [])[0]?.milestone).toBe('ack:2026-07-01:3');
    expect(complaintRemindersDue(open, '2026-07-01', [])[0]?.milestone).toBe('ack:2026-07-01:0');
    expect(complaintRemindersDue(open, '2026-07-02', ['@chair'])[0]?.text).toContain('Chairs: @chair');
    expect(complaintRemindersDue(open, '2026-07-09', [])[0]?.milestone).toBe('ack:2026-07-01:overdue:1');
    expect(complaintRemindersDue({ ...open, status: 'acknowledged' }, '2026-07-13', [])[0]?.milestone).toBe('outcome:2026-07-16:3');
    expect(complaintRemindersDue({ ...open, status: 'closed' }, '2026-08-01', [])).toEqual([]);
  });
});

describe('complaint references', () => {
  it('formats CMP-2026-001 and reads it back however it is typed', () => {
    expect(formatComplaintRef(2026, 1)).toBe('CMP-2026-001');
    expect(parseComplaintRef('cmp-2026-1')).toEqual({ ok: true, value: { year: 2026, seq: 1, ref: 'CMP-2026-001' } });
    expect(parseComplaintRef('DSR-2026-0001').ok).toBe(false);
  });
});

describe('the client address behind a proxy', () => {
  it.each([
    ['no proxy trusted: the header is ignored', '203.0.113.9', '1.2.3.4', [], '203.0.113.9'],
    ['IPv4 on a dual-stack socket', '::ffff:203.0.113.9', undefined, [], '203.0.113.9'],
    ['a trusted proxy: the address it appended', '10.0.0.5', '1.2.3.4, 198.51.100.7', ['10.0.0.5'], '198.51.100.7'],
    ['two trusted hops: skip both', '10.0.0.5', '1.2.3.4, 198.51.100.7, 10.0.0.6', ['10.0.0.5', '10.0.0.6'], '198.51.100.7'],
    ['a trusted proxy without the header: the proxy itself', '10.0.0.5', undefined, ['10.0.0.5'], '10.0.0.5'],
    ['garbage where the proxy writes: the proxy itself', '10.0.0.5', '1.2.3.4, not-an-ip', ['10.0.0.5'], '10.0.0.5'],
    ['an untrusted peer claiming to be a proxy hop', '203.0.113.9', '10.0.0.5', ['10.0.0.5'], '203.0.113.9'],
  ] as const)('%s', (_why, peer, header, trusted, expected) => {
    expect(clientAddress(peer, header, trusted)).toBe(expected);
  });
});
