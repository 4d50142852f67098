import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKnex, type Db } from '../../src/register/database.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/register/embedded-postgres.js';
import { activityText, startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { cleanEnv, requireBuild, scratchDir, startServiceProcess, type RunningService } from '../support/processes.js';
import { COMMITTEE_CHANNEL, teamsUser } from '../support/teams-activities.js';
import { teamsDriver, type TeamsDriver } from '../support/teams-driver.js';
import { tearDown } from '../support/e2e-teardown.js';

/**
 * The operator's own PostgreSQL (DATABASE_URL) stopped and started again under the running service,
 * scheduler on: /readyz reports the outage while it lasts, the log says so in a few lines (no stack
 * trace per retry), the service stays up, and when the server is back it reconnects by itself: what
 * was acknowledged before is still there and a command typed afterwards is carried out in full.
 */
const CHAIR = teamsUser(21, 'Chair Ada');
const CLERK = teamsUser(22, 'Clerk Cy');

describe('a database restart under the running service', () => {
  let dir: string;
  let pg: EmbeddedPostgres;
  let fake: FakeBotConnector;
  let service: RunningService;
  let teams: TeamsDriver;
  const options = () => ({ dataDir: path.join(dir, 'pg'), database: 'govbot', log: () => undefined, settings: { fsync: 'off' } });

  beforeAll(async () => {
    requireBuild();
    dir = scratchDir('govbot-pg-restart-');
    pg = await startEmbeddedPostgres(options());
    fake = await startFakeBotConnector();
    service = await startServiceProcess(cleanEnv({
      DATABASE_URL: pg.url, DATA_DIR: path.join(dir, 'data'), PORT: '0', LOG_FORMAT: 'json',
      COMMITTEE_CHAIRS: `teams:${CHAIR.aadObjectId}`,
    }), dir);
    teams = teamsDriver(`http://127.0.0.1:${service.port}/api/messages`, fake);
  }, 90_000);
  afterAll(async () => {
    await tearDown({ service, fake });
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const readyz = async () => {
    const response = await fetch(`http://127.0.0.1:${service.port}/readyz`);
    return { status: response.status, body: await response.json() as { status: string; reason?: string } };
  };
  const until = async (want: number) => {
    for (let i = 0; i < 300; i += 1) {
      const r = await readyz();
      if (r.status === want) return r;
      await sleep(100);
    }
    throw new Error(`/readyz never answered ${want}`);
  };
  const logRequest = async (email: string) => {
    const said = await teams.say(CLERK, `dsr new erasure ${email} Jo Bloggs`);
    // The clerk's own answer (a card arriving in the channel meanwhile is not it).
    const answer = said.replies.filter((r) => r.conversationId?.startsWith('a:personal-')).map((r) => activityText(r)).join('\n');
    return /DSR-\d{4}-\d{4}/.exec(answer)?.[0];
  };
  const withRegister = async <T>(read: (db: Db) => Promise<T>): Promise<T> => {
    const db = createKnex(pg.url, { min: 0, max: 1 });
    try { return await read(db); } finally { await db.destroy(); }
  };

  it('reports the outage on /readyz, logs it in a few lines, reconnects, and loses nothing', async () => {
    expect((await teams.say(CHAIR, 'gov channel set')).text).toContain('This channel is now the committee channel');
    const before = await logRequest('jo.before@example.com');
    expect(before).toBeDefined();
    await teams.card(before!, () => true);
    expect((await readyz()).status).toBe(200);

    const port = Number(new URL(pg.url).port);
    const mark = service.output().length;
    await pg.stop();

    const down = await until(503);
    expect(down.body.status).toBe('unavailable');
    expect(down.body.reason).toMatch(/^database unavailable/);
    expect((await fetch(`http://127.0.0.1:${service.port}/healthz`)).status).toBe(200);
    // A command typed meanwhile is not acknowledged as logged, and the person is told so.
    const refused = await teams.say(CLERK, 'dsr new erasure jo.during@example.com Jo Bloggs');
    // Not recorded, so nothing was done: the person is told so, and to try again.
    expect(refused.text).toMatch(/^govbot could not reach its register just now, so nothing was recorded or done; please try again in a minute\./);
    expect(refused.text).not.toMatch(/DSR-/);
    // Long enough for each job loop and the outbox listener to retry several times.
    await sleep(12_000);
    for (let i = 0; i < 5; i += 1) await readyz();

    const outage = service.output().slice(mark).trim().split('\n').filter(Boolean);
    expect(outage.length, outage.join('\n')).toBeLessThanOrEqual(8);
    expect(outage.filter((line) => line.includes('"stack"')), outage.join('\n')).toEqual([]);
    expect(outage.filter((line) => line.includes('not ready: database unavailable'))).toHaveLength(1);
    expect(outage.filter((line) => line.includes('the outbox listener lost its connection'))).toHaveLength(1);
    expect(service.child.exitCode).toBeNull();

    pg = await startEmbeddedPostgres({ ...options(), port });
    expect((await until(200)).body).toEqual({ status: 'ready' });
    const after = await logRequest('jo.after@example.com');
    expect(after).toBeDefined();
    // Both acknowledged requests are in the register; the one refused during the outage is not.
    expect(await withRegister((db) => db('requests').orderBy('reference').pluck('reference'))).toEqual([before, after]);
    // And the queue runs again: the new request's card reaches the committee channel.
    await teams.card(after!, () => true);
    expect(fake.posts(COMMITTEE_CHANNEL).some((post) => JSON.stringify(post).includes(after!))).toBe(true);
    const recovered = service.output().slice(mark);
    expect(recovered).toContain('database available again');
    expect(recovered).toContain('ready again');
    expect(recovered).not.toContain('"stack"');
  }, 120_000);
});
