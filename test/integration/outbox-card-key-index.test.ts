import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, type TestServices } from '../support/service-context.js';

/**
 * Security finding 8: every lookup of a card's messages by key read the whole outbox, which grows
 * with every card ever sent. The planner's choice on a realistic table shows the index is used.
 */
let t: TestServices;
beforeAll(async () => {
  t = await createTestServices();
  await t.db.raw(`
    insert into outbox (platform, operation, channel, card_key, payload, status)
    select 'teams', 'update', 'C1', 'request:' || (n % 5000), '{"card": {}}'::jsonb, 'sent' from generate_series(1, 50000) n`);
  await t.db.raw('analyze outbox');
});
afterAll(async () => { await t.drop(); });

describe('outbox lookups by card key', () => {
  it('use an index, not a scan of the whole outbox', async () => {
    const plan = await t.db.raw<{ rows: { 'QUERY PLAN': string }[] }>(`
      explain select payload->'card' from outbox where platform = 'teams' and card_key = 'request:42' and payload->'card' is not null order by id desc limit 1`);
    const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toContain('outbox_card_key_idx');
    expect(text).not.toMatch(/Seq Scan on outbox/);
  });
});
