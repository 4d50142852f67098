import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoMillis } from '../../src/register/binary-copy.js';

/** The import sends instants as numbers: a misread digit would store a wrong date for good. */
describe('isoMillis', () => {
  it('agrees with Date.parse on every instant toISOString can write, years 0 to 9999 and beyond', () => {
    fc.assert(fc.property(fc.date({ min: new Date('-000100-01-01T00:00:00Z'), max: new Date('+012000-12-31T23:59:59Z'), noInvalidDate: true }), (date) => {
      const iso = date.toISOString();
      expect(isoMillis(iso)).toBe(Date.parse(iso));
      expect(isoMillis(iso)).toBe(date.getTime());
    }), { numRuns: 2000 });
  });

  it('reads the years a two-digit Date.UTC would shift, and other forms, as Date.parse does', () => {
    for (const iso of ['0001-01-01T00:00:00.000Z', '0099-12-31T23:59:59.999Z', '1999-02-28T12:00:00.000Z', '2024-02-29T00:00:00.000Z', '2024-03-01T09:30:00Z', '2024-03-01T09:30:00.000+01:00']) {
      expect(isoMillis(iso)).toBe(Date.parse(iso));
    }
  });
});
