import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLockFile } from '../../src/register/postgres-process.js';
import { activityText, startFakeBotConnector, type ConnectorCall, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { cleanEnv, requireBuild, scratchDir, startServiceProcess, type RunningService } from '../support/processes.js';
import { teamsUser } from '../support/teams-activities.js';
import { teamsDriver } from '../support/teams-driver.js';
import { tearDown } from '../support/e2e-teardown.js';

/**
 * The embedded PostgreSQL killed under the running service (`npm start`, no DATABASE_URL): the
 * database is the service's own, so the service does not limp on without it. It exits with one
 * line and code 1 for its supervisor, and the restart brings the database back with everything
 * that was acknowledged before.
 */
const CHAIR = teamsUser(31, 'Chair Ada');
const CLERK = teamsUser(32, 'Clerk Cy');

describe('the embedded database lost under the running service', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let fake: FakeBotConnector;
  const running: RunningService[] = [];

  beforeAll(async () => {
    requireBuild();
    dir = scratchDir('govbot-embedded-lost-');
    fake = await startFakeBotConnector();
    env = cleanEnv({ DATA_DIR: path.join(dir, 'data'), PORT: '0', LOG_FORMAT: 'json', COMMITTEE_CHAIRS: `teams:${CHAIR.aadObjectId}` });
  });
  afterAll(async () => {
    for (const service of running) await tearDown({ service });
    await tearDown({ fake, dir });
  });

  const start = async () => {
    const service = await startServiceProcess(env, dir);
    running.push(service);
    return { service, teams: teamsDriver(`http://127.0.0.1:${service.port}/api/messages`, fake) };
  };
  const personal = (replies: ConnectorCall[]) => replies
    .filter((r) => r.conversationId?.startsWith('a:personal-')).map((r) => activityText(r)).join('\n');

  it.each(['SIGKILL', 'SIGINT'] as const)('exits with one line and code 1 when PostgreSQL gets %s, and the restart has everything acknowledged', async (signal) => {
    const first = await start();
    const logged = await first.teams.say(CLERK, `dsr new erasure jo.${signal.toLowerCase()}@example.com Jo Bloggs`);
    const reference = /DSR-\d{4}-\d{4}/.exec(personal(logged.replies))?.[0];
    expect(reference, logged.text).toBeDefined();

    const postgres = readLockFile(path.join(dir, 'data', 'postgres'));
    expect(postgres).not.toBeNull();
    const mark = first.service.output().length;
    process.kill(postgres!.pid, signal);

    expect(await first.service.exited).toBe(1);
    const lines = first.service.output().slice(mark).trim().split('\n').filter(Boolean);
    expect(lines.filter((line) => line.includes('"stack"')), lines.join('\n')).toEqual([]);
    expect(lines.length, lines.join('\n')).toBeLessThanOrEqual(6);
    const fatal = lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    expect(fatal.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual([
      `the embedded PostgreSQL server (pid ${postgres!.pid}) in ${path.join(dir, 'data', 'postgres')} has stopped: exiting so that a restart (by systemd, Docker or npm start) starts it again`,
    ]);

    // What a supervisor does: start it again. The database comes back with the acknowledged request.
    const second = await start();
    const shown = await second.teams.say(CHAIR, `dsr show ${reference!}`);
    expect(shown.text).toContain(reference!);
    expect(shown.text).not.toMatch(/no request|not found/i);
    second.service.child.kill('SIGTERM');
    expect(await second.service.exited).toBe(0);
  }, 180_000);
});
