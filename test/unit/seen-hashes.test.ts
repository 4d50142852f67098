import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeenHashes } from '../../src/register/seen-hashes.js';

/**
 * The import tells its decision statement which CRM ids may repeat in a batch; an id that does
 * repeat and is not named would load its earlier row over its later one. So: never a miss.
 */
describe('SeenHashes', () => {
  it('says "seen" for every key added before, through growth, and for no key on its first add', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 300 }), (keys) => {
      const seen = new SeenHashes();
      const exact = new Set<number>();
      for (const key of keys) {
        expect(seen.add(key)).toBe(exact.has(key === 0 ? 1 : key));
        exact.add(key === 0 ? 1 : key);
      }
    }));
  });

  it('holds 200,000 distinct keys (past its first size) and forgets them all on clear', () => {
    const seen = new SeenHashes();
    for (let i = 1; i <= 200_000; i += 1) expect(seen.add(Math.imul(i, 2_654_435_761))).toBe(false);
    for (let i = 1; i <= 200_000; i += 7) expect(seen.add(Math.imul(i, 2_654_435_761))).toBe(true);
    seen.clear();
    expect(seen.add(Math.imul(1, 2_654_435_761))).toBe(false);
  });
});
