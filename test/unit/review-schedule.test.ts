import { describe, expect, it } from 'vitest';
import {
  changeMilestoneKey, isOverdue, neverReviewedKey, nextReviewDue, noticeRemindersDue, noticeReviewDue, reviewMilestone,
} from '../../src/domain/review-schedule.js';

describe('nextReviewDue', () => {
  it('is a year on, 29 February rolling to 28 February', () => {
    expect(nextReviewDue('2026-03-02')).toBe('2027-03-02');
    expect(nextReviewDue('2028-02-29')).toBe('2029-02-28');
  });
});

describe('reviewMilestone', () => {
  const due = '2026-04-01';
  it.each([
    ['2026-02-28', null],
    ['2026-03-01', null],
    ['2026-03-02', { kind: 'due-in-30', key: 'due-in-30:2026-04-01', daysLeft: 30 }],
    ['2026-03-24', { kind: 'due-in-30', key: 'due-in-30:2026-04-01', daysLeft: 8 }],
    ['2026-03-25', { kind: 'due-in-7', key: 'due-in-7:2026-04-01', daysLeft: 7 }],
    ['2026-04-01', { kind: 'due-in-7', key: 'due-in-7:2026-04-01', daysLeft: 0 }],
    ['2026-04-02', { kind: 'overdue', key: 'overdue:2026-04-01:0', daysLeft: -1 }],
    ['2026-04-08', { kind: 'overdue', key: 'overdue:2026-04-01:0', daysLeft: -7 }],
    ['2026-04-09', { kind: 'overdue', key: 'overdue:2026-04-01:1', daysLeft: -8 }],
    ['2026-04-16', { kind: 'overdue', key: 'overdue:2026-04-01:2', daysLeft: -15 }],
  ] as const)('on %s', (today, expected) => {
    expect(reviewMilestone(due, today)).toEqual(expected);
  });

  it('knows overdue from due', () => {
    expect(isOverdue(due, '2026-04-01')).toBe(false);
    expect(isOverdue(due, '2026-04-02')).toBe(true);
  });
});

describe('regulatory changes and a notice never reviewed', () => {
  it('announces a change at once (week 0), then weekly', () => {
    expect(changeMilestoneKey(3, '2026-03-02', '2026-03-02')).toBe('change:3:0');
    expect(changeMilestoneKey(3, '2026-03-02', '2026-03-08')).toBe('change:3:0');
    expect(changeMilestoneKey(3, '2026-03-02', '2026-03-09')).toBe('change:3:1');
  });

  it('nudges weekly, by calendar week, while no review is recorded', () => {
    expect(neverReviewedKey('2026-03-02')).toBe(neverReviewedKey('2026-03-08'));
    expect(neverReviewedKey('2026-03-09')).not.toBe(neverReviewedKey('2026-03-08'));
  });

  it('makes the review due on the day of the earliest open change when that is sooner', () => {
    expect(noticeReviewDue('2025-06-01', null)).toEqual({ dueOn: '2026-06-01', reason: 'yearly' });
    expect(noticeReviewDue('2025-06-01', '2026-03-02')).toEqual({ dueOn: '2026-03-02', reason: 'regulatory-change' });
    expect(noticeReviewDue('2025-01-01', '2026-03-02')).toEqual({ dueOn: '2026-01-01', reason: 'yearly' });
    expect(noticeReviewDue(null, null)).toEqual({ dueOn: null, reason: 'never-reviewed' });
    expect(noticeReviewDue(null, '2026-03-02')).toEqual({ dueOn: '2026-03-02', reason: 'regulatory-change' });
  });

  it('sends change reminders instead of the yearly countdown while a change is open', () => {
    const changes = [{ id: 4, recordedOn: '2026-03-02' }, { id: 5, recordedOn: '2026-03-05' }];
    expect(noticeRemindersDue({ lastReviewedOn: '2025-04-01', openChanges: changes }, '2026-03-10').map((r) => r.key))
      .toEqual(['change:4:1', 'change:5:0']);
    expect(noticeRemindersDue({ lastReviewedOn: '2025-04-01', openChanges: [] }, '2026-03-10'))
      .toEqual([{ kind: 'due-in-30', key: 'due-in-30:2026-04-01', daysLeft: 22, dueOn: '2026-04-01' }]);
    expect(noticeRemindersDue({ lastReviewedOn: '2025-06-01', openChanges: [] }, '2026-03-10')).toEqual([]);
    expect(noticeRemindersDue({ lastReviewedOn: null, openChanges: [] }, '2026-03-10')).toEqual([{ kind: 'never-reviewed', key: neverReviewedKey('2026-03-10') }]);
  });
});
