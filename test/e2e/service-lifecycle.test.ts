import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, requireBuild, scratchDir, startServiceProcess, runNode, MAIN, type RunningService } from '../support/processes.js';

/**
 * `npm start` as an operator sees it: zero configuration, an embedded database that survives a
 * kill -9, clean shutdown, and one clear line for each fault the operator must fix.
 */
describe('the service process', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const running: RunningService[] = [];

  beforeAll(() => {
    requireBuild();
    dir = scratchDir('govbot-e2e-');
    env = cleanEnv({ DATA_DIR: path.join(dir, 'data'), PORT: '0', SCHEDULER: 'off' });
  });
  afterAll(async () => {
    for (const service of running) {
      if (service.child.exitCode === null) service.child.kill('SIGTERM');
      await service.exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts with no configuration, survives kill -9 and stops cleanly on SIGTERM', async () => {
    const first = await startServiceProcess(env, dir);
    running.push(first);
    expect(first.output()).toContain('slack: off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on)');
    const health = await fetch(`http://127.0.0.1:${first.port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await fetch(`http://127.0.0.1:${first.port}/readyz`)).status).toBe(200);
    const metrics = await fetch(`http://127.0.0.1:${first.port}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toMatch(/^govbot_http_requests_total\{route="\/healthz",method="GET",status="200"\} 1$/m);
    expect(text).toMatch(/^govbot_outbox_pending 0$/m);
    expect(text).toMatch(/^govbot_open_requests\{days_left="overdue"\} 0$/m);

    first.child.kill('SIGKILL');
    await first.exited;

    const second = await startServiceProcess(env, dir);
    running.push(second);
    expect((await fetch(`http://127.0.0.1:${second.port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${second.port}/readyz`)).status).toBe(200);

    // A second service on the same data directory (another port) stops at once, with one line.
    const twin = await runNode(MAIN, [], { ...env, PORT: '0' }, dir);
    expect(twin.code).toBe(1);
    expect(twin.stderr.trim()).toBe(`govbot: another govbot service (pid ${second.child.pid}) is already running on DATA_DIR=${path.join(dir, 'data')}: stop it first, or give this one its own DATA_DIR`);
    expect((await fetch(`http://127.0.0.1:${second.port}/readyz`)).status).toBe(200);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(fs.existsSync(path.join(dir, 'data', 'govbot.pid'))).toBe(false);
    expect(second.output()).toContain('stopped cleanly');
    // The embedded server went down with it: nothing is left holding the data directory.
    const lock = path.join(dir, 'data', 'postgres', 'postmaster.pid');
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('refuses an occupied port with one line and exit code 1', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const result = await runNode(MAIN, [], { ...env, PORT: String(port) }, dir);
    blocker.close();
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`govbot: port ${port} on 127.0.0.1 is already in use (is govbot already running?): stop that process or choose another port, e.g. PORT=${port + 1}`);
  });

  it('refuses a bad variable with one line naming it, before touching anything', async () => {
    const result = await runNode(MAIN, [], { ...env, APPROVAL_QUORUM: 'two' }, dir);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('govbot: APPROVAL_QUORUM must be a whole number (got "two"); for example APPROVAL_QUORUM=2');
  });

  it('refuses an unreachable DATABASE_URL with one line saying what to check', async () => {
    const result = await runNode(MAIN, [], { ...env, DATABASE_URL: 'postgres://govbot:hunter2@127.0.0.1:1/govbot' }, dir);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^govbot: cannot connect to the database at 127\.0\.0\.1:1\/govbot: connection refused .*Check DATABASE_URL/);
    expect(result.stderr).not.toContain('hunter2');
  });
});
