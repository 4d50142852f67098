import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'vitest';
import { cleanEnv, requireBuild, scratchDir, startServiceProcess } from '../support/processes.js';
import { peakRssOfMiB, recordBenchmark } from './results.js';

/**
 * (g) What an idle service costs: the running service (scheduler on, embedded PostgreSQL, nothing
 * to do) measured over IDLE_SECONDS once its start-up catch-up jobs have finished. CPU is the
 * process's own user + system time from /proc, as a share of one core.
 */
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
const SETTLE_MS = Number(process.env.BENCH_IDLE_SETTLE_SECONDS ?? 30) * 1000;

describe('idle service', () => {
  it('costs next to nothing while there is nothing to do', async () => {
    requireBuild();
    const dir = scratchDir('govbot-bench-idle-');
    const service = await startServiceProcess(cleanEnv({ DATA_DIR: path.join(dir, 'data'), PORT: '0', SCHEDULER: 'on' }), dir);
    try {
      await sleep(SETTLE_MS);
      const before = cpuSeconds(service.child.pid!);
      const started = Date.now();
      // Threads seen while idle that were not there before: a worker thread per tick would show here.
      const threads = new Set(threadIds(service.child.pid!));
      let newThreads = 0;
      while (Date.now() - started < IDLE_SECONDS * 1000) {
        await sleep(250);
        for (const id of threadIds(service.child.pid!)) if (!threads.has(id)) { threads.add(id); newThreads += 1; }
      }
      const used = cpuSeconds(service.child.pid!) - before;
      const share = (100 * used) / ((Date.now() - started) / 1000);
      recordBenchmark('idle', [
        { benchmark: `idle service, ${IDLE_SECONDS} s`, metric: 'CPU', value: share, unit: '% of a core', note: 'user + system time of the service process; the scheduler on' },
        { benchmark: `idle service, ${IDLE_SECONDS} s`, metric: 'threads started', value: newThreads, unit: 'threads', note: 'new threads of the service process while idle (a job worker is one)' },
        { benchmark: `idle service, ${IDLE_SECONDS} s`, metric: 'peak RSS', value: peakRssOfMiB(service.child.pid!), unit: 'MiB' },
      ]);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

function threadIds(pid: number): string[] {
  return fs.readdirSync(`/proc/${pid}/task`);
}

/** utime + stime of a process, in seconds (Linux: fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
