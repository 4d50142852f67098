import { describe, expect, it } from 'vitest';
import { remindersDue, type ReminderSubject } from '../../src/domain/reminders.js';

// Pinned: "today" is Thursday 2026-11-26 throughout.
const TODAY = '2026-11-26';
const CHAIRS = ['⟨member:slack:UCHAIR⟩'];

function subject(overrides: Partial<ReminderSubject>): ReminderSubject {
  return { reference: 'DSR-2026-0001', type: 'erasure', dueOn: '2026-12-24', pausedSince: null, pauseKind: null, controller: null, forwardProposedOn: null, ...overrides };
}

function milestones(overrides: Partial<ReminderSubject>, today = TODAY): string[] {
  return remindersDue(subject(overrides), today, CHAIRS).map((r) => r.milestone);
}

describe('countdown milestones', () => {
  it.each([
    ['2026-12-24', []],
    ['2026-12-04', []],
    ['2026-12-03', ['due-in-7:2026-12-03']],
    ['2026-11-30', ['due-in-7:2026-11-30']],
    ['2026-11-29', ['due-in-3:2026-11-29']],
    ['2026-11-28', ['due-in-3:2026-11-28']],
    ['2026-11-27', ['due-in-1:2026-11-27']],
    ['2026-11-26', ['due-today:2026-11-26']],
    ['2026-11-25', ['overdue:2026-11-25:0']],
    ['2026-11-19', ['overdue:2026-11-19:0']],
    ['2026-11-18', ['overdue:2026-11-18:1']],
    ['2026-10-26', ['overdue:2026-10-26:4']],
  ])('due %s → %j', (dueOn, expected) => {
    expect(milestones({ dueOn })).toEqual(expected);
  });

  it('says how many days are left, with the weekday', () => {
    const [reminder] = remindersDue(subject({ dueOn: '2026-12-01' }), TODAY, CHAIRS);
    expect(reminder?.text).toBe('erasure request DSR-2026-0001 is due in 5 days, on 2026-12-01 Tue.');
    expect(remindersDue(subject({ dueOn: '2026-11-27' }), TODAY, CHAIRS)[0]?.text).toContain('due in 1 day,');
  });

  it('names the chairs when overdue, and says so when there are none', () => {
    const [overdue] = remindersDue(subject({ dueOn: '2026-11-24' }), TODAY, CHAIRS);
    expect(overdue?.kind).toBe('overdue');
    expect(overdue?.text).toContain('2 days ago');
    expect(overdue?.text).toContain('⟨member:slack:UCHAIR⟩');
    expect(remindersDue(subject({ dueOn: '2026-11-24' }), TODAY, [])[0]?.text).toContain('no chair is set');
  });

  it('starts again when the due date moves (pause ended, extension)', () => {
    expect(milestones({ dueOn: '2026-11-29' })).toEqual(['due-in-3:2026-11-29']);
    expect(milestones({ dueOn: '2026-12-02' })).toEqual(['due-in-7:2026-12-02']);
  });
});

describe('paused requests', () => {
  it.each([
    ['2026-11-26', []],
    ['2026-11-20', []],
    ['2026-11-19', ['paused:2026-11-19:1']],
    ['2026-11-13', ['paused:2026-11-13:1']],
    ['2026-11-12', ['paused:2026-11-12:2']],
  ])('paused since %s → %j, and no countdown while the clock is stopped', (pausedSince, expected) => {
    expect(milestones({ pausedSince, pauseKind: 'identity', dueOn: '2026-11-27' })).toEqual(expected);
  });

  it('tells how to resume', () => {
    const [nudge] = remindersDue(subject({ pausedSince: '2026-11-12', pauseKind: 'identity' }), TODAY, CHAIRS);
    expect(nudge?.text).toContain('still paused since 2026-11-12 Thu (identity, 14 days)');
    expect(nudge?.text).toContain('/dsr resume DSR-2026-0001');
  });
});

describe('requests for a controller', () => {
  it.each([
    ['2026-11-25', []],
    ['2026-11-24', ['forward:2026-11-24:0']],
    ['2026-11-18', ['forward:2026-11-18:0']],
    ['2026-11-17', ['forward:2026-11-17:1']],
  ])('forwarding proposed %s → %j', (forwardProposedOn, expected) => {
    expect(milestones({ controller: 'Acme Ltd', forwardProposedOn })).toEqual(expected);
  });

  it('asks to pass it on without undue delay, beside the countdown', () => {
    const reminders = remindersDue(subject({ controller: 'Acme Ltd', forwardProposedOn: '2026-11-20', dueOn: '2026-11-30' }), TODAY, CHAIRS);
    expect(reminders.map((r) => r.kind)).toEqual(['countdown', 'forward']);
    expect(reminders[1]?.text).toContain('pass it to the controller without undue delay');
    expect(reminders[1]?.text).toContain('Acme Ltd');
  });

  it('says nothing once no forwarding awaits approval', () => {
    expect(milestones({ controller: 'Acme Ltd', forwardProposedOn: null })).toEqual([]);
  });
});
