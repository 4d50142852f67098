import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_INTAKE_LIMIT } from '../../src/services/rate-limit.js';
import { activityText, startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { cleanEnv, requireBuild, scratchDir, startServiceProcess, type RunningService } from '../support/processes.js';
import { messageActivity, postActivity, teamsUser } from '../support/teams-activities.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * Teams messages are answered 200 once recorded, before their work: a burst of `dsr new`, every
 * one answered, then the service killed with SIGKILL at once and started again. Every answered
 * intake is logged, each exactly once, and each person is answered with its reference, also when
 * Teams delivers some of the messages again after the restart.
 */
const INTAKES = 40;
const clerk = (i: number) => teamsUser(500 + Math.floor(i / CHAT_INTAKE_LIMIT.max), 'Kill Clerk');

describe('Teams intakes across a kill -9 right after their 200s', () => {
  let t: TestDatabase;
  let fake: FakeBotConnector;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const running: RunningService[] = [];
  const count = async (sql: string) => Number((await t.db.raw<{ rows: { n: number }[] }>(sql)).rows[0]!.n);

  beforeAll(async () => {
    requireBuild();
    t = await createTestDatabase();
    fake = await startFakeBotConnector();
    dir = scratchDir('govbot-kill-teams-');
    env = cleanEnv({ DATABASE_URL: t.url, DATA_DIR: path.join(dir, 'data'), PORT: '0', COMMITTEE_CHAIRS: `teams:${teamsUser(1, 'Chair').aadObjectId}` });
  });
  afterAll(async () => {
    for (const service of running) if (service.child.exitCode === null) { service.child.kill('SIGKILL'); await service.exited; }
    await fake.close();
    await t.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('logs every answered intake once after a restart, and replies to each', async () => {
    const messages = Array.from({ length: INTAKES }, (_, i) => messageActivity({
      serviceUrl: fake.serviceUrl, from: clerk(i), text: `dsr new erasure kill.${i}@example.com Kill Person`, where: { kind: 'personal' },
    }));
    const first = await startServiceProcess(env, dir);
    running.push(first);
    const statuses = await Promise.all(messages.map(async (m) => (await postActivity(`http://127.0.0.1:${first.port}/api/messages`, m)).status));
    first.child.kill('SIGKILL');
    await first.exited;
    expect(statuses).toEqual(messages.map(() => 200));
    // The kill came before the work: some answered messages exist only in the inbox.
    expect(await count('select count(*)::int as n from slack_inbox')).toBeGreaterThan(0);
    expect(await count('select count(*)::int as n from requests')).toBeLessThan(INTAKES);

    const second = await startServiceProcess(env, dir);
    running.push(second);
    // Teams delivers a few again (it retries turns it thinks went unanswered): still acted on once.
    for (const again of messages.slice(0, 5)) expect((await postActivity(`http://127.0.0.1:${second.port}/api/messages`, again)).status).toBe(200);
    const replyTo = (id: string) => fake.calls.filter((c) => c.method === 'POST' && c.activityId === id).map((c) => activityText(c));
    for (let i = 0; i < 1200; i += 1) {
      if (await count('select count(*)::int as n from slack_inbox') === 0 && messages.every((m) => replyTo(m.id).length > 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    second.child.kill('SIGTERM');
    await second.exited;

    expect(await count('select count(*)::int as n from slack_inbox')).toBe(0);
    expect(await count('select count(*)::int as n from requests')).toBe(INTAKES);
    expect(await count('select count(distinct subject_email)::int as n from requests')).toBe(INTAKES);
    expect(await count(`select count(*)::int as n from proposals where kind = 'identity'`)).toBe(INTAKES);
    for (const [i, message] of messages.entries()) {
      const reference = (await t.db('requests').where({ subject_email: `kill.${i}@example.com` }).first<{ reference: string }>())!.reference;
      const answers = replyTo(message.id);
      expect(answers.some((text) => text.includes(`Logged ${reference}`)), `kill.${i}: ${answers.join(' / ')}`).toBe(true);
      // The redelivery got no answer of its own; work the kill interrupted after its reply may say it again.
      expect(answers.filter((text) => text.startsWith('Logged ')).length).toBeLessThanOrEqual(2);
    }
  }, 240_000);
});
