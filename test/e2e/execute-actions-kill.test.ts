import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, requireBuild, runCli, scratchDir, startServiceProcess, type RunningService } from '../support/processes.js';
import { seedApprovedErasures } from '../support/seed-requests.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The service killed with SIGKILL while execute-actions is carrying out approved erasures, then
 * started again: every action finishes, each exactly once, and the audit chain is intact.
 */
const ACTIONS = 400;
const PEPPER = 'kill-test-pepper-0123456789abcdef';

describe('execute-actions across a kill -9', () => {
  let t: TestDatabase;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const running: RunningService[] = [];
  const count = async (sql: string) => Number((await t.db.raw<{ rows: { n: number }[] }>(sql)).rows[0]!.n);

  beforeAll(async () => {
    requireBuild();
    t = await createTestDatabase();
    dir = scratchDir('govbot-kill-actions-');
    env = cleanEnv({ DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), PORT: '0', SUPPRESSION_PEPPER: PEPPER });
    await seedApprovedErasures(t.db, PEPPER, ACTIONS);
  });
  afterAll(async () => {
    for (const service of running) if (service.child.exitCode === null) { service.child.kill('SIGKILL'); await service.exited; }
    await t.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finishes every action once after a restart', async () => {
    const first = await startServiceProcess(env, dir);
    running.push(first);
    let done = 0;
    for (let i = 0; i < 600 && done === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      done = await count(`select count(*)::int as n from actions where status = 'done'`);
    }
    first.child.kill('SIGKILL');
    await first.exited;
    const doneAtKill = await count(`select count(*)::int as n from actions where status = 'done'`);
    expect(doneAtKill).toBeGreaterThan(0);
    expect(doneAtKill).toBeLessThan(ACTIONS);

    const second = await startServiceProcess(env, dir);
    running.push(second);
    for (let i = 0; i < 1200; i += 1) {
      if (await count(`select count(*)::int as n from actions where status = 'done'`) === ACTIONS) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    second.child.kill('SIGTERM');
    await second.exited;

    expect(await count(`select count(*)::int as n from actions where status = 'done'`)).toBe(ACTIONS);
    expect(await count(`select count(*)::int as n from contacts where external_id like 'KILL-%'`)).toBe(0);
    expect(await count(`select count(*)::int as n from contact_tombstones`)).toBe(ACTIONS);
    expect(await count(`select count(*)::int as n from requests where status = 'completed'`)).toBe(ACTIONS);
    // One completion event per action: none was carried out twice.
    expect(await count(`select count(*)::int as n from (select subject from audit_events where action = 'action.executed' group by subject having count(*) > 1) twice`)).toBe(0);
    expect(await count(`select count(*)::int as n from audit_events where action = 'action.executed'`)).toBe(ACTIONS);
    const audit = await runCli(['audit', 'verify'], env, dir);
    expect(audit.code, audit.stderr).toBe(0);
  }, 240_000);
});
