import { describe, expect, it } from 'vitest';
import {
  checkNotReportable, checkRoles, controllersChase, controllersOwed, isSettled, needsLateReason, outstandingParties, owedParties, regulatorClockRunning, type BreachNotices,
} from '../../src/domain/breach-notices.js';

const deadline = new Date('2026-03-05T10:00:00Z');
const base: BreachNotices = {
  deadline, ownData: true, controllersAffected: false, individualsHighRisk: false, notReportable: false,
  regulatorNotifiedAt: null, controllersNotifiedAt: null, individualsNotifiedAt: null, lateReasonGiven: false,
};
const at = (iso: string) => new Date(iso);

describe('who is owed a breach notice', () => {
  it('owes the regulator by default, controllers and individuals when flagged', () => {
    expect(owedParties(base)).toEqual(['regulator']);
    expect(owedParties({ ...base, controllersAffected: true, individualsHighRisk: true })).toEqual(['regulator', 'controllers', 'individuals']);
  });

  it('releases the regulator on a not-reportable decision, never the controllers', () => {
    const decided = { ...base, notReportable: true, controllersAffected: true };
    expect(owedParties(decided)).toEqual(['controllers']);
    expect(isSettled(decided)).toBe(false);
    expect(isSettled({ ...decided, controllersNotifiedAt: at('2026-03-03T09:00:00Z') })).toBe(true);
    expect(isSettled({ ...base, notReportable: true })).toBe(true);
    expect(regulatorClockRunning(decided)).toBe(false);
  });

  it('settles once everyone owed is told, with reasons for a late regulator notice', () => {
    const owed = { ...base, controllersAffected: true };
    expect(outstandingParties(owed)).toEqual(['regulator', 'controllers']);
    const regulatorInTime = { ...owed, regulatorNotifiedAt: deadline };
    expect(outstandingParties(regulatorInTime)).toEqual(['controllers']);
    expect(needsLateReason(regulatorInTime)).toBe(false);
    expect(isSettled({ ...regulatorInTime, controllersNotifiedAt: deadline })).toBe(true);
    const late = { ...base, regulatorNotifiedAt: new Date(deadline.getTime() + 60_000) };
    expect(needsLateReason(late)).toBe(true);
    expect(isSettled(late)).toBe(false);
    expect(isSettled({ ...late, lateReasonGiven: true })).toBe(true);
  });

  it('a notice nobody owed closes nothing extra', () => {
    expect(outstandingParties({ ...base, individualsNotifiedAt: deadline })).toEqual(['regulator']);
  });

  it('refuses a not-reportable decision after the regulator was told, twice, or for a high risk', () => {
    expect(checkNotReportable(base, 'BR-2026-001').ok).toBe(true);
    expect(checkNotReportable({ ...base, notReportable: true }, 'BR-2026-001')).toEqual({ ok: false, error: expect.stringContaining('already recorded') });
    expect(checkNotReportable({ ...base, regulatorNotifiedAt: deadline }, 'BR-2026-001')).toEqual({ ok: false, error: expect.stringContaining('already been told') });
    expect(checkNotReportable({ ...base, individualsHighRisk: true }, 'BR-2026-001')).toEqual({ ok: false, error: expect.stringContaining('high risk') });
  });
});

describe('by role: the company\'s own data, customers\' data, or both (Art 33(1)–(2), Art 34)', () => {
  const customers = { ...base, ownData: false, controllersAffected: true };
  it('customers\' data only: the controllers are owed, never the regulator or the individuals', () => {
    expect(owedParties(customers)).toEqual(['controllers']);
    expect(regulatorClockRunning(customers)).toBe(false);
    expect(controllersOwed(customers)).toBe(true);
    expect(checkNotReportable(customers, 'BR-2026-001')).toEqual({ ok: false, error: expect.stringContaining("customers' data only") });
    expect(isSettled({ ...customers, controllersNotifiedAt: deadline })).toBe(true);
  });

  it('both: the regulator, the controllers, and for a high risk the individuals', () => {
    expect(owedParties({ ...base, controllersAffected: true, individualsHighRisk: true })).toEqual(['regulator', 'controllers', 'individuals']);
  });

  it.each([
    [{ ownData: true, controllersAffected: false, individualsHighRisk: true }, true, ''],
    [{ ownData: false, controllersAffected: true, individualsHighRisk: false }, true, ''],
    [{ ownData: false, controllersAffected: true, individualsHighRisk: true }, false, "telling the individuals is the controllers' decision"],
    [{ ownData: false, controllersAffected: false, individualsHighRisk: false }, false, 'or both'],
  ])('checkRoles(%j) → %s', (roles, ok, says) => {
    const result = checkRoles(roles);
    expect(result.ok).toBe(ok);
    if (!result.ok) expect(result.error).toContain(says);
  });

  it.each([
    ['2026-03-02T10:30:00Z', null],
    ['2026-03-02T11:00:00Z', 'controllers:1h'],
    ['2026-03-02T14:00:00Z', 'controllers:4h'],
    ['2026-03-02T22:00:00Z', 'controllers:12h'],
    ['2026-03-03T10:00:00Z', 'controllers:day1'],
    ['2026-03-05T09:00:00Z', 'controllers:day2'],
  ])('controllers not yet told are chased: at %s → %s', (now, milestone) => {
    expect(controllersChase(new Date('2026-03-02T10:00:00Z'), new Date(now))).toBe(milestone);
  });
});
