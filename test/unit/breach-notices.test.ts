import { describe, expect, it } from 'vitest';
import {
  checkNotReportable, isSettled, needsLateReason, outstandingParties, owedParties, regulatorClockRunning, type BreachNotices,
} from '../../src/domain/breach-notices.js';

const deadline = new Date('2026-03-05T10:00:00Z');
const base: BreachNotices = {
  deadline, controllersAffected: false, individualsHighRisk: false, notReportable: false,
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
