import v8 from 'node:v8';
import vm from 'node:vm';
import { inject } from 'vitest';
import { createKnex, type Db } from '../../src/register/database.js';
import { withDatabase } from '../support/global-setup.js';

/**
 * Helpers of the retention benchmark: databases copied from a seeded one (so the govbot run and its
 * floor start from identical data), and a timer that samples this process's memory while it runs.
 */

/** A new database on the benchmark server, copied from `template` (which must have no connections). */
export async function copyDatabase(name: string, template: string): Promise<{ db: Db; drop(): Promise<void> }> {
  const serverUrl = inject('serverUrl');
  const admin = createKnex(serverUrl, { min: 0, max: 1 });
  try {
    await admin.raw(`drop database if exists ${name} with (force)`);
    await admin.raw(`create database ${name} template ${template}`);
  } finally {
    await admin.destroy();
  }
  const db = createKnex(withDatabase(serverUrl, name), { min: 0, max: 4 });
  return {
    db,
    drop: async () => {
      await db.destroy();
      const dropper = createKnex(serverUrl, { min: 0, max: 1 });
      await dropper.raw(`drop database if exists ${name} with (force)`);
      await dropper.destroy();
    },
  };
}

export interface Measured<T> {
  readonly value: T;
  readonly ms: number;
  /** This process's resident memory (MiB) when the work began and its peak while it ran. */
  readonly rssStartMiB: number;
  readonly rssPeakMiB: number;
  /** Peak minus start: what the work needed on this side of the connection. */
  readonly rssGrowthMiB: number;
  /**
   * Live JavaScript heap (MiB, measured right after a full collection) every 250 ms: flat means the
   * work's memory does not grow with the rows it has processed.
   */
  readonly liveHeapMiB: readonly number[];
}

const MiB = 2 ** 20;

/** A full collection on demand, whether or not node was started with --expose-gc. */
const collect: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
})();

/** Times `work`, sampling RSS every 10 ms and the live heap every 250 ms. */
export async function measure<T>(work: () => Promise<T>): Promise<Measured<T>> {
  collect();
  const start = process.memoryUsage().rss;
  let peak = start;
  const liveHeapMiB: number[] = [];
  const rss = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 10);
  const heap = setInterval(() => { collect(); liveHeapMiB.push(process.memoryUsage().heapUsed / MiB); }, 250);
  const began = performance.now();
  try {
    const value = await work();
    const ms = performance.now() - began;
    peak = Math.max(peak, process.memoryUsage().rss);
    // A last sample, so that even work shorter than the interval has one.
    collect();
    liveHeapMiB.push(process.memoryUsage().heapUsed / MiB);
    return { value, ms, rssStartMiB: start / MiB, rssPeakMiB: peak / MiB, rssGrowthMiB: (peak - start) / MiB, liveHeapMiB };
  } finally {
    clearInterval(rss);
    clearInterval(heap);
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Mean of a share of a trace (0.9 to 1: its last tenth). */
export function traceMean(trace: readonly number[], from: number, to: number): number {
  const part = trace.slice(Math.floor(trace.length * from), Math.max(Math.ceil(trace.length * to), Math.floor(trace.length * from) + 1));
  return part.reduce((a, b) => a + b, 0) / Math.max(part.length, 1);
}
