import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/chat/port.js';
import { createChatPorts } from '../../src/chat/ports.js';
import { parseConfig } from '../../src/config.js';
import { deliverOutbox } from '../../src/jobs/deliver-outbox.js';
import { createLogger } from '../../src/logger.js';
import { postCard } from '../../src/services/card-messages.js';
import { setCommitteeChannel, type CommitteeChannel } from '../../src/services/committee-channel.js';
import { createTeamsPort } from '../../src/teams/teams-port.js';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { createTestServices } from '../support/service-context.js';
import { COMMITTEE_CHANNEL } from '../support/teams-activities.js';

/**
 * Cards to Teams through the real Bot Framework client against a fake connector that fails on
 * demand: each failure becomes a DeliveryError that says whether and when to retry, and the
 * outbox keeps the card until the connector takes it.
 */
describe('Teams port (the outbox\'s way into Teams)', () => {
  let fake: FakeBotConnector;
  const config = parseConfig({ LOG_LEVEL: 'silent' }, process.cwd());
  const logger = createLogger({ logLevel: 'silent' });
  const card = { key: 'request:9', reference: 'DSR-2026-0009', title: 'Erasure request DSR-2026-0009', status: 'received', facts: [], sections: [], summary: 'DSR-2026-0009: erasure' };
  let channel: CommitteeChannel;
  beforeAll(async () => {
    fake = await startFakeBotConnector();
    channel = { platform: 'teams', channel: COMMITTEE_CHANNEL, conversation: { channelId: 'msteams', serviceUrl: fake.serviceUrl, bot: { id: '28:bot' }, conversation: { id: COMMITTEE_CHANNEL, conversationType: 'channel' } } };
  });
  afterAll(async () => { await fake?.close(); });
  const port = () => createTeamsPort({ config, logger, timeoutMs: 300 })!;
  // The first call loads and sets up the Bot Framework client, which on a loaded machine can take
  // longer than the short timeout these tests give the connector itself.
  beforeAll(async () => { await createTeamsPort({ config, logger, timeoutMs: 10_000 })!.post(channel, { text: 'warming up' }); });
  const failure = async (send: Promise<unknown>) => send.then(() => { throw new Error('expected a DeliveryError'); }, (error: unknown) => error as DeliveryError);

  it('posts a card as a new message and returns its activity id, then updates it in place', async () => {
    const { messageId } = await port().post(channel, { card });
    const post = fake.posts(COMMITTEE_CHANNEL).at(-1)!;
    expect(messageId).toBe(post.createdId);
    expect(post.activityId).toBeNull();
    await port().update(channel, messageId, { ...card, status: 'completed' });
    expect(fake.updates(messageId).at(-1)!.body).toMatchObject({ id: messageId, type: 'message' });
  });

  it('posts a notice as plain text', async () => {
    await port().post(channel, { text: 'DSR-2026-0009 is due in 3 days' });
    expect(fake.posts(COMMITTEE_CHANNEL).at(-1)!.body).toMatchObject({ text: 'DSR-2026-0009 is due in 3 days', textFormat: 'plain' });
  });

  it('turns a 500 into a retryable failure, and a 429 into one that waits Retry-After', async () => {
    fake.failNext(1, { kind: 'http', status: 500 });
    const server = await failure(port().post(channel, { card }));
    expect(server).toBeInstanceOf(DeliveryError);
    expect(server.options).toEqual({});
    expect(server.message).toContain('HTTP 500');
    fake.failNext(1, { kind: 'rate-limited', retryAfterSeconds: 7 });
    const limited = await failure(port().update(channel, '1772445600001', card));
    expect(limited.options).toEqual({ retryAfterMs: 7000 });
  });

  it('gives up on a connector that does not answer, without its own retries', async () => {
    const before = fake.calls.length;
    fake.failNext(1, { kind: 'hang' });
    const started = Date.now();
    const hung = await failure(port().post(channel, { card }));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(hung.message).toMatch(/no answer within/);
    expect(hung.options.permanent).toBeUndefined();
    expect(fake.calls.length - before).toBe(1);
  });

  it('marks 401, 403 and 404 permanent, saying what to fix', async () => {
    for (const [status, hint] of [[401, 'MICROSOFT_APP_PASSWORD'], [403, 'add govbot to the team'], [404, 'gov channel set']] as const) {
      fake.failNext(1, { kind: 'http', status });
      const error = await failure(port().post(channel, { card }));
      expect(error.options.permanent).toBe(true);
      expect(error.message).toContain(hint);
    }
  });

  it('refuses a committee channel stored without a conversation reference', async () => {
    const error = await failure(port().post({ platform: 'teams', channel: COMMITTEE_CHANNEL }, { card }));
    expect(error.options.permanent).toBe(true);
    expect(error.message).toContain('gov channel set');
  });

  it('keeps a card in the outbox while the connector fails, and delivers it afterwards', async () => {
    const t = await createTestServices();
    try {
      await setCommitteeChannel(t.db, channel, 'teams:chair');
      await t.db.transaction((trx) => postCard(trx, 'teams', card));
      const ctx = { db: t.db, config, logger, pepper: 'p' };
      fake.failNext(1, { kind: 'http', status: 502 });
      expect(await deliverOutbox(ctx, createChatPorts(config, logger), new Date(Date.now() + 60_000))).toMatchObject({ retried: 1, sent: 0 });
      expect(await t.db('outbox').select('status', 'attempts')).toEqual([{ status: 'pending', attempts: 1 }]);
      expect(await deliverOutbox(ctx, createChatPorts(config, logger), new Date(Date.now() + 3_600_000))).toMatchObject({ sent: 1 });
      expect(await t.db('chat_messages').where({ platform: 'teams', card_key: 'request:9' }).first()).toMatchObject({ channel: COMMITTEE_CHANNEL });
    } finally {
      await t.drop();
    }
  });
});
