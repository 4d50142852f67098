import { describe, expect, it } from 'vitest';
import { COMPLAINT_RIGHTS, noticeDueBy, noticeLine, noticeReminderDue } from '../../src/domain/notices-owed.js';

const owed = (kind: string, dueBy: string, toldOn: string | null = null) => ({ kind, owedSince: '2026-06-10', dueBy, toldOn });

describe('notices owed to the individual (Art 12(3)–(4))', () => {
  it('is due by the deadline given, or at once when that has passed', () => {
    expect(noticeDueBy('2026-06-10', '2026-07-08')).toBe('2026-07-08');
    expect(noticeDueBy('2026-06-10', '2026-06-01')).toBe('2026-06-10');
    expect(noticeDueBy('2026-06-10', null)).toBe('2026-06-10');
  });

  it('a refusal or a rejected identity gives the reasons and the right to complain to the ICO and to a judicial remedy', () => {
    expect(noticeLine(owed('refusal', '2026-07-08'), '2026-06-11')).toBe(`refusal: owed by 2026-07-08 Wed: tell them that the request is refused as manifestly unfounded or excessive, and why. ${COMPLAINT_RIGHTS}`);
    expect(noticeLine(owed('identity-rejected', '2026-07-08'), '2026-06-11')).toContain('judicial remedy');
    expect(noticeLine(owed('extension', '2026-07-08'), '2026-06-11')).not.toContain('ICO');
  });

  it('says when it is overdue, and when it was told (late or not)', () => {
    expect(noticeLine(owed('outcome', '2026-07-08'), '2026-07-09')).toContain('owed by 2026-07-08 Wed (OVERDUE)');
    expect(noticeLine(owed('outcome', '2026-07-08', '2026-07-01'), '2026-07-09')).toBe('outcome: told 2026-07-01');
    expect(noticeLine(owed('extension', '2026-07-08', '2026-07-10'), '2026-07-11')).toBe('extension: told 2026-07-10, 2 days after 2026-07-08');
  });

  it.each([
    ['2026-07-04', null],
    ['2026-07-05', 'notice:extension:2026-07-08:soon'],
    ['2026-07-08', 'notice:extension:2026-07-08:0'],
    ['2026-07-14', 'notice:extension:2026-07-08:0'],
    ['2026-07-15', 'notice:extension:2026-07-08:1'],
  ])('chased on %s → %s', (today, milestone) => {
    expect(noticeReminderDue(owed('extension', '2026-07-08'), today)).toBe(milestone);
  });

  it('is not chased once told', () => {
    expect(noticeReminderDue(owed('extension', '2026-07-08', '2026-07-01'), '2026-07-20')).toBeNull();
  });
});
