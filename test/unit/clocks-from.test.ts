import { describe, expect, it } from 'vitest';
import type { PauseRow } from '../../src/register/pauses.js';
import type { NoticeRow } from '../../src/register/request-notices.js';
import type { RequestRow } from '../../src/register/requests.js';
import { clockOf, clocksFrom, type ClockEnv } from '../../src/services/request-clock.js';

/**
 * clocksFrom computes each distinct history once and shares the clock between requests with the
 * same one: every request must still get exactly the clock its own history gives (clockOf).
 */
const env: ClockEnv = { region: 'england-and-wales', forwardWithinDays: 2, timezone: 'Europe/London', today: '2026-05-20' };

function request(id: number, patch: Partial<RequestRow> = {}): RequestRow {
  return {
    id, reference: `DSR-2026-${String(id).padStart(4, '0')}`, type: 'access', subject_email: 'x@example.com', subject_name: null, subject_hmac: 'h',
    contact_id: null, received_via: 'email', agent_name: null, controller: null, received_on: '2026-04-01', due_on: null, relevant_on: null,
    paused_days: 0, forwarded_on: null, clock_model: 2, extended: false, extension_reason: null, status: 'received', status_reason: null,
    possible_repeat_of: null, requested_by: 'slack:U1', details: {}, created_at: new Date('2026-04-01T09:00:00Z'), closed_at: null, ...patch,
  };
}
const pause = (id: number, requestId: number, kind: PauseRow['kind'], from: string, to: string | null): PauseRow =>
  ({ id, request_id: requestId, kind, note: null, paused_on: from, resumed_on: to, paused_by: 'slack:U1' });
const notice = (id: number, requestId: number, told: string | null): NoticeRow =>
  ({ id, request_id: requestId, kind: 'extension', owed_since: '2026-04-10', due_by: '2026-05-01', told_on: told, told_by: null });

describe('clocksFrom', () => {
  const requests = [
    request(1), request(2), // the same history: one clock
    request(3, { type: 'erasure' }), // clarification does not stop an erasure's clock (Art 12A): differs by type
    request(4), request(5), // a clarification stop; and one still open
    request(6, { extended: true }), request(7, { extended: true }), // extension told in time / never told
    request(8, { controller: 'Acme Ltd', details: { forwardWithinDays: 2 } }), request(9, { controller: 'Acme Ltd', details: { forwardWithinDays: 5 } }),
    request(10, { closed_at: new Date('2026-04-20T10:00:00Z'), status: 'completed' }),
    request(11, { received_on: '2026-01-30' }),
  ];
  const pauses = [
    pause(1, 3, 'clarification', '2026-04-05', '2026-04-08'), pause(2, 4, 'clarification', '2026-04-05', '2026-04-08'),
    pause(3, 5, 'clarification', '2026-04-05', null), pause(5, 11, 'identity', '2026-01-30', '2026-02-03'),
  ];
  const notices = [notice(1, 6, '2026-04-20'), notice(2, 7, null)];

  it('gives every request the clock its own history gives', () => {
    const clocks = clocksFrom(requests, pauses, notices, env);
    for (const r of requests) {
      expect(clocks.get(r.id), r.reference).toEqual(clockOf(r, pauses.filter((p) => p.request_id === r.id), notices.filter((n) => n.request_id === r.id), env));
    }
    expect(clocks.get(1)).toBe(clocks.get(2));
    expect(clocks.get(4)!.due).not.toBe(clocks.get(1)!.due);
    expect(clocks.get(6)!.due).not.toBe(clocks.get(7)!.due);
    expect(clocks.get(8)!.due).not.toBe(clocks.get(9)!.due);
  });
});
