import fs from 'node:fs';
import path from 'node:path';
import { RESULTS_DIR, formatTable, machine, type BenchFigure } from './results.js';
import { timeFixedWork } from './speed-check.js';

/**
 * After every benchmark has run: one table of all figures, and one JSON file with them, beside the
 * machine's speed on a fixed piece of work before the benches and after them (speed-check.ts).
 */
export default function setup(): () => void {
  const started = Date.now();
  const before = timeFixedWork();
  return () => {
    const after = timeFixedWork();
    const note = 'the same JSON and SHA-256 work each time: a slower machine moves every latency figure with it';
    if (!fs.existsSync(RESULTS_DIR)) return;
    const files = fs.readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json') && f !== 'benchmarks.json');
    const runs = files.map((f) => JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, f), 'utf8')) as { at: string; figures: BenchFigure[] })
      .filter((run) => Date.parse(run.at) >= started);
    const figures = [
      ...runs.flatMap((run) => run.figures),
      { benchmark: 'machine speed check', metric: 'fixed work before the benches', value: before, unit: 'ms', note },
      { benchmark: 'machine speed check', metric: 'fixed work after them', value: after, unit: 'ms', note: 'best of 3 each' },
    ];
    fs.writeFileSync(path.join(RESULTS_DIR, 'benchmarks.json'), `${JSON.stringify({ machine: machine(), at: new Date().toISOString(), figures }, null, 2)}\n`);
    process.stdout.write(`\ngovbot benchmarks on ${JSON.stringify(machine())}\n${formatTable(figures)}\n`);
  };
}
