import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { suppressionHash } from '../../src/domain/suppression.js';
import type { Db } from '../../src/register/database.js';
import { insertRequest, updateRequest } from '../../src/register/requests.js';
import { recomputeLegacyClocks } from '../../src/services/recompute-clocks.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * Requests written under the old model (every wait a pause added to the due date) are recomputed
 * from their history under Art 12A, once, with an audit event for each one whose clock changed.
 * The rows are shaped as migration 20261206090100 leaves them: `clock_model = 1`, old dates kept.
 */
const NOW = new Date('2026-07-01T09:00:00Z');
let sequence = 0;

async function legacy(db: Db, seed: { type: 'access' | 'erasure'; receivedOn: string; dueOn: string; pausedDays: number; waits: [string, string, string | null][]; closed?: boolean }): Promise<string> {
  return db.transaction(async (trx) => {
    const n = ++sequence;
    const row = await insertRequest(trx, {
      reference: `DSR-2026-${String(n).padStart(4, '0')}`, type: seed.type, subject_email: `s${n}@example.com`, subject_name: null,
      subject_hmac: suppressionHash('pepper-0123456789abcdef', `s${n}@example.com`), contact_id: null, received_via: 'email', agent_name: null,
      controller: null, received_on: seed.receivedOn, due_on: seed.dueOn, possible_repeat_of: null, requested_by: 'slack:U1', details: { platform: 'slack' },
    });
    await updateRequest(trx, row.id, { clock_model: 1, relevant_on: seed.receivedOn, paused_days: seed.pausedDays, ...(seed.closed ? { status: 'completed', closed_at: NOW } : {}) });
    for (const [kind, from, to] of seed.waits) {
      await trx('request_pauses').insert({ request_id: row.id, kind, paused_on: from, resumed_on: to, paused_by: 'slack:U1' });
    }
    return row.reference;
  });
}

describe('recomputing clocks written under the old model', () => {
  let t: TestDatabase;
  const refs: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestDatabase();
    refs.identity = await legacy(t.db, { type: 'access', receivedOn: '2026-06-08', dueOn: '2026-07-13', pausedDays: 3, waits: [['identity', '2026-06-08', '2026-06-10']] });
    refs.erasure = await legacy(t.db, { type: 'erasure', receivedOn: '2026-06-08', dueOn: '2026-07-20', pausedDays: 11, waits: [['clarification', '2026-06-10', '2026-06-20']] });
    refs.awaiting = await legacy(t.db, { type: 'access', receivedOn: '2026-06-15', dueOn: '2026-07-15', pausedDays: 0, waits: [['fee', '2026-06-20', null]] });
    refs.old = await legacy(t.db, { type: 'access', receivedOn: '2026-01-12', dueOn: '2026-02-19', pausedDays: 7, waits: [['clarification', '2026-01-14', '2026-01-20']], closed: true });
    refs.same = await legacy(t.db, { type: 'access', receivedOn: '2026-06-22', dueOn: '2026-07-22', pausedDays: 0, waits: [] });
  });
  afterAll(async () => { await t.drop(); });

  it('recomputes each from its history, records every change in the audit trail, and marks them all current', async () => {
    const config = parseConfig({ LOG_LEVEL: 'silent' }, process.cwd());
    expect(await recomputeLegacyClocks({ db: t.db, config }, NOW)).toEqual({ recomputed: 5, changed: 4 });
    const rows = await t.db('requests').orderBy('id').select('reference', 'due_on', 'relevant_on', 'paused_days', 'clock_model');
    expect(rows).toEqual([
      { reference: refs.identity, due_on: '2026-07-10', relevant_on: '2026-06-10', paused_days: 0, clock_model: 2 },
      { reference: refs.erasure, due_on: '2026-07-08', relevant_on: '2026-06-08', paused_days: 0, clock_model: 2 },
      { reference: refs.awaiting, due_on: null, relevant_on: null, paused_days: 0, clock_model: 2 },
      { reference: refs.old, due_on: '2026-02-12', relevant_on: '2026-01-12', paused_days: 0, clock_model: 2 },
      { reference: refs.same, due_on: '2026-07-22', relevant_on: '2026-06-22', paused_days: 0, clock_model: 2 },
    ]);
    const events = await t.db('audit_events').where({ action: 'request.clock_recomputed' }).orderBy('id').select('actor', 'subject', 'facts');
    expect(events.map((e: { subject: string }) => e.subject)).toEqual([refs.identity, refs.erasure, refs.awaiting, refs.old]);
    expect(events[0]).toEqual({ actor: 'govbot', subject: refs.identity, facts: { rule: 'article-12a', previous_due_on: '2026-07-13', due_on: '2026-07-10', previous_paused_days: 3, stopped_days: 0, relevant_on: '2026-06-10', ignored_waits: 0 } });
    expect(events[1].facts).toMatchObject({ previous_due_on: '2026-07-20', due_on: '2026-07-08', ignored_waits: 1 });
    expect(events[3].facts).toMatchObject({ rule: 'pre-2026', previous_due_on: '2026-02-19', due_on: '2026-02-12' });
    // Open requests' cards show the recomputed clock; closed ones are not posted again.
    const cards = await t.db('outbox').where({ operation: 'update' }).select('payload');
    expect(cards.map((c: { payload: { card: { reference: string } } }) => c.payload.card.reference)).toEqual([refs.identity, refs.erasure, refs.awaiting]);
  });

  it('runs once: a second start finds nothing to do', async () => {
    const config = parseConfig({ LOG_LEVEL: 'silent' }, process.cwd());
    expect(await recomputeLegacyClocks({ db: t.db, config }, NOW)).toEqual({ recomputed: 0, changed: 0 });
  });
});
