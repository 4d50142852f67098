import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../../src/chat/card.js';
import { parseConfig } from '../../src/config.js';
import { deliverOutbox } from '../../src/jobs/deliver-outbox.js';
import type { JobContext } from '../../src/jobs/job.js';
import { createLogger } from '../../src/logger.js';
import { postCard, updateCard } from '../../src/services/card-messages.js';
import { setCommitteeChannel } from '../../src/services/committee-channel.js';
import { createSlackPort } from '../../src/slack/slack-port.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * Slack misbehaving, seen through the real Web API client: a 500, a 429 with Retry-After and a
 * hang each delay the card, none loses it, and none makes it arrive twice.
 */
describe('delivering cards while Slack misbehaves', () => {
  let t: TestDatabase;
  let fake: FakeSlack;
  let ctx: JobContext;
  const card = (status: string): Card => ({ key: 'request:1', reference: 'DSR-2026-0001', title: 'Erasure request DSR-2026-0001', status, facts: [], sections: [], summary: `DSR-2026-0001 ${status}` });
  // Outbox rows carry the database's now(); the job's clock runs from just after it.
  let start = Date.now() + 1_000;
  const at = (seconds: number) => new Date(start + seconds * 1000);
  const pending = async () => Number((await t.db('outbox').where({ status: 'pending' }).count<{ count: number }[]>('* as count'))[0]!.count);

  beforeAll(async () => {
    t = await createTestDatabase();
    fake = await startFakeSlack();
    const config = parseConfig({ LOG_LEVEL: 'silent' }, process.cwd());
    ctx = { db: t.db, config, logger: createLogger(config), pepper: 'test-pepper-0123456789abcdef' };
    await setCommitteeChannel(t.db, { platform: 'slack', channel: 'C0COMMITTEE' }, 'slack:UCHAIR');
    start = Date.now() + 1_000; // after the set-up, however long it took under load
  });
  afterAll(async () => {
    await fake.close();
    await t.drop();
  });

  it('retries through a 500, a 429 and a hang, then posts once and updates that message', async () => {
    const port = createSlackPort({ token: 'xoxb-test', apiUrl: fake.apiUrl, logger: ctx.logger, timeoutMs: 500 });
    const ports = new Map([['slack' as const, port]]);
    await t.db.transaction(async (trx) => {
      await postCard(trx, 'slack', card('received'));
      await updateCard(trx, 'slack', card('identity verified'));
    });

    fake.failNext(1, { kind: 'http', status: 500 }, 'chat.postMessage');
    await deliverOutbox(ctx, ports, at(0));
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(await pending()).toBe(2);

    fake.failNext(1, { kind: 'rate-limited', retryAfterSeconds: 30 }, 'chat.postMessage');
    await deliverOutbox(ctx, ports, at(60));
    expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
    const row = await t.db('outbox').orderBy('id').first<{ next_attempt_at: Date; attempts: number }>('next_attempt_at', 'attempts');
    expect(row!.next_attempt_at.getTime()).toBeGreaterThanOrEqual(at(60).getTime() + 30_000);

    await deliverOutbox(ctx, ports, at(70));
    expect(fake.callsTo('chat.postMessage')).toHaveLength(2); // Retry-After is respected

    fake.failNext(1, { kind: 'hang' }, 'chat.postMessage');
    await deliverOutbox(ctx, ports, at(120));
    expect(fake.callsTo('chat.postMessage')).toHaveLength(3);
    expect(await pending()).toBe(2);

    await deliverOutbox(ctx, ports, at(3_600));
    // Every attempt before this one failed, so exactly one message reached the channel...
    expect(fake.callsTo('chat.postMessage')).toHaveLength(4);
    const ts = (await t.db('chat_messages').where({ card_key: 'request:1' }).first<{ message_id: string }>('message_id'))!.message_id;
    // ...and the update edited that message in place.
    const updates = fake.callsTo('chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.body.ts).toBe(ts);
    expect(String(updates[0]!.body.text)).toContain('identity verified');
    expect(await pending()).toBe(0);

    await deliverOutbox(ctx, ports, at(7_200));
    expect(fake.callsTo('chat.postMessage')).toHaveLength(4);
    expect(fake.callsTo('chat.update')).toHaveLength(1);
  });
});
