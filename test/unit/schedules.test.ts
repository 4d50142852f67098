import { describe, expect, it } from 'vitest';
import { cronOf, describeSchedule, fromWallClock, latestSlot, nextSlot, type Schedule } from '../../src/domain/schedules.js';

const LONDON = 'Europe/London';
const quarterly: Schedule = { kind: 'quarterly', hour: 9, minute: 0 };
const daily: Schedule = { kind: 'daily', hour: 8, minute: 0 };
const hourly: Schedule = { kind: 'hourly', minute: 0 };

describe('fromWallClock', () => {
  it.each([
    ['2026-01-01', 9, '2026-01-01T09:00:00.000Z'], // GMT
    ['2026-07-01', 9, '2026-07-01T08:00:00.000Z'], // BST
    ['2026-03-29', 9, '2026-03-29T08:00:00.000Z'], // the morning the clocks go forward
    ['2026-10-25', 9, '2026-10-25T09:00:00.000Z'], // the morning they go back
  ])('%s %i:00 in London is %s', (date, hour, iso) => {
    expect(fromWallClock(date, hour, 0, LONDON).toISOString()).toBe(iso);
  });
});

describe('latestSlot', () => {
  it.each([
    [quarterly, '2026-10-01T08:00:00Z', '2026-Q4', '2026-10-01T08:00:00.000Z'], // 09:00 BST
    [quarterly, '2026-10-01T07:59:59Z', '2026-Q3', '2026-07-01T08:00:00.000Z'], // a second early
    [quarterly, '2027-01-01T09:00:00Z', '2027-Q1', '2027-01-01T09:00:00.000Z'],
    [quarterly, '2026-12-31T23:00:00Z', '2026-Q4', '2026-10-01T08:00:00.000Z'],
    [daily, '2026-11-26T08:00:00Z', '2026-11-26', '2026-11-26T08:00:00.000Z'],
    [daily, '2026-11-26T07:00:00Z', '2026-11-25', '2026-11-25T08:00:00.000Z'],
    [hourly, '2026-11-26T10:59:00Z', '2026-11-26T10', '2026-11-26T10:00:00.000Z'],
    [hourly, '2026-07-01T10:30:00Z', '2026-07-01T11', '2026-07-01T10:00:00.000Z'], // 11:00 BST
  ])('%o at %s is slot %s', (schedule, now, key, at) => {
    expect(latestSlot(schedule, new Date(now), LONDON)).toEqual({ key, at: new Date(at) });
  });

  it('has no slots for interval jobs', () => {
    expect(latestSlot({ kind: 'every', seconds: 5 }, new Date(), LONDON)).toBeNull();
  });
});

describe('nextSlot', () => {
  it.each([
    [quarterly, '2026-11-26T12:00:00Z', '2027-Q1', '2027-01-01T09:00:00.000Z'],
    [quarterly, '2026-12-31T12:00:00Z', '2027-Q1', '2027-01-01T09:00:00.000Z'],
    [daily, '2026-11-26T12:00:00Z', '2026-11-27', '2026-11-27T08:00:00.000Z'],
    [hourly, '2026-11-26T12:30:00Z', '2026-11-26T13', '2026-11-26T13:00:00.000Z'],
  ])('%o after %s is %s', (schedule, now, key, at) => {
    expect(nextSlot(schedule, new Date(now), LONDON)).toEqual({ key, at: new Date(at) });
  });
});

describe('cronOf', () => {
  it('fires the quarterly sweep at 09:00 on the first day of each quarter', () => {
    expect(cronOf(quarterly)).toBe('0 9 1 1,4,7,10 *');
  });
});

describe('quarterly on the first working day (the quarterly report)', () => {
  const schedule = { kind: 'quarterly', hour: 9, minute: 30, workingDay: true } as const;
  it.each<[string, string, string | null]>([
    ['2026-10-01T08:30:00Z', '2026-Q4', '2026-10-01T08:30:00.000Z'], // Thu 1 Oct, 09:30 BST
    ['2026-10-01T08:29:00Z', '2026-Q3', '2026-07-01T08:30:00.000Z'], // a minute early: the previous slot
    ['2027-01-01T12:00:00Z', '2026-Q4', '2026-10-01T08:30:00.000Z'], // New Year's Day (Fri) is no working day
    ['2027-01-04T09:30:00Z', '2027-Q1', '2027-01-04T09:30:00.000Z'], // Monday 4 January, 09:30 GMT
    ['2027-04-05T12:00:00Z', '2027-Q2', '2027-04-01T08:30:00.000Z'], // Thu 1 Apr 2027 is a working day
  ])('at %s the latest slot is %s, due %s', (now, key, at) => {
    const slot = latestSlot(schedule, new Date(now), 'Europe/London', 'england-and-wales');
    expect(slot && { key: slot.key, at: slot.at.toISOString() }).toEqual({ key, at });
  });

  it('in Scotland 2 January is a holiday too: Monday 4 January 2027 either way; 2 Jan 2029 (Tue) in Scotland → Wed 3rd', () => {
    expect(latestSlot(schedule, new Date('2029-01-03T12:00:00Z'), 'Europe/London', 'scotland')?.at.toISOString()).toBe('2029-01-03T09:30:00.000Z');
    expect(latestSlot(schedule, new Date('2029-01-03T12:00:00Z'), 'Europe/London', 'england-and-wales')?.at.toISOString()).toBe('2029-01-02T09:30:00.000Z');
  });

  it('fires daily in the first week of the quarter\'s month and describes itself', () => {
    expect(cronOf(schedule)).toBe('30 9 1-7 1,4,7,10 *');
    expect(describeSchedule(schedule, 'Europe/London')).toBe('first working day of Jan/Apr/Jul/Oct 09:30 Europe/London');
    expect(nextSlot(schedule, new Date('2026-12-20T12:00:00Z'), 'Europe/London', 'england-and-wales')).toEqual({ key: '2027-Q1', at: new Date('2027-01-04T09:30:00.000Z') });
  });
});
