import { describe, expect, it } from 'vitest';
import { aimVerdict, formatTable, type BenchFigure } from '../bench/results.js';

/** The bench table says, for each figure the issue set an aim for, the aim and whether it is met. */
describe('benchmark aims', () => {
  const sweep = (value: number): BenchFigure => ({ benchmark: 'sweep', metric: 'wall time', value, unit: 's', floor: 2, aim: { of: 'ratio', max: 1.5 } });
  const ack = (value: number): BenchFigure => ({ benchmark: 'slack ack', metric: 'p99', value, unit: 'ms', aim: { of: 'value', max: 100, strict: true } });

  it.each([
    ['a ratio at the aim is met', sweep(3), ['≤ 1.5×', 'met']],
    ['a ratio above the aim is not', sweep(3.2), ['≤ 1.5×', 'NOT met']],
    ['a value under a strict aim is met', ack(99.9), ['< 100 ms', 'met']],
    ['a value equal to a strict aim is not', ack(100), ['< 100 ms', 'NOT met']],
    ['a ratio without its floor cannot be judged', { ...sweep(3), floor: undefined }, ['≤ 1.5×', 'n/a']],
    ['a figure without an aim has none', { benchmark: 'idle', metric: 'CPU', value: 1, unit: '%' }, ['', '']],
  ] as const)('%s', (_, figure, expected) => {
    expect(aimVerdict(figure)).toEqual(expected);
  });

  it('prints the aim and the verdict beside the ratio', () => {
    const table = formatTable([sweep(4)]).split('\n');
    expect(table[0]).toMatch(/ratio \| aim +\| verdict/);
    expect(table[2]).toMatch(/2\.00× \| ≤ 1\.5× \| NOT met/);
  });
});
