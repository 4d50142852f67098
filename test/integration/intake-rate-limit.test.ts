import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHAT_INTAKE_LIMIT } from '../../src/services/rate-limit.js';
import { commandDriver, createTestServices, slackUser, teamsUser, type CommandDriver, type TestServices } from '../support/service-context.js';

/** `/dsr new` per person (a runaway script or a compromised account cannot flood the register). */
let t: TestServices;
let d: CommandDriver;

beforeEach(async () => {
  t = await createTestServices();
  d = commandDriver(t);
});
afterEach(async () => { await t.drop(); });

describe('the per-person limit on /dsr new', () => {
  it('takes 30 requests an hour from one person, then answers privately and logs nothing, until the hour turns', async () => {
    const clerk = slackUser('UCLERK');
    for (let i = 0; i < CHAT_INTAKE_LIMIT.max; i += 1) await d.log(clerk, `access person${i}@example.com`);
    const refused = await d.refused(clerk, 'dsr', 'new access one.more@example.com', 'You have logged 30 requests in the last hour', 'nothing was logged', 'Try again in 60 minutes');
    expect(refused).not.toContain('one.more@example.com');
    expect(await t.db('requests').count<{ count: number }[]>('* as count')).toEqual([{ count: 30 }]);
    // Someone else, on either platform, is not held up by it.
    await d.log(slackUser('UOTHER'), 'access other@example.com');
    await d.log(teamsUser('29:clerk'), 'access teams@example.com');
    t.setNow('2026-03-02T11:00:00Z');
    await d.log(clerk, 'access one.more@example.com');
  });

  it('does not count mistakes: a malformed command is answered as before', async () => {
    const clerk = slackUser('UCLERK');
    for (let i = 0; i < 40; i += 1) await d.refused(clerk, 'dsr', 'new access not-an-email', 'has no @');
    await d.log(clerk, 'access fine@example.com');
  });
});
