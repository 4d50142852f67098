import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, startHttpServer, type HttpServer } from '../../src/http/server.js';
import { upsertMember } from '../../src/register/committee.js';
import type { SlackAdapter } from '../../src/slack/slack-app.js';
import { slackAdapterWithInbox } from '../support/chat-inbox.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { createTestServices, type TestServices } from '../support/service-context.js';
import { send, slashCommand } from '../support/slack-requests.js';

/**
 * Slack's names, for the places Slack cannot render `<@U…>` (a Teams card, plain text): asked of
 * users.info in the background, never before the ack or the answer, once per person, and asked again
 * after a failure. A Teams member in a Slack answer is shown by the name Teams gave.
 */
const SECRET = 'test-signing-secret-0123456789';
const signed = { secret: SECRET };

describe('Slack display names', () => {
  let fake: FakeSlack;
  let t: TestServices;
  let server: HttpServer;
  let adapter: SlackAdapter;
  let url: string;
  const command = (userId: string, text: string, id: string) =>
    send(url, slashCommand({ command: '/gov', text, userId, responseUrl: fake.responseUrl(id) }, signed));
  const nameOf = async (identity: string) => (await t.db('display_names').where({ identity }).first<{ name: string } | undefined>('name'))?.name;
  const until = async <T>(probe: () => Promise<T | undefined>): Promise<T> => {
    for (let i = 0; i < 100; i += 1) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('timed out');
  };

  beforeAll(async () => {
    fake = await startFakeSlack();
    t = await createTestServices({ env: { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl } });
    const app = createHttpApp(t.db);
    adapter = slackAdapterWithInbox({ config: t.ctx.config, services: t.ctx, app, logger: t.ctx.logger });
    server = await startHttpServer({ app, host: '127.0.0.1', port: 0, logger: t.ctx.logger });
    url = `http://127.0.0.1:${server.port}/slack/events`;
    await upsertMember(t.db, { platform: 'slack', userId: 'UCHAIR', role: 'chair', addedBy: 'test' });
    await upsertMember(t.db, { platform: 'teams', userId: 'aaaaaaaa-0000-4000-8000-000000000009', role: 'member', addedBy: 'test' });
    await t.db('display_names').insert({ identity: 'teams:aaaaaaaa-0000-4000-8000-000000000009', name: 'Tess Teams' });
  });

  afterAll(async () => {
    await server?.close();
    await adapter?.stop();
    await fake?.close();
    await t?.drop();
  });

  it('answers a command while users.info has not answered, naming a Teams member by her Teams name', async () => {
    fake.failNext(1, { kind: 'hang' }, 'users.info');
    expect((await command('UCHAIR', 'members', 'members-1')).status).toBe(200);
    const answer = await fake.waitForResponse('members-1');
    // Slack renders its own members' mentions; the Teams member is named as Teams named her.
    expect(JSON.stringify(answer.body)).toContain('<@UCHAIR>');
    expect(JSON.stringify(answer.body)).toContain('Tess Teams on teams');
    expect(JSON.stringify(answer.body)).not.toContain('aaaaaaaa-0000-4000-8000-000000000009');
    expect(await nameOf('slack:UCHAIR')).toBeUndefined(); // still waiting on Slack
  });

  it('asks Slack once per person, and again after a failure', async () => {
    fake.failNext(1, { kind: 'slack-error', error: 'user_not_found' }, 'users.info');
    await command('UMEMBER', 'help', 'help-1');
    await fake.waitForResponse('help-1');
    await fake.waitForCall('users.info', (c) => c.body.user === 'UMEMBER');
    await command('UMEMBER', 'help', 'help-2');
    expect(await until(() => nameOf('slack:UMEMBER'))).toBe('User UMEMBER');
    await command('UMEMBER', 'help', 'help-3');
    await fake.waitForResponse('help-3');
    expect(fake.callsTo('users.info').filter((c) => c.body.user === 'UMEMBER')).toHaveLength(2);
  });

  it('learns the name of someone a chair adds by mention', async () => {
    await command('UCHAIR', 'members add <@UNEWBIE|newbie>', 'add-1');
    expect(JSON.stringify((await fake.waitForResponse('add-1')).body)).toContain('<@UNEWBIE> is now a member');
    expect(await until(() => nameOf('slack:UNEWBIE'))).toBe('User UNEWBIE');
  });
});
