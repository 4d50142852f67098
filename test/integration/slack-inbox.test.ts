import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatchCommand } from '../../commands/dispatch.js';
import { claimInboxItem, finishInboxItem, markInboxItemStarted, recordInbound } from '../../src/register/slack-inbox.js';
import { CHAT_INTAKE_LIMIT } from '../../src/services/rate-limit.js';
import { createTestServices, slackUser, type TestServices } from '../support/service-context.js';

/**
 * The Slack inbox (work recorded before its ack): replays are refused in the recording statement,
 * a worker's claim hides the item from others, an item begun by a process that stopped is known as
 * such, and an intake taken up again is found by its delivery key rather than logged twice.
 */
let t: TestServices;

beforeEach(async () => { t = await createTestServices(); });
afterEach(async () => { await t.drop(); });

const item = (signature: string | null, n: number) => ({ signature, kind: 'test', payload: { n } });

describe('the Slack inbox', () => {
  it('records many requests in one statement, in order, and refuses replays within it and across calls', async () => {
    expect(await recordInbound(t.db, [item('a', 1), item('b', 2), item('a', 3), item(null, 4), item(null, 5)])).toEqual([true, true, false, true, true]);
    expect(await recordInbound(t.db, [item('b', 6), item('c', 7)])).toEqual([false, true]);
    const kept = await t.db('slack_inbox').orderBy('id').pluck('payload');
    expect(kept.map((p: { n: number }) => p.n)).toEqual([1, 2, 4, 5, 7]);
  });

  it('gives each item to one worker; one begun by a stopped worker comes back marked as interrupted', async () => {
    await recordInbound(t.db, [item(null, 1), item(null, 2)]);
    const first = await t.db.transaction(async (holding) => {
      const mine = await claimInboxItem(holding);
      // Another worker meanwhile skips the held item and takes the next.
      const other = await t.db.transaction(async (trx) => claimInboxItem(trx));
      expect(other?.payload).toEqual({ n: 2 });
      await markInboxItemStarted(t.db, mine!.id);
      return mine!;
      // Committing without finishing stands for a process that died mid-work: its lock is gone.
    });
    expect(first).toMatchObject({ payload: { n: 1 }, interrupted: false });
    const again = await t.db.transaction(async (trx) => {
      const taken = await claimInboxItem(trx);
      await finishInboxItem(trx, taken!.id);
      return taken;
    });
    expect(again).toMatchObject({ id: first.id, interrupted: true });
    expect(await t.db('slack_inbox').pluck('id')).toHaveLength(1);
    expect(await t.db('slack_inbox_starts').where({ inbox_id: first.id })).toHaveLength(0);
  });

  it('an intake taken up again after an interruption is answered with the request it logged, logged once and counted once', async () => {
    const clerk = slackUser('UCLERK');
    const delivery = { key: 'slack:41', again: false };
    const first = await dispatchCommand({ services: { ...t.ctx, delivery }, actor: clerk }, 'dsr', 'new access again@example.com Again Person');
    const second = await dispatchCommand({ services: { ...t.ctx, delivery: { ...delivery, again: true } }, actor: clerk }, 'dsr', 'new access again@example.com Again Person');
    expect(first.kind !== 'form' && first.text).toMatch(/^Logged DSR-2026-0001 \(access\)/);
    expect(second.kind !== 'form' && second.text).toBe(first.kind !== 'form' && first.text);
    expect(await t.db('requests').pluck('reference')).toEqual(['DSR-2026-0001']);
    expect(await t.db('proposals').where({ kind: 'identity' })).toHaveLength(1);
    // The limit counted the first delivery only: the clerk still has the rest of the hour's allowance.
    for (let i = 1; i < CHAT_INTAKE_LIMIT.max; i += 1) {
      const reply = await dispatchCommand({ services: t.ctx, actor: clerk }, 'dsr', `new access p${i}@example.com`);
      expect(reply.kind !== 'form' && reply.text).toMatch(/^Logged /);
    }
  });
});
