import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/register/embedded-postgres.js';
import { cleanEnv, requireBuild, scratchDir, startServiceProcess, type RunningService } from '../support/processes.js';

/**
 * PostgreSQL restarted under the running service: /readyz reports the outage while it lasts, the
 * service stays up, and it reconnects by itself when the database is back.
 */
describe('a database restart under the running service', () => {
  let dir: string;
  let pg: EmbeddedPostgres;
  let service: RunningService;
  const options = () => ({ dataDir: path.join(dir, 'pg'), database: 'govbot', log: () => undefined, settings: { fsync: 'off' } });

  beforeAll(async () => {
    requireBuild();
    dir = scratchDir('govbot-pg-restart-');
    pg = await startEmbeddedPostgres(options());
    service = await startServiceProcess(cleanEnv({ DATABASE_URL: pg.url, DATA_DIR: path.join(dir, 'data'), PORT: '0', SCHEDULER: 'off' }), dir);
  });
  afterAll(async () => {
    if (service.child.exitCode === null) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const readyz = async () => {
    const response = await fetch(`http://127.0.0.1:${service.port}/readyz`);
    return { status: response.status, body: await response.json() as { status: string; reason?: string } };
  };
  const until = async (want: number) => {
    for (let i = 0; i < 200; i += 1) {
      const r = await readyz();
      if (r.status === want) return r;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`/readyz never answered ${want}`);
  };

  it('reports the outage on /readyz, stays alive, and reconnects', async () => {
    expect((await readyz()).status).toBe(200);
    const port = Number(new URL(pg.url).port);
    await pg.stop();

    const down = await until(503);
    expect(down.body.status).toBe('unavailable');
    expect(down.body.reason).toMatch(/^database unavailable/);
    expect((await fetch(`http://127.0.0.1:${service.port}/healthz`)).status).toBe(200);

    pg = await startEmbeddedPostgres({ ...options(), port });
    expect((await until(200)).body).toEqual({ status: 'ready' });
    expect(service.child.exitCode).toBeNull();
  });
});
