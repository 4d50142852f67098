import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Card } from '../../src/chat/card.js';
import { DeliveryError, type ChatPort, type OutgoingMessage } from '../../src/chat/port.js';
import { parseConfig } from '../../src/config.js';
import { BASE_RETRY_MS, deliverOutbox, deliverOutboxJob, MAX_RETRY_MS, NO_CHANNEL, retryDelayMs, SETUP_WAIT_MS } from '../../src/jobs/deliver-outbox.js';
import type { JobContext } from '../../src/jobs/job.js';
import { createLogger } from '../../src/logger.js';
import type { Platform } from '../../src/register/committee.js';
import { createKnex } from '../../src/register/database.js';
import { postCard, postNotice, updateCard } from '../../src/services/card-messages.js';
import { setCommitteeChannel, type CommitteeChannel } from '../../src/services/committee-channel.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** A chat platform in memory: records what it was sent, fails on demand, and takes a little time. */
class FakePort implements ChatPort {
  readonly posts: { channel: string; message: OutgoingMessage; messageId: string }[] = [];
  readonly updates: { channel: string; messageId: string; card: Card }[] = [];
  readonly failures: Error[] = [];
  private next = 0;
  constructor(readonly platform: Platform = 'slack') {}

  async post(channel: CommitteeChannel, message: OutgoingMessage): Promise<{ messageId: string }> {
    await sleep(Math.random() * 5);
    const failure = this.failures.shift();
    if (failure) throw failure;
    const messageId = `ts.${++this.next}`;
    this.posts.push({ channel: channel.channel, message, messageId });
    return { messageId };
  }

  async update(channel: CommitteeChannel, messageId: string, card: Card): Promise<void> {
    await sleep(Math.random() * 5);
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.updates.push({ channel: channel.channel, messageId, card });
  }
}

function card(key: string, status: string): Card {
  return { key, reference: 'DSR-2026-0001', title: 'Erasure request DSR-2026-0001', status, facts: [], sections: [], summary: status };
}

interface OutboxState { id: number; status: string; attempts: number; next_attempt_at: Date; last_error: string | null }

describe('deliver-outbox', () => {
  let t: TestDatabase;
  let ctx: JobContext;
  let port: FakePort;
  // Rows are created with the database's now(): run the clock from a little after it.
  const T = new Date(Date.now() + 60_000);
  const at = (ms: number) => new Date(T.getTime() + ms);

  beforeAll(async () => {
    t = await createTestDatabase();
    const config = parseConfig({ LOG_LEVEL: 'silent' }, process.cwd());
    ctx = { db: t.db, config, logger: createLogger(config), pepper: 'test-pepper-0123456789abcdef' };
    await setCommitteeChannel(t.db, { platform: 'slack', channel: 'C0COMMITTEE' }, 'slack:UCHAIR');
  });
  afterAll(async () => { await t.drop(); });
  beforeEach(async () => {
    port = new FakePort();
    await t.db('outbox').delete();
    await t.db('chat_messages').delete();
  });

  const ports = () => new Map<Platform, ChatPort>([['slack', port]]);
  const rows = () => t.db('outbox').orderBy('id').select<OutboxState[]>('id', 'status', 'attempts', 'next_attempt_at', 'last_error');

  it('posts a card, keeps its message id, and sends only the latest queued update, to that message', async () => {
    await t.db.transaction(async (trx) => {
      await postCard(trx, 'slack', card('request:1', 'received'));
      await updateCard(trx, 'slack', card('request:1', 'identity verified'));
      await updateCard(trx, 'slack', card('request:1', 'completed'));
    });
    expect(await deliverOutbox(ctx, ports(), T)).toEqual({ sent: 2, superseded: 1, retried: 0, waiting: 0, more: false });
    expect(port.posts).toEqual([{ channel: 'C0COMMITTEE', message: { card: card('request:1', 'received') }, messageId: 'ts.1' }]);
    expect(port.updates).toEqual([{ channel: 'C0COMMITTEE', messageId: 'ts.1', card: card('request:1', 'completed') }]);
    expect(await t.db('chat_messages').select('platform', 'card_key', 'channel', 'message_id')).toEqual([{ platform: 'slack', card_key: 'request:1', channel: 'C0COMMITTEE', message_id: 'ts.1' }]);
    expect((await rows()).every((r) => r.status === 'sent')).toBe(true);
    expect(await deliverOutbox(ctx, ports(), at(60_000))).toEqual({ sent: 0, superseded: 0, retried: 0, waiting: 0, more: false });
  });

  it('holds an update until its post is delivered; a rate-limited post waits out Retry-After', async () => {
    port.failures.push(new DeliveryError('slack rate limited', { retryAfterMs: 30_000 }));
    await t.db.transaction(async (trx) => {
      await postCard(trx, 'slack', card('request:2', 'received'));
      await updateCard(trx, 'slack', card('request:2', 'completed'));
    });
    expect(await deliverOutbox(ctx, ports(), T)).toMatchObject({ sent: 0, retried: 1 });
    const [post, update] = await rows();
    expect(post).toMatchObject({ status: 'pending', attempts: 1, last_error: 'slack rate limited', next_attempt_at: at(30_000) });
    expect(update).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await deliverOutbox(ctx, ports(), at(29_000))).toMatchObject({ sent: 0, retried: 0 });
    expect(port.updates).toEqual([]);

    expect(await deliverOutbox(ctx, ports(), at(30_000))).toMatchObject({ sent: 2 });
    expect(port.posts.map((p) => p.messageId)).toEqual(['ts.1']);
    expect(port.updates).toEqual([{ channel: 'C0COMMITTEE', messageId: 'ts.1', card: card('request:2', 'completed') }]);
  });

  it('backs off 5 s doubling per attempt, the cap for permanent errors, and never drops a message', async () => {
    expect([0, 1, 2, 10].map((n) => retryDelayMs(n, new Error('x')))).toEqual([BASE_RETRY_MS, 10_000, 20_000, MAX_RETRY_MS]);
    expect(retryDelayMs(3, new DeliveryError('slow down', { retryAfterMs: 0 }))).toBe(1_000);
    port.failures.push(new Error('socket hang up'), new Error('socket hang up'), new DeliveryError('not_in_channel', { permanent: true }));
    await t.db.transaction((trx) => postNotice(trx, 'slack', 'DSR-2026-0003 is due in 3 days.'));
    await deliverOutbox(ctx, ports(), T);
    expect((await rows())[0]).toMatchObject({ attempts: 1, next_attempt_at: at(5_000) });
    await deliverOutbox(ctx, ports(), at(5_000));
    expect((await rows())[0]).toMatchObject({ attempts: 2, next_attempt_at: at(15_000) });
    await deliverOutbox(ctx, ports(), at(15_000));
    expect((await rows())[0]).toMatchObject({ status: 'pending', attempts: 3, last_error: 'not_in_channel', next_attempt_at: at(15_000 + MAX_RETRY_MS) });
    await deliverOutbox(ctx, ports(), at(15_000 + MAX_RETRY_MS));
    expect((await rows())[0]).toMatchObject({ status: 'sent', attempts: 4, last_error: null });
    expect(port.posts.map((p) => p.message)).toEqual([{ text: 'DSR-2026-0003 is due in 3 days.' }]);
  });

  it('posts an update whose card was never posted, and keeps its id for the next update', async () => {
    await t.db.transaction((trx) => updateCard(trx, 'slack', card('request:4', 'completed')));
    expect(await deliverOutbox(ctx, ports(), T)).toMatchObject({ sent: 1 });
    expect(port.posts).toHaveLength(1);
    await t.db.transaction((trx) => updateCard(trx, 'slack', card('request:4', 'closed')));
    await deliverOutbox(ctx, ports(), at(1_000));
    expect(port.posts).toHaveLength(1);
    expect(port.updates).toEqual([{ channel: 'C0COMMITTEE', messageId: 'ts.1', card: card('request:4', 'closed') }]);
  });

  it('sends a message queued for a platform that is not connected to the other platform\'s committee channel', async () => {
    await t.db.transaction((trx) => postNotice(trx, 'teams', 'BR-2026-001: 12 hours left.'));
    expect(await deliverOutbox(ctx, ports(), T)).toMatchObject({ sent: 1 });
    expect(port.posts).toEqual([{ channel: 'C0COMMITTEE', message: { text: 'BR-2026-001: 12 hours left.' }, messageId: 'ts.1' }]);
  });

  it('keeps a card pending, attempts uncounted, until a committee channel exists on any connected platform, then posts and updates it there', async () => {
    const teams = new FakePort('teams');
    const both = new Map<Platform, ChatPort>([['slack', port], ['teams', teams]]);
    await t.db('settings').where({ key: 'committee_channel.slack' }).delete();
    try {
      await t.db.transaction((trx) => postCard(trx, 'slack', card('purge:1', 'proposed')));
      expect(await deliverOutbox(ctx, both, T)).toMatchObject({ waiting: 1 });
      expect((await rows())[0]).toMatchObject({ status: 'pending', attempts: 0, last_error: expect.stringContaining(NO_CHANNEL), next_attempt_at: at(SETUP_WAIT_MS) });
      expect(await deliverOutbox(ctx, new Map(), at(SETUP_WAIT_MS))).toMatchObject({ waiting: 1 });
      expect((await rows())[0]).toMatchObject({ attempts: 0, last_error: expect.stringContaining('no chat platform is connected') });

      await setCommitteeChannel(t.db, { platform: 'teams', channel: '19:committee@thread.tacv2' }, 'teams:chair');
      expect(await deliverOutbox(ctx, both, at(2 * SETUP_WAIT_MS))).toMatchObject({ sent: 1 });
      expect(teams.posts.map((p) => p.channel)).toEqual(['19:committee@thread.tacv2']);
      expect(port.posts).toEqual([]);
      // Later updates, still queued for Slack, edit the card where it is.
      await t.db.transaction((trx) => updateCard(trx, 'slack', card('purge:1', 'approved')));
      await setCommitteeChannel(t.db, { platform: 'slack', channel: 'C0COMMITTEE' }, 'slack:UCHAIR');
      expect(await deliverOutbox(ctx, both, at(3 * SETUP_WAIT_MS))).toMatchObject({ sent: 1 });
      expect(teams.updates).toEqual([{ channel: '19:committee@thread.tacv2', messageId: 'ts.1', card: card('purge:1', 'approved') }]);
      expect(port.posts).toEqual([]);
    } finally {
      await t.db('settings').where({ key: 'committee_channel.teams' }).delete();
      await setCommitteeChannel(t.db, { platform: 'slack', channel: 'C0COMMITTEE' }, 'slack:UCHAIR');
    }
  });

  it('stops between messages when asked to give way, in order and losing none, and goes on from there', async () => {
    await t.db.transaction(async (trx) => {
      for (let i = 0; i < 5; i += 1) await postNotice(trx, 'slack', `notice ${i}`);
    });
    let asked = 0;
    // Asked after each message: give way after the second one.
    const giving = { ...ctx, giveWay: () => ++asked === 2 };
    expect(await deliverOutbox(giving, ports(), T)).toEqual({ sent: 2, superseded: 0, retried: 0, waiting: 0, more: true });
    expect((await rows()).map((r) => r.status)).toEqual(['sent', 'sent', 'pending', 'pending', 'pending']);
    expect(await deliverOutbox(giving, ports(), T)).toEqual({ sent: 3, superseded: 0, retried: 0, waiting: 0, more: false });
    expect(port.posts.map((p) => ('text' in p.message ? p.message.text : null))).toEqual(['notice 0', 'notice 1', 'notice 2', 'notice 3', 'notice 4']);
  });

  it('with Slack off, the scheduled job leaves Slack messages pending and says how to turn it on', async () => {
    await t.db.transaction((trx) => postNotice(trx, 'slack', 'DSR-2026-0005 is due today.'));
    expect(await deliverOutboxJob.run(ctx, T)).toMatchObject({ waiting: 1, sent: 0 });
    expect((await rows())[0]).toMatchObject({ status: 'pending', attempts: 0, last_error: expect.stringContaining('SLACK_BOT_TOKEN') });
  });

  it('two runs at once on separate pools send every message exactly once', async () => {
    await t.db.transaction(async (trx) => {
      for (let i = 0; i < 30; i += 1) await postNotice(trx, 'slack', `notice ${i}`);
      for (let i = 0; i < 10; i += 1) {
        await postCard(trx, 'slack', card(`request:${100 + i}`, 'received'));
        await updateCard(trx, 'slack', card(`request:${100 + i}`, 'identity verified'));
        await updateCard(trx, 'slack', card(`request:${100 + i}`, 'completed'));
      }
    });
    port.failures.push(new DeliveryError('blip', { retryAfterMs: 1_000 }));
    const pools = [createKnex(t.url, { min: 0, max: 2 }), createKnex(t.url, { min: 0, max: 2 })];
    try {
      await Promise.all(pools.map((db) => deliverOutbox({ ...ctx, db }, ports(), T)));
      // The one rate-limited message is due again a second later.
      await Promise.all(pools.map((db) => deliverOutbox({ ...ctx, db }, ports(), at(1_000))));
    } finally {
      await Promise.all(pools.map((db) => db.destroy()));
    }
    expect((await rows()).every((r) => r.status === 'sent')).toBe(true);
    const texts = port.posts.map((p) => ('text' in p.message ? p.message.text : p.message.card.key));
    expect(texts.sort()).toEqual([...Array.from({ length: 30 }, (_, i) => `notice ${i}`), ...Array.from({ length: 10 }, (_, i) => `request:${100 + i}`)].sort());
    expect(port.updates).toHaveLength(10);
    const byId = new Map(port.posts.map((p) => [p.messageId, p]));
    for (const update of port.updates) {
      expect(update.card.status).toBe('completed');
      const posted = byId.get(update.messageId)?.message;
      expect(posted && 'card' in posted ? posted.card.key : null).toBe(update.card.key);
    }
  });
});
