import { describe, expect, it } from 'vitest';
import type { Region } from '../../src/domain/holidays.js';
import { addWorkingDays, clockSummary, requestClock, type ClockInput, type ClockWait } from '../../src/domain/request-clock.js';
import type { RequestType } from '../../src/domain/request-types.js';

const EW: Region = 'england-and-wales';

function clock(receivedOn: string, options: Partial<Omit<ClockInput, 'receivedOn'>> & { waits?: ClockWait[] } = {}) {
  return requestClock({
    receivedOn, type: 'access', region: EW, waits: [], extension: null, processor: null, closedOn: null, today: receivedOn, ...options,
  });
}
const wait = (kind: ClockWait['kind'], from: string, to: string | null = null): ClockWait => ({ kind, from, to });

describe('requestClock: one month from the relevant day (ICO examples, DESIGN §2)', () => {
  it.each([
    ['2025-09-03', '2025-10-03', '3 Sep → 3 Oct'],
    ['2025-03-31', '2025-04-30', '31 Mar → 30 Apr'],
    ['2025-01-30', '2025-02-28', '30 Jan → 28 Feb'],
    ['2024-01-30', '2024-02-29', '30 Jan → 29 Feb in a leap year'],
    ['2024-11-25', '2024-12-27', 'Mon 25 Nov 2024 → Fri 27 Dec 2024 (25, 26 Dec holidays)'],
  ])('received %s → due %s (%s)', (received, due) => {
    const c = clock(received);
    expect(c).toMatchObject({ relevantDay: received, due, stoppedDays: 0, state: 'running', status: 'running', startedBy: 'received' });
    expect(c.started).toContain(`clock started ${received}: request received`);
  });
});

describe('requestClock: identity, authority and a fee start the clock afresh (Art 12A(2))', () => {
  it('issue case 1: received Mon 2026-06-08, identity asked that day and arrived 2026-06-10 → 2026-07-10, not 2026-07-13', () => {
    const c = clock('2026-06-08', { waits: [wait('identity', '2026-06-08', '2026-06-10')], today: '2026-06-10' });
    expect(c).toMatchObject({ relevantDay: '2026-06-10', startedBy: 'identity', due: '2026-07-10', stoppedDays: 0, firstPeriodEnd: '2026-07-10' });
    expect(c.started).toBe('clock starts afresh on 2026-06-10: identity received');
  });

  it.each([
    ['authority', "the agent's authority", "the agent's authority received"],
    ['fee', 'the fee', 'fee paid'],
  ] as const)('%s: "clock not started" while awaited, then day one on arrival', (kind, awaiting, arrived) => {
    const waiting = clock('2026-06-08', { waits: [wait(kind, '2026-06-09')], today: '2026-06-20' });
    expect(waiting).toMatchObject({ state: 'awaiting', relevantDay: null, due: null, since: '2026-06-09', waitingFor: kind });
    expect(waiting.status).toBe(`clock not started: awaiting ${awaiting} since 2026-06-09`);
    const started = clock('2026-06-08', { waits: [wait(kind, '2026-06-09', '2026-06-22')], today: '2026-06-22' });
    expect(started).toMatchObject({ relevantDay: '2026-06-22', due: '2026-07-22', state: 'running' });
    expect(started.started).toBe(`clock starts afresh on 2026-06-22: ${arrived}`);
  });

  it('asking for identity part-way through restarts the month from the arrival, and earlier stops no longer count', () => {
    const c = clock('2026-06-01', {
      waits: [wait('clarification', '2026-06-03', '2026-06-05'), wait('identity', '2026-06-10', '2026-06-12')], today: '2026-06-15',
    });
    expect(c).toMatchObject({ relevantDay: '2026-06-12', stoppedDays: 0, due: '2026-07-13' }); // 12 Jul is a Sunday
    expect(c.waits[0]?.ignored).toBe('before the clock started afresh on 2026-06-12');
  });

  it('the latest arrival wins: identity and then authority', () => {
    const c = clock('2026-06-01', { waits: [wait('identity', '2026-06-01', '2026-06-04'), wait('authority', '2026-06-04', '2026-06-09')] });
    expect(c).toMatchObject({ relevantDay: '2026-06-09', startedBy: 'authority', due: '2026-07-09' });
  });
});

describe('requestClock: stop the clock for clarification (Art 12A(3)–(4))', () => {
  it('an access request: the days asked to answered, both included, do not count', () => {
    // 11 days stopped: 8 Jul + 11 = Sun 19 Jul → Mon 20 Jul.
    const c = clock('2026-06-08', { waits: [wait('clarification', '2026-06-10', '2026-06-20')], today: '2026-06-21' });
    expect(c).toMatchObject({ stoppedDays: 11, due: '2026-07-20', firstPeriodEnd: '2026-07-19', state: 'running' });
    expect(c.waits[0]).toMatchObject({ days: 11, ignored: null });
  });

  it('issue case 2: an erasure cannot stop the clock: 2026-07-08, not 2026-07-20', () => {
    const c = clock('2026-06-08', { type: 'erasure' as RequestType, waits: [wait('clarification', '2026-06-10', '2026-06-20')], today: '2026-06-21' });
    expect(c).toMatchObject({ stoppedDays: 0, due: '2026-07-08' });
    expect(c.waits[0]?.ignored).toContain('only an access request');
  });

  it('while stopped the status says so and there is no due date to miss', () => {
    const c = clock('2026-06-08', { waits: [wait('clarification', '2026-06-10')], today: '2026-07-30' });
    expect(c).toMatchObject({ state: 'stopped', due: null, since: '2026-06-10', status: 'stopped: clarification since 2026-06-10' });
  });

  it('issue case 3: a stop asked after the due date changes nothing: the request stays overdue', () => {
    const c = clock('2026-06-08', { waits: [wait('clarification', '2026-07-10', '2026-07-15')], today: '2026-07-16' });
    expect(c).toMatchObject({ due: '2026-07-08', stoppedDays: 0, state: 'overdue', days: 8, status: 'overdue by 8 days' });
    expect(c.waits[0]?.ignored).toContain('a clock that has run out cannot be stopped');
  });

  it('a stop asked on the due date itself still counts (the period is running)', () => {
    const c = clock('2026-06-08', { waits: [wait('clarification', '2026-07-08', '2026-07-09')], today: '2026-07-09' });
    expect(c).toMatchObject({ stoppedDays: 2, due: '2026-07-10' });
  });

  it('back-to-back stops share their common day once', () => {
    const c = clock('2026-06-08', { waits: [wait('clarification', '2026-06-10', '2026-06-12'), wait('clarification', '2026-06-12', '2026-06-13')] });
    expect(c.stoppedDays).toBe(4);
  });

  it('issue case 4: received before 5 February 2026, the old Art 12(3): no stop-the-clock', () => {
    const c = clock('2026-01-12', { waits: [wait('clarification', '2026-01-14', '2026-01-20')], today: '2026-01-21' });
    expect(c).toMatchObject({ rule: 'pre-2026', stoppedDays: 0, due: '2026-02-12' });
    expect(c.waits[0]?.ignored).toContain('the old Art 12(3) has no stop-the-clock');
    expect(clock('2026-02-05').rule).toBe('article-12a');
  });
});

describe('requestClock: extension (Art 12(3))', () => {
  it('issue case 5: 31 Jan 2026 extends to 28 Apr (end of first period + 2 months), not 30 Apr', () => {
    const c = clock('2026-01-31', { extension: { toldOn: '2026-02-20' }, today: '2026-03-10' });
    expect(c).toMatchObject({ firstPeriodEnd: '2026-02-28', unextendedDue: '2026-03-02', extendedDue: '2026-04-28', extension: 'valid', due: '2026-04-28' });
  });

  it('the notice is due by the first period\'s corresponding date, not the rolled working day', () => {
    // First period ends Sat 28 Feb; the unextended due date rolls to Mon 2 Mar, but telling on 2 Mar is too late.
    const late = clock('2026-01-31', { extension: { toldOn: '2026-03-02' }, today: '2026-03-10' });
    expect(late).toMatchObject({ extension: 'not-valid', due: '2026-03-02', state: 'overdue', days: 8 });
  });

  it('decided but not yet told: provisional while the first period runs, not valid once it has ended', () => {
    expect(clock('2026-06-08', { extension: { toldOn: null }, today: '2026-07-08' })).toMatchObject({ extension: 'notice-owed', due: '2026-09-08' });
    expect(clock('2026-06-08', { extension: { toldOn: null }, today: '2026-07-09' })).toMatchObject({ extension: 'not-valid', due: '2026-07-08', state: 'overdue' });
  });

  it('README example 2: 11 days stopped, then extended and told by 19 July: due Mon 21 September', () => {
    const c = clock('2026-06-08', { waits: [wait('clarification', '2026-06-10', '2026-06-20')], extension: { toldOn: '2026-07-19' }, today: '2026-07-20' });
    expect(c).toMatchObject({ stoppedDays: 11, firstPeriodEnd: '2026-07-19', unextendedDue: '2026-07-20', extension: 'valid', due: '2026-09-21' });
  });

  it('stopped days move the first period\'s end and the extended date', () => {
    const c = clock('2026-06-08', { waits: [wait('clarification', '2026-06-10', '2026-06-14')], extension: { toldOn: '2026-07-13' }, today: '2026-07-14' });
    expect(c).toMatchObject({ stoppedDays: 5, firstPeriodEnd: '2026-07-13', extension: 'valid', due: '2026-09-14' }); // 8 Sep + 5 = Sun 13 Sep → Mon
  });
});

describe('requestClock: closed requests', () => {
  it('closed in time, or late by N days, against the due date in force', () => {
    expect(clock('2026-06-08', { closedOn: '2026-07-08' })).toMatchObject({ state: 'closed', closedInTime: true, status: 'closed in time' });
    expect(clock('2026-06-08', { closedOn: '2026-07-11' })).toMatchObject({ state: 'closed', closedInTime: false, status: 'closed 3 days late' });
  });
});

describe('requestClock: the processor route (Art 28(3)(e))', () => {
  const processor = { forwardWithinDays: 2, forwardedOn: null };
  it('no Art 12 clock: a forwarding target in working days, then overdue, then forwarded', () => {
    expect(clock('2026-06-08', { processor, today: '2026-06-09' })).toMatchObject({ rule: 'processor', due: '2026-06-10', state: 'forward', firstPeriodEnd: null, status: 'to forward by 2026-06-10 Wed' });
    expect(clock('2026-06-08', { processor, today: '2026-06-12' })).toMatchObject({ state: 'forward-overdue', days: 2, status: 'forwarding overdue by 2 days' });
    expect(clock('2026-06-08', { processor: { forwardWithinDays: 2, forwardedOn: '2026-06-09' }, today: '2026-06-12' })).toMatchObject({ state: 'forwarded', closedInTime: true, status: 'forwarded 2026-06-09' });
  });

  it.each([
    ['2026-06-05', 2, '2026-06-09', 'Fri + 2 skips the weekend'],
    ['2026-12-23', 2, '2026-12-29', 'Christmas and the substitute Boxing Day'],
    ['2026-06-06', 0, '2026-06-08', 'at once: the next working day when received at the weekend'],
  ])('addWorkingDays(%s, %i) → %s (%s)', (from, days, expected) => {
    expect(addWorkingDays(from, days, EW)).toBe(expected);
  });
});

describe('clockSummary', () => {
  it('reads as one line', () => {
    expect(clockSummary(clock('2026-06-08', { today: '2026-06-30' }))).toBe('due 2026-07-08 Wed (8 days left)');
    expect(clockSummary(clock('2026-06-08', { today: '2026-07-08' }))).toBe('due today, 2026-07-08 Wed');
    expect(clockSummary(clock('2026-06-08', { today: '2026-07-09' }))).toBe('overdue by 1 day (was due 2026-07-08 Wed)');
    expect(clockSummary(clock('2026-06-08', { waits: [wait('identity', '2026-06-08')] }))).toBe('clock not started: awaiting identity since 2026-06-08');
  });
});
