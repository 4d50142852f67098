import { describe, expect, it } from 'vitest';
import {
  breachClock, breachDeadline, formatInstant, isNewMilestone, parseAwareAt, validateAwareAt, type BreachMilestone,
} from '../../src/domain/breach.js';

const AWARE = new Date('2026-03-27T09:00:00Z'); // a Friday, two days before the clocks go forward

describe('breachDeadline', () => {
  it.each([
    ['2026-03-27T09:00:00Z', '2026-03-30T09:00:00.000Z', 'over a weekend and the spring clock change: 72 real hours'],
    ['2026-12-24T16:30:00Z', '2026-12-27T16:30:00.000Z', 'over Christmas: holidays do not stop it'],
    ['2024-02-28T12:00:00Z', '2024-03-02T12:00:00.000Z', 'across a leap day'],
  ])('aware %s → report by %s (%s)', (aware, expected) => {
    expect(breachDeadline(new Date(aware)).toISOString()).toBe(expected);
  });
});

describe('breachClock', () => {
  const at = (hoursAfterAware: number) => new Date(AWARE.getTime() + hoursAfterAware * 3_600_000);
  it.each<[number, number, boolean, BreachMilestone | null]>([
    [0, 72, false, null],
    [47.5, 24.5, false, null],
    [48, 24, false, 24],
    [59.9, 12.1, false, 24],
    [60, 12, false, 12],
    [67.5, 4.5, false, 12],
    [68, 4, false, 4],
    [72, 0, false, 4], // at the deadline itself: still in time
    [72.25, -0.25, true, 'overdue'],
    [100, -28, true, 'overdue'],
  ])('%d hours after awareness: %d hours left, overdue %s, milestone %s', (elapsed, left, overdue, milestone) => {
    const clock = breachClock(AWARE, at(elapsed));
    expect(clock.hoursLeft).toBeCloseTo(left, 9);
    expect(clock.overdue).toBe(overdue);
    expect(clock.milestone).toBe(milestone);
    expect(clock.deadline.toISOString()).toBe('2026-03-30T09:00:00.000Z');
  });
});

describe('isNewMilestone', () => {
  it.each<[BreachMilestone | null, BreachMilestone | null, boolean]>([
    [null, null, false],
    [null, 24, true],
    [24, 24, false],
    [24, 12, true],
    [null, 4, true], // a missed hourly run still sends the most urgent reminder
    [12, 24, false], // never backwards
    [4, 'overdue', true],
    ['overdue', 'overdue', false],
  ])('last announced %s, now %s → announce: %s', (last, current, expected) => {
    expect(isNewMilestone(last, current)).toBe(expected);
  });
});

describe('validateAwareAt', () => {
  const now = new Date('2026-03-02T11:20:00Z');
  it.each([
    ['2026-03-02T11:20:00Z', 'now'],
    ['2026-03-01T09:30:00Z', 'yesterday'],
  ])('accepts %s (%s)', (aware) => {
    expect(validateAwareAt(new Date(aware), now)).toEqual({ ok: true, value: new Date(aware) });
  });

  it('rejects the future, showing both times and a good example', () => {
    const result = validateAwareAt(new Date('2026-03-02T14:00:00Z'), now, 'Europe/London');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toContain('2026-03-02 14:00 GMT is in the future');
      expect(result.error).toContain('it is now 2026-03-02 11:20 GMT');
      expect(result.error).toContain('--aware 2026-03-02T09:30');
    }
  });

  it('rejects an invalid time', () => {
    expect(validateAwareAt(new Date('nonsense'), now).ok).toBe(false);
  });
});

describe('parseAwareAt (wall-clock time in TIMEZONE)', () => {
  const now = new Date('2026-11-01T12:00:00Z');
  it.each([
    ['2026-03-02T09:30', 'Europe/London', '2026-03-02T09:30:00.000Z', 'winter: GMT'],
    ['2026-07-02T09:30', 'Europe/London', '2026-07-02T08:30:00.000Z', 'summer: BST'],
    ['2026-07-02 09:30', 'Europe/London', '2026-07-02T08:30:00.000Z', 'a space instead of T'],
    ['2026-10-25T01:30', 'Europe/London', '2026-10-25T00:30:00.000Z', 'the repeated autumn hour: the earlier one'],
    ['2026-03-29T01:30', 'Europe/London', '2026-03-29T01:30:00.000Z', 'the skipped spring hour: read as GMT'],
    ['2026-07-02T09:30Z', 'Europe/London', '2026-07-02T09:30:00.000Z', 'an explicit Z wins'],
    ['2026-07-02T09:30+02:00', 'Europe/London', '2026-07-02T07:30:00.000Z', 'an explicit offset wins'],
    ['2026-07-02T09:30', 'UTC', '2026-07-02T09:30:00.000Z', 'another zone'],
  ])('%s in %s is %s (%s)', (text, zone, expected) => {
    const result = parseAwareAt(text, zone, now);
    expect(result.ok && result.value.toISOString()).toBe(expected);
  });

  it.each([
    ['2026-03-02', 'YYYY-MM-DDTHH:MM'],
    ['yesterday 9am', 'YYYY-MM-DDTHH:MM'],
    ['2026-02-30T09:30', 'February 2026 has 28 days'],
    ['2026-03-02T24:00', 'not a time of day'],
    ['2026-11-02T09:00', 'is in the future'],
  ])('rejects %j, saying %j', (text, says) => {
    const result = parseAwareAt(text, 'Europe/London', now);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(says);
  });
});

describe('formatInstant', () => {
  it.each([
    ['2026-01-15T09:05:00Z', 'Europe/London', '2026-01-15 09:05 GMT'],
    ['2026-07-15T09:05:00Z', 'Europe/London', '2026-07-15 10:05 BST'],
    ['2026-07-15T09:05:00Z', 'UTC', '2026-07-15 09:05 UTC'],
  ])('%s in %s reads %s', (instant, zone, expected) => {
    expect(formatInstant(new Date(instant), zone)).toBe(expected);
  });
});

describe('awareness times from before UK GDPR', () => {
  it.each(['0001-01-01T00:00', '1901-06-01T09:00', '2018-05-24T23:59'])('refuses %s', (text) => {
    const result = parseAwareAt(text, 'Europe/London', new Date('2026-03-02T12:00:00Z'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/before UK GDPR applied \(2018-05-25\)/);
  });
});
