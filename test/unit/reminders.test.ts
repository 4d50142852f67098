import { describe, expect, it } from 'vitest';
import { addMonthsClamped } from '../../src/domain/dates.js';
import { remindersDue } from '../../src/domain/reminders.js';
import { requestClock, type ClockInput, type ClockWait } from '../../src/domain/request-clock.js';

// Pinned: "today" is Thursday 2026-11-26 throughout.
const TODAY = '2026-11-26';
const CHAIRS = ['⟨member:slack:UCHAIR⟩'];

function clock(input: Partial<ClockInput>) {
  return requestClock({ receivedOn: '2026-11-02', type: 'access', region: 'england-and-wales', waits: [], extension: null, processor: null, closedOn: null, today: TODAY, ...input });
}

/** A running clock due on `dueOn` (a working day): received a month earlier. */
function dueOn(due: string) {
  return clock({ receivedOn: addMonthsClamped(due, -1) });
}

function due(clockValue: ReturnType<typeof clock>, controller: string | null = null, today = TODAY) {
  return remindersDue({ reference: 'DSR-2026-0001', type: 'erasure', clock: clockValue, controller }, today, CHAIRS);
}
const milestones = (c: ReturnType<typeof clock>, controller: string | null = null) => due(c, controller).map((r) => r.milestone);
const wait = (kind: ClockWait['kind'], from: string, to: string | null = null): ClockWait => ({ kind, from, to });

describe('countdown milestones', () => {
  it.each([
    ['2026-12-24', []],
    ['2026-12-04', []],
    ['2026-12-03', ['due-in-7:2026-12-03']],
    ['2026-11-30', ['due-in-7:2026-11-30']],
    ['2026-11-27', ['due-in-1:2026-11-27']],
    ['2026-11-26', ['due-today:2026-11-26']],
    ['2026-11-25', ['overdue:2026-11-25:0']],
    ['2026-11-19', ['overdue:2026-11-19:0']],
    ['2026-11-18', ['overdue:2026-11-18:1']],
    ['2026-10-26', ['overdue:2026-10-26:4']],
  ])('due %s → %j', (date, expected) => {
    expect(milestones(dueOn(date))).toEqual(expected);
  });

  it('says how many days are left, with the weekday', () => {
    expect(due(dueOn('2026-12-01'))[0]?.text).toBe('erasure request DSR-2026-0001 is due in 5 days, on 2026-12-01 Tue.');
    expect(due(dueOn('2026-11-27'))[0]?.text).toContain('due in 1 day,');
  });

  it('names the chairs when overdue, and says so when there are none', () => {
    const [overdue] = due(dueOn('2026-11-24'));
    expect(overdue?.kind).toBe('overdue');
    expect(overdue?.text).toContain('2 days ago');
    expect(overdue?.text).toContain('⟨member:slack:UCHAIR⟩');
    expect(remindersDue({ reference: 'DSR-2026-0001', type: 'erasure', clock: dueOn('2026-11-24'), controller: null }, TODAY, [])[0]?.text).toContain('no chair is set');
  });
});

describe('clocks that are not running', () => {
  it.each([
    ['2026-11-13', []],
    ['2026-11-12', ['awaiting:2026-11-12:0']],
    ['2026-11-06', ['awaiting:2026-11-06:0']],
    ['2026-11-05', ['awaiting:2026-11-05:1']],
  ])('awaiting identity since %s → %j: no countdown, a nudge from 14 days', (since, expected) => {
    expect(milestones(clock({ receivedOn: '2026-11-02', waits: [wait('identity', since)] }))).toEqual(expected);
  });

  it('tells how to record the arrival, and that the clock then starts afresh', () => {
    const [nudge] = due(clock({ waits: [wait('authority', '2026-11-12')] }));
    expect(nudge?.text).toContain("awaiting the agent's authority since 2026-11-12 Thu (14 days): its clock has not started");
    expect(nudge?.text).toContain('/dsr resume DSR-2026-0001 --on YYYY-MM-DD (the clock starts afresh that day)');
  });

  it.each([
    ['2026-11-20', []],
    ['2026-11-19', ['stopped:2026-11-19:1']],
    ['2026-11-12', ['stopped:2026-11-12:2']],
  ])('stopped for clarification since %s → %j', (since, expected) => {
    expect(milestones(clock({ receivedOn: '2026-11-02', waits: [wait('clarification', since)] }))).toEqual(expected);
  });
});

describe('extension not told in time', () => {
  it('says once that the extension is not valid, beside the overdue reminder', () => {
    const c = clock({ receivedOn: '2026-10-05', extension: { toldOn: null } });
    expect(c.extension).toBe('not-valid');
    const reminders = due(c);
    expect(reminders.map((r) => r.milestone)).toEqual(['overdue:2026-11-05:2', 'extension-not-valid:2026-11-05']);
    expect(reminders[1]?.text).toContain('not told of it, with the reasons, by 2026-11-05');
  });
});

describe('processor route: forwarding, never an Art 12 escalation', () => {
  const processor = (received: string) => clock({ receivedOn: received, processor: { forwardWithinDays: 2, forwardedOn: null } });
  it.each([
    ['2026-11-25', []],
    ['2026-11-24', ['forward-today:2026-11-26']],
    ['2026-11-23', ['forward-overdue:2026-11-25:0']],
    ['2026-11-13', ['forward-overdue:2026-11-17:1']],
  ])('received %s → %j', (received, expected) => {
    expect(milestones(processor(received), 'Acme Ltd')).toEqual(expected);
  });

  it('asks to pass it on and record it, naming no chair', () => {
    const [reminder] = due(processor('2026-11-23'), 'Acme Ltd');
    expect(reminder?.text).toContain('should have been passed on by 2026-11-25 Wed, 1 day ago');
    expect(reminder?.text).toContain('/dsr forwarded DSR-2026-0001');
    expect(reminder?.text).not.toContain('UCHAIR');
  });
});
