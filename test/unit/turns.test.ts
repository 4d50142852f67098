import { describe, expect, it } from 'vitest';
import { turns } from '../../src/services/turns.js';

/** A few at a time, the rest in arrival order; a failure gives its turn up like a success. */
describe('turns', () => {
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('runs at most the number given at once, and the others in the order they came', async () => {
    const gate = turns(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const releases: (() => void)[] = [];
    const all = Array.from({ length: 5 }, (_, i) => gate.run(async () => {
      started.push(i);
      running += 1;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => releases.push(resolve));
      running -= 1;
      return i;
    }));
    await tick();
    expect(started).toEqual([0, 1]);
    releases.shift()!();
    await tick();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    while (releases.length > 0 || started.length < 5) {
      releases.shift()?.();
      await tick();
    }
    expect(await Promise.all(all)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it('gives the turn of work that failed to the next, and passes the failure on', async () => {
    const gate = turns(1);
    const failed = gate.run(async () => { throw new Error('no'); });
    const next = gate.run(async () => 'done');
    await expect(failed).rejects.toThrow('no');
    expect(await next).toBe('done');
    expect(await gate.run(async () => 'again')).toBe('again');
  });

  it('refuses fewer than one at a time', () => {
    expect(() => turns(0)).toThrow(RangeError);
  });
});
