import { describe, expect, it } from 'vitest';
import {
  formatBreachRef, formatRequestRef, parseBreachRef, parseRequestRef, purgeRef, quarterOf,
} from '../../src/domain/references.js';

describe('request references', () => {
  it.each([
    [2026, 1, 'DSR-2026-0001'],
    [2026, 42, 'DSR-2026-0042'],
    [2026, 9999, 'DSR-2026-9999'],
    [2026, 10000, 'DSR-2026-10000'],
  ])('formatRequestRef(%i, %i) = %s', (year, seq, expected) => {
    expect(formatRequestRef(year, seq)).toBe(expected);
  });

  it.each([
    ['DSR-2026-0001', 2026, 1, 'DSR-2026-0001'],
    ['dsr-2026-0001', 2026, 1, 'DSR-2026-0001'],
    [' DSR-2026-1 ', 2026, 1, 'DSR-2026-0001'],
    ['DSR-2027-12345', 2027, 12345, 'DSR-2027-12345'],
  ])('parseRequestRef(%j) → %i #%i (%s)', (input, year, seq, ref) => {
    expect(parseRequestRef(input)).toEqual({ ok: true, value: { year, seq, ref } });
  });

  it.each(['DSR-26-0001', 'DSR-2026-0000', 'BR-2026-001', '2026-0001', 'DSR 2026 0001', ''])(
    'rejects %j and shows the form', (input) => {
      const result = parseRequestRef(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toContain('DSR-2026-0001');
    });

  it.each([[2026, 0], [26, 1], [2026, 1.5]])('formatRequestRef(%d, %d) is a fault', (year, seq) => {
    expect(() => formatRequestRef(year, seq)).toThrow(RangeError);
  });
});

describe('breach references', () => {
  it.each([
    [2026, 1, 'BR-2026-001'],
    [2026, 999, 'BR-2026-999'],
    [2026, 1000, 'BR-2026-1000'],
  ])('formatBreachRef(%i, %i) = %s', (year, seq, expected) => {
    expect(formatBreachRef(year, seq)).toBe(expected);
  });

  it.each([
    ['BR-2026-001', 'BR-2026-001'],
    ['br-2026-7', 'BR-2026-007'],
  ])('parseBreachRef(%j) → %s', (input, ref) => {
    const result = parseBreachRef(input);
    expect(result.ok && result.value.ref).toBe(ref);
  });

  it('rejects a request reference where a breach is expected', () => {
    const result = parseBreachRef('DSR-2026-0001');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain('BR-2026-001');
  });
});

describe('quarters and purge references', () => {
  it.each([
    ['2026-01-01', 1, 'PURGE-2026-Q1'],
    ['2026-03-31', 1, 'PURGE-2026-Q1'],
    ['2026-04-01', 2, 'PURGE-2026-Q2'],
    ['2026-07-01', 3, 'PURGE-2026-Q3'],
    ['2026-09-30', 3, 'PURGE-2026-Q3'],
    ['2026-10-01', 4, 'PURGE-2026-Q4'],
    ['2026-12-31', 4, 'PURGE-2026-Q4'],
  ])('%s is quarter %i: %s', (date, quarter, ref) => {
    expect(quarterOf(date)).toBe(quarter);
    expect(purgeRef(date)).toBe(ref);
  });

  it('refuses a malformed date as a fault', () => {
    expect(() => quarterOf('2026-13-01')).toThrow(RangeError);
  });
});
