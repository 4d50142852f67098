import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/register/embedded-postgres.js';
import { cleanEnv, requireBuild, scratchDir, startServiceProcess } from '../support/processes.js';
import { recordBenchmark } from './results.js';

/**
 * (e) Start-up time to /readyz with the embedded PostgreSQL: a first start (initdb and every
 * migration) and a restart, beside the floor of starting the same PostgreSQL cluster alone.
 */
async function timeToReady(dir: string): Promise<number> {
  const started = Date.now();
  const service = await startServiceProcess(cleanEnv({ DATA_DIR: path.join(dir, 'data'), PORT: '0', SCHEDULER: 'off' }), dir);
  for (;;) {
    const response = await fetch(`http://127.0.0.1:${service.port}/readyz`).catch(() => null);
    if (response?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const ms = Date.now() - started;
  service.child.kill('SIGTERM');
  await service.exited;
  return ms;
}

describe('start-up', () => {
  it('is ready soon after start', async () => {
    requireBuild();
    const dir = scratchDir('govbot-bench-start-');
    try {
      const first = await timeToReady(dir);
      const restarts: number[] = [];
      for (let i = 0; i < 3; i += 1) restarts.push(await timeToReady(dir));
      const started = Date.now();
      const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), database: 'govbot', log: () => undefined });
      const floor = Date.now() - started;
      await pg.stop();
      const best = Math.min(...restarts);
      recordBenchmark('startup', [
        { benchmark: 'start to /readyz, first run', metric: 'wall time', value: first, unit: 'ms', note: 'initdb + 9+ migrations + node start' },
        { benchmark: 'start to /readyz, restart', metric: 'wall time (best of 3)', value: best, unit: 'ms', floor, note: 'floor: the embedded PostgreSQL alone' },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
