import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One figure of a benchmark, with the floor it is compared against where there is one. */
export interface BenchFigure {
  readonly benchmark: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly floor?: number;
  /** The aim for this figure: at most `max`, of the ratio to the floor or of the value itself. */
  readonly aim?: Aim;
  readonly note?: string;
}

export interface Aim {
  readonly of: 'ratio' | 'value';
  readonly max: number;
  /** True when the aim is strictly below `max` (e.g. p99 < 100 ms), else at most `max`. */
  readonly strict?: boolean;
}

/** The aim in words and whether the figure meets it, e.g. ['≤ 1.5×', 'yes']. */
export function aimVerdict(f: BenchFigure): [string, string] {
  if (!f.aim) return ['', ''];
  const { of, max, strict } = f.aim;
  const sign = strict ? '<' : '≤';
  const label = of === 'ratio' ? `${sign} ${max}×` : `${sign} ${max} ${f.unit}`;
  const measured = of === 'ratio' ? (f.floor ? f.value / f.floor : Number.NaN) : f.value;
  if (!Number.isFinite(measured)) return [label, 'n/a'];
  return [label, (strict ? measured < max : measured <= max) ? 'met' : 'NOT met'];
}

export const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

export function machine(): Record<string, string | number> {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}`,
  };
}

/** Writes the figures of one benchmark file to results/<name>.json and prints them. */
export function recordBenchmark(name: string, figures: readonly BenchFigure[]): void {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, `${name}.json`), `${JSON.stringify({ name, machine: machine(), at: new Date().toISOString(), figures }, null, 2)}\n`);
  process.stdout.write(`${formatTable(figures)}\n`);
}

export function formatTable(figures: readonly BenchFigure[]): string {
  const rows = [['benchmark', 'metric', 'value', 'floor', 'ratio', 'aim', 'verdict', 'note'], ...figures.map((f) => [
    f.benchmark, f.metric, `${round(f.value)} ${f.unit}`, f.floor === undefined ? '' : `${round(f.floor)} ${f.unit}`,
    f.floor === undefined || f.floor === 0 ? '' : `${(f.value / f.floor).toFixed(2)}×`, ...aimVerdict(f), f.note ?? '',
  ])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r, n) => {
    const line = r.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ');
    return n === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}` : line;
  }).join('\n');
}

function round(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toFixed(3);
}

/** Peak resident memory of this process so far, in MiB (Linux: VmHWM). */
export function peakRssMiB(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch { /* not Linux */ }
  return process.memoryUsage().rss / 2 ** 20;
}

/** Peak resident memory of another process (e.g. the service under test), in MiB. */
export function peakRssOfMiB(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
