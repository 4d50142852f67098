import { createHash } from 'node:crypto';

/**
 * A fixed piece of work (objects built, JSON written and read back, SHA-256 of what was written),
 * timed before the benches and after them: the same work each time, so a difference between runs
 * of `npm run bench`, or between the start and end of one, is the machine's speed, not govbot's.
 * On a shared virtual machine that speed can move by half within an hour, and every latency figure
 * moves with it. Best of three, in milliseconds.
 */
export function timeFixedWork(): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run += 1) {
    const started = performance.now();
    const hash = createHash('sha256');
    for (let batch = 0; batch < 20; batch += 1) {
      const rows = Array.from({ length: 5_000 }, (_, i) => ({ id: batch * 5_000 + i, reference: `DSR-2026-${i}`, status: i % 3 === 0 ? 'open' : 'closed', at: new Date(1_767_225_600_000 + i * 60_000).toISOString() }));
      const text = JSON.stringify(rows);
      hash.update(text);
      if ((JSON.parse(text) as unknown[]).length !== rows.length) throw new Error('the speed check read back the wrong number of rows');
    }
    hash.digest('hex');
    best = Math.min(best, performance.now() - started);
  }
  return best;
}
