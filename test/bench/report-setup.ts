import fs from 'node:fs';
import path from 'node:path';
import { RESULTS_DIR, formatTable, machine, type BenchFigure } from './results.js';

/** After every benchmark has run: one table of all figures, and one JSON file with them. */
export default function setup(): () => void {
  const started = Date.now();
  return () => {
    if (!fs.existsSync(RESULTS_DIR)) return;
    const files = fs.readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json') && f !== 'benchmarks.json');
    const runs = files.map((f) => JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, f), 'utf8')) as { at: string; figures: BenchFigure[] })
      .filter((run) => Date.parse(run.at) >= started);
    const figures = runs.flatMap((run) => run.figures);
    fs.writeFileSync(path.join(RESULTS_DIR, 'benchmarks.json'), `${JSON.stringify({ machine: machine(), at: new Date().toISOString(), figures }, null, 2)}\n`);
    process.stdout.write(`\ngovbot benchmarks on ${JSON.stringify(machine())}\n${formatTable(figures)}\n`);
  };
}
