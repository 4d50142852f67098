import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as byBatch from '../../migrations/20261206181000_purge_items_by_batch.js';
import { retentionBounds } from '../../src/domain/purge.js';
import { createKnex } from '../../src/register/database.js';
import { runRetentionSweep } from '../../src/services/purge/sweep.js';
import { insertContacts, itemsOf } from '../support/purge-fixtures.js';
import { createTestServices, type TestServices } from '../support/service-context.js';

/**
 * Each batch's items are a partition of purge_items of their own, loaded before their key is built
 * (migration 20261206181000): a sweep that fails part-way must leave neither items nor a table, a
 * sweep that proposes nothing leaves no table, and batches stored before the migration keep every
 * item, both ways.
 */
const TZ = 'Europe/London';
const SWEEP_AT = new Date('2026-10-01T08:00:00Z');
const { cutoffStart } = retentionBounds('2026-10-01', 3, TZ);
const DAY = 86_400_000;
const lapsed = (email: string) => ({ email, first_collected_at: new Date(cutoffStart.getTime() - DAY) });

let t: TestServices;
let dataDir: string;
const sweep = () => runRetentionSweep(t.ctx, SWEEP_AT, { by: 'govbot', platform: null });

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-partitions-'));
  t = await createTestServices({ env: { DATA_DIR: dataDir, TIMEZONE: TZ, RETENTION_YEARS: '3', APPROVAL_QUORUM: '2' }, now: SWEEP_AT.toISOString() });
});
afterEach(async () => {
  await t.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Tables named purge_items_<n>, each with whether it is a partition of purge_items, its key's columns and fillfactor. */
async function batchTables(): Promise<{ name: string; attached: boolean; key: string | null; options: string[] | null }[]> {
  const result = await t.db.raw<{ rows: { name: string; attached: boolean; key: string | null; options: string[] | null }[] }>(`
    select c.relname as name, c.relispartition as attached, c.reloptions as options,
      (select pg_get_constraintdef(k.oid) from pg_constraint k where k.conrelid = c.oid and k.contype = 'p') as key
    from pg_class c where c.relkind = 'r' and c.relname ~ '^purge_items_[0-9]+$' order by c.relname`);
  return result.rows;
}

describe('purge items, a partition per batch', () => {
  it('stores a swept batch in its own partition, keyed and with fillfactor 40, read through purge_items', async () => {
    const ids = await insertContacts(t.db, [lapsed('a@example.com'), lapsed('b@example.com')]);
    const outcome = await sweep();
    if (outcome.kind !== 'proposed') throw new Error(outcome.kind);
    expect(await batchTables()).toEqual([{ name: `purge_items_${outcome.batchId}`, attached: true, key: 'PRIMARY KEY (batch_id, contact_id)', options: ['fillfactor=40'] }]);
    expect((await itemsOf(t.db, outcome.reference)).map((i) => i.contact_id)).toEqual(ids);
    // The key holds across the whole table, as before.
    await expect(t.db('purge_items').insert({ batch_id: outcome.batchId, contact_id: ids[0], reason: 'R2' })).rejects.toThrow(/duplicate key/);
  });

  it('leaves no half batch and no table when the sweep fails after loading its items, and a second run proposes it whole', async () => {
    await insertContacts(t.db, [lapsed('a@example.com'), lapsed('b@example.com'), lapsed('c@example.com')]);
    // A folder where the list is to be renamed into place: the rename fails after the items are loaded.
    const blocker = path.join(dataDir, 'exports', 'PURGE-2026-Q4-candidates.csv');
    fs.mkdirSync(path.join(blocker, 'in-the-way'), { recursive: true });
    await expect(sweep()).rejects.toThrow();
    expect(await t.db('purge_batches').count<{ count: number }[]>('* as count')).toEqual([{ count: 0 }]);
    expect(await t.db('purge_items').count<{ count: number }[]>('* as count')).toEqual([{ count: 0 }]);
    expect(await batchTables()).toEqual([]);

    fs.rmSync(blocker, { recursive: true });
    const outcome = await sweep();
    expect(outcome).toMatchObject({ kind: 'proposed', reference: 'PURGE-2026-Q4', tally: { candidates: 3 } });
    expect(await itemsOf(t.db, 'PURGE-2026-Q4')).toHaveLength(3);
    expect(await batchTables()).toHaveLength(1);
  });

  it("leaves nothing behind, not even the list, when the sweep's connection dies after the load, just before the attach", async () => {
    await insertContacts(t.db, [lapsed('a@example.com'), lapsed('b@example.com')]);
    const holder = createKnex(t.database.url, { min: 0, max: 1 });
    try {
      // Another session holds what the attach needs, so the sweep stops there with its items loaded.
      const held = holder.transaction();
      const trx = await held;
      await trx.raw('lock table purge_items in share update exclusive mode');
      const running = sweep();
      const outcome = running.then(() => 'finished', (error: Error) => error.message);
      let pid: number | null = null;
      for (let i = 0; i < 400 && pid === null; i += 1) {
        const waiting = await t.db.raw<{ rows: { pid: number }[] }>(`select pid from pg_stat_activity
          where wait_event_type = 'Lock' and query like 'alter table purge_items attach partition%'`);
        pid = waiting.rows[0]?.pid ?? null;
        if (pid === null) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(pid).not.toBeNull();
      // As if the process were killed: Postgres ends the session and rolls its transaction back.
      await t.db.raw('select pg_terminate_backend(?)', [pid]);
      expect(await outcome).toMatch(/terminat/);
      await trx.rollback();
    } finally {
      await holder.destroy();
    }
    // Its list was written before the attach; with the batch rolled back it goes too.
    expect(fs.existsSync(path.join(dataDir, 'exports', 'PURGE-2026-Q4-candidates.csv'))).toBe(false);
    expect(await t.db('purge_batches').count<{ count: number }[]>('* as count')).toEqual([{ count: 0 }]);
    expect(await t.db('purge_items').count<{ count: number }[]>('* as count')).toEqual([{ count: 0 }]);
    expect(await batchTables()).toEqual([]);
    expect(await sweep()).toMatchObject({ kind: 'proposed', tally: { candidates: 2 } });
    expect(await batchTables()).toHaveLength(1);
  });

  it('drops the table of a sweep that proposes nothing', async () => {
    await insertContacts(t.db, [{ ...lapsed('held@example.com'), legal_hold: true }]);
    expect(await sweep()).toMatchObject({ kind: 'nothing' });
    expect(await batchTables()).toEqual([]);
    expect(await t.db('purge_items').count<{ count: number }[]>('* as count')).toEqual([{ count: 0 }]);
  });

  it('moves batches stored before the migration into partitions of their own, and back, keeping every item', async () => {
    await byBatch.down(t.db);
    const batches = await t.db('purge_batches').insert([{ reference: 'PURGE-2026-Q2', as_of: '2026-04-01', status: 'done' }, { reference: 'PURGE-2026-Q3', as_of: '2026-07-01' }]).returning<{ id: number }[]>('id');
    const [done, open] = batches.map((b) => Number(b.id)) as [number, number];
    const items = [
      { batch_id: done, contact_id: 7, reason: 'R2', status: 'done', note: null, processed_at: new Date('2026-04-02T10:00:00Z'), was_customer: false, was_subscriber: true, external_id: null },
      { batch_id: done, contact_id: 3, reason: 'R1', status: 'skipped', note: 'gone', processed_at: new Date('2026-04-02T10:00:00Z'), was_customer: false, was_subscriber: false, external_id: null },
      { batch_id: open, contact_id: 3, reason: 'R3', status: 'pending', note: null, processed_at: null, was_customer: true, was_subscriber: false, external_id: 'CRM-3' },
    ];
    await t.db('purge_items').insert(items);
    const rows = () => t.db('purge_items').orderBy(['batch_id', 'contact_id']).select('*');
    const before = await rows();
    expect(before).toHaveLength(3);

    await byBatch.up(t.db);
    expect(await rows()).toEqual(before);
    expect(await batchTables()).toEqual([
      { name: `purge_items_${done}`, attached: true, key: 'PRIMARY KEY (batch_id, contact_id)', options: ['fillfactor=40'] },
      { name: `purge_items_${open}`, attached: true, key: 'PRIMARY KEY (batch_id, contact_id)', options: ['fillfactor=40'] },
    ].sort((a, b) => a.name.localeCompare(b.name)));
    await expect(t.db('purge_items').insert({ batch_id: open, contact_id: 3, reason: 'R2' })).rejects.toThrow(/duplicate key/);
    await expect(t.db('purge_items').insert({ batch_id: open, contact_id: 4, reason: 'R9' })).rejects.toThrow(/check constraint/);

    await byBatch.down(t.db);
    expect(await rows()).toEqual(before);
    expect(await batchTables()).toEqual([]);
    await expect(t.db('purge_items').insert({ batch_id: done, contact_id: 7, reason: 'R2' })).rejects.toThrow(/duplicate key/);
    await byBatch.up(t.db);
    expect(await rows()).toEqual(before);
  });
});

describe('candidate lists no batch needs', () => {
  it('are removed by the next sweep, under its lock, and the audit trail names them; a live batch keeps its list', async () => {
    await insertContacts(t.db, [lapsed('a@example.com')]);
    const exports = path.join(dataDir, 'exports');
    fs.mkdirSync(exports, { recursive: true, mode: 0o700 });
    // Left by a sweep killed after its list was renamed into place, and by a write killed part-way.
    const orphan = 'PURGE-2026-Q3-candidates.csv';
    const draft = 'PURGE-2026-Q2-candidates.csv.0123456789ab.tmp';
    const access = 'DSR-2026-00001-access.zip';
    for (const name of [orphan, draft, access]) fs.writeFileSync(path.join(exports, name), '42,CRM-42,R2,\n');

    const first = await sweep();
    if (first.kind !== 'proposed') throw new Error(first.kind);
    expect(fs.readdirSync(exports).sort()).toEqual([access, first.file].sort());
    const events = await t.db('audit_events').where({ action: 'purge.lists_removed' }).select('facts');
    expect(events.map((e: { facts: { files: string[] } }) => e.facts.files)).toEqual([[draft, orphan]]);

    // The open proposal's list is live: a second sweep reminds and keeps it.
    expect((await sweep()).kind).toBe('reminded');
    expect(fs.readdirSync(exports).sort()).toEqual([access, first.file].sort());
    expect(await t.db('audit_events').where({ action: 'purge.lists_removed' }).count<{ count: number }[]>('* as count')).toEqual([{ count: 1 }]);
  });
});
