import { describe, expect, it } from 'vitest';
import { lastCompleteQuarter, parseQuarter, quarterOf, trendQuarters } from '../../src/reports/quarter.js';

describe('quarters', () => {
  it.each<[number, number, string, string]>([
    [2026, 1, '2026-01-01', '2026-03-31'],
    [2026, 2, '2026-04-01', '2026-06-30'],
    [2026, 3, '2026-07-01', '2026-09-30'],
    [2024, 4, '2024-10-01', '2024-12-31'],
  ])('%i-Q%i runs %s to %s', (year, q, start, end) => {
    expect(quarterOf(year, q)).toMatchObject({ start, end, key: `${year}-Q${q}` });
  });

  it('the last complete quarter on 2026-10-01 is 2026-Q3, on 2026-01-15 it is 2025-Q4', () => {
    expect(lastCompleteQuarter('2026-10-01').key).toBe('2026-Q3');
    expect(lastCompleteQuarter('2026-01-15').key).toBe('2025-Q4');
  });

  it('the trend window is the quarter and the four before it, across a year end', () => {
    expect(trendQuarters(quarterOf(2026, 1)).map((q) => q.key)).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1']);
  });
});

describe('parseQuarter: what a person types', () => {
  const today = '2026-11-20';
  const first = '2025-03-10';

  it.each<[string, string]>([
    ['2026-Q3', '2026-Q3'],
    [' 2025-q1 ', '2025-Q1'],
  ])('%j → %s', (input, key) => {
    const result = parseQuarter(input, today, first);
    expect(result.ok && result.value.key).toBe(key);
  });

  it.each<[string, string | null, RegExp]>([
    ['2026-Q5', first, /names quarter 5, but a year has four: Q1 \(Jan–Mar\) to Q4 \(Oct–Dec\), for example 2026-Q3/],
    ['2027-Q1', first, /2027-Q1 has not started yet \(it runs 2027-01-01 to 2027-03-31\)\. The last complete quarter is 2026-Q3/],
    ['2026-Q4', first, /2026-Q4 is still running until 2026-12-31/],
    ['2024-Q4', first, /2024-Q4 ended before the register's first record \(2025-03-10\).*first quarter with data is 2025-Q1/],
    ['2026-Q2', null, /holds no requests, breaches, complaints or purges yet/],
    ['Q3', first, /"Q3" is not a quarter: write it as YYYY-Qn, for example 2026-Q3/],
    ['last quarter', first, /is not a quarter/],
  ])('%j is refused: %s', (input, firstData, message) => {
    const result = parseQuarter(input, today, firstData);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});
