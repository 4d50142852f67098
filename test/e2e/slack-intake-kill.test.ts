import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_INTAKE_LIMIT } from '../../src/services/rate-limit.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { cleanEnv, requireBuild, scratchDir, startServiceProcess, type RunningService } from '../support/processes.js';
import { send, slashCommand } from '../support/slack-requests.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * A burst of `/dsr new`, every one acknowledged, then the service killed with SIGKILL at once,
 * before it could work through them, and started again: every acknowledged intake is logged,
 * each exactly once, and each person who typed one is answered with its reference.
 */
const SECRET = 'kill-signing-secret';
const INTAKES = 40;
const clerk = (i: number) => `U0KILL${String(Math.floor(i / CHAT_INTAKE_LIMIT.max)).padStart(2, '0')}`;

describe('Slack intakes across a kill -9 right after their acks', () => {
  let t: TestDatabase;
  let fake: FakeSlack;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const running: RunningService[] = [];
  const count = async (sql: string) => Number((await t.db.raw<{ rows: { n: number }[] }>(sql)).rows[0]!.n);

  beforeAll(async () => {
    requireBuild();
    t = await createTestDatabase();
    fake = await startFakeSlack();
    dir = scratchDir('govbot-kill-intake-');
    env = cleanEnv({
      DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), PORT: '0', SLACK_BOT_TOKEN: 'xoxb-kill', SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl, SLACK_COMMITTEE_CHANNEL: 'C0COMMITTEE', COMMITTEE_CHAIRS: 'slack:U0CHAIRA1,slack:U0CHAIRB1',
    });
  });
  afterAll(async () => {
    for (const service of running) if (service.child.exitCode === null) { service.child.kill('SIGKILL'); await service.exited; }
    await fake.close();
    await t.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('logs every acknowledged intake once after a restart, and answers each', async () => {
    const first = await startServiceProcess(env, dir);
    running.push(first);
    const url = `http://127.0.0.1:${first.port}/slack/events`;
    const statuses = await Promise.all(Array.from({ length: INTAKES }, async (_, i) => (await send(url, slashCommand({
      command: '/dsr', text: `new erasure kill.${i}@example.com Kill Person`, userId: clerk(i), responseUrl: fake.responseUrl(`kill-${i}`),
    }, { secret: SECRET }))).status));
    first.child.kill('SIGKILL');
    await first.exited;
    expect(statuses).toEqual(Array.from({ length: INTAKES }, () => 200));
    // The kill came before the work: some acknowledged intakes exist only in the inbox.
    const loggedAtKill = await count('select count(*)::int as n from requests');
    expect(await count('select count(*)::int as n from slack_inbox')).toBeGreaterThan(0);
    expect(loggedAtKill).toBeLessThan(INTAKES);

    const second = await startServiceProcess(env, dir);
    running.push(second);
    for (let i = 0; i < 1200; i += 1) {
      if (await count('select count(*)::int as n from slack_inbox') === 0 && await count('select count(*)::int as n from requests') >= INTAKES) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (let i = 0; i < INTAKES; i += 1) await fake.waitForResponse(`kill-${i}`);
    second.child.kill('SIGTERM');
    await second.exited;

    expect(await count('select count(*)::int as n from slack_inbox')).toBe(0);
    const logged = new Set(await t.db('requests').pluck('subject_email'));
    const missing = Array.from({ length: INTAKES }, (_, i) => i).filter((i) => !logged.has(`kill.${i}@example.com`))
      .map((i) => `kill.${i}: ${fake.responses.filter((r) => r.id === `kill-${i}`).map((r) => String(r.body.text)).join(' / ')}`);
    expect(missing, `${missing.join('\n')}\n${[first, second].map((s) => s.output().split('\n').filter((l) => /"level":(40|50)/.test(l)).join('\n')).join('\n')}`).toEqual([]);
    expect(await count('select count(*)::int as n from requests')).toBe(INTAKES);
    expect(await count('select count(distinct subject_email)::int as n from requests')).toBe(INTAKES);
    expect(await count(`select count(*)::int as n from proposals where kind = 'identity'`)).toBe(INTAKES);
    const references = await t.db('requests').orderBy('reference').pluck('reference');
    expect(new Set(references).size).toBe(INTAKES);
    for (let i = 0; i < INTAKES; i += 1) {
      const answers = fake.responses.filter((r) => r.id === `kill-${i}`).map((r) => String(r.body.text));
      const email = `kill.${i}@example.com`;
      const reference = (await t.db('requests').where({ subject_email: email }).first<{ reference: string }>())!.reference;
      expect(answers.some((text) => text.includes(`Logged ${reference}`)), `${email}: ${answers.join(' / ')}`).toBe(true);
    }
  }, 240_000);
});
