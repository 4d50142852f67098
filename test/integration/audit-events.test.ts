import { beforeEach, describe, expect, it } from 'vitest';
import { eventHash, GENESIS_HASH, verifyChain } from '../../src/domain/audit-chain.js';
import { appendAuditEvent, countAuditEvents, streamAuditEvents } from '../../src/register/audit-events.js';
import type { Db } from '../../src/register/database.js';
import { formatVerifyResult, verifyAudit } from '../../src/services/verify-audit.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const at = new Date('2026-03-02T09:30:00.123Z');

/** Each test gets its own database: the table cannot be emptied (that is the point). */
describe('audit events', () => {
  let t: TestDatabase;
  let db: Db;
  beforeEach(async () => {
    t = await createTestDatabase();
    db = t.db;
    return async () => { await t.drop(); };
  });

  async function append(n: number, actor = 'system'): Promise<void> {
    for (let i = 0; i < n; i += 1) {
      await db.transaction((trx) => appendAuditEvent(trx, { actor, action: 'test.event', subject: `REF-${i}`, facts: { i }, occurredAt: at }));
    }
  }

  it('chains from the genesis hash, and what is read back verifies', async () => {
    const facts = { z: 1.0, ab: { y: [1, 'two', null, { b: false, a: 1e21 }], x: 0.1 + 0.2 }, ünïcødé: '日本 🎉 \u0001', big: 2 ** 60, neg: -0, d: new Date('2026-01-01T00:00:00Z') };
    const first = await db.transaction((trx) => appendAuditEvent(trx, { actor: 'slack:U1', action: 'request.received', subject: 'DSR-2026-0001', facts, occurredAt: at }));
    const second = await db.transaction((trx) => appendAuditEvent(trx, { actor: 'system', action: 'job.ran', occurredAt: new Date() }));
    expect(first.id).toBe(1);
    expect(second.id).toBe(2);
    const events = [];
    for await (const event of streamAuditEvents(db, 10)) events.push(event);
    expect(events.map((e) => e.prevHash)).toEqual([GENESIS_HASH, first.hash]);
    expect(events[0]?.occurredAt).toEqual(at);
    expect(events[1]?.subject).toBeNull();
    expect(verifyChain(events)).toEqual({ ok: true, count: 2 });
    expect(formatVerifyResult(await verifyAudit(db))).toBe('ok 2 events');
  });

  it('hashes in Postgres exactly as Node does, even for facts that nest an id and a time', async () => {
    const facts = { a: { id: 1, occurredAt: '2026-03-02T09:30:00Z' }, note: ',"id":1,"occurredAt":', n: [1.5, -2, 1e-7] };
    const appended = await db.transaction((trx) => appendAuditEvent(trx, { actor: 'teams:29:ü', action: 'test.nested', subject: 'DSR-2026-0001', facts, occurredAt: at }));
    expect(appended.hash).toBe(eventHash(GENESIS_HASH, { id: 1, occurredAt: at, actor: 'teams:29:ü', action: 'test.nested', subject: 'DSR-2026-0001', facts }));
    expect(await verifyAudit(db)).toMatchObject({ ok: true, count: 1 });
  });

  it('stays gapless and intact under 20 concurrent transactions', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, n) => db.transaction(async (trx) => {
      const ids = [];
      for (let k = 0; k < 3; k += 1) {
        ids.push((await appendAuditEvent(trx, { actor: `worker:${n}`, action: 'test.concurrent', facts: { n, k }, occurredAt: new Date() })).id);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
      }
      return ids;
    })));
    // The lock is held to commit, so each transaction's events are consecutive.
    for (const ids of results) expect(ids).toEqual([ids[0]!, ids[0]! + 1, ids[0]! + 2]);
    expect(results.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(await verifyAudit(db)).toMatchObject({ ok: true, count: 60 });
  });

  it('queues appends racing on one transaction', async () => {
    const ids = await db.transaction((trx) => Promise.all(Array.from({ length: 5 }, (_, i) =>
      appendAuditEvent(trx, { actor: 'system', action: 'test.parallel', facts: { i }, occurredAt: at }).then((r) => r.id))));
    expect(ids.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(await verifyAudit(db)).toMatchObject({ ok: true, count: 5 });
  });

  it('leaves no event behind a rolled-back transaction, and no gap', async () => {
    await append(1);
    await expect(db.transaction(async (trx) => {
      await appendAuditEvent(trx, { actor: 'system', action: 'test.doomed', occurredAt: at });
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(await countAuditEvents(db)).toBe(1);
    const next = await db.transaction((trx) => appendAuditEvent(trx, { actor: 'system', action: 'test.after', occurredAt: at }));
    expect(next.id).toBe(2);
    expect(await verifyAudit(db)).toMatchObject({ ok: true, count: 2 });
  });

  it('refuses to append outside a transaction or under repeatable read', async () => {
    await expect(appendAuditEvent(db as never, { actor: 'system', action: 'x', occurredAt: at })).rejects.toMatchObject({ code: 'AUDIT_OUTSIDE_TRANSACTION' });
    await expect(db.transaction((trx) => appendAuditEvent(trx, { actor: 'system', action: 'x', occurredAt: at }), { isolationLevel: 'repeatable read' }))
      .rejects.toMatchObject({ code: 'AUDIT_ISOLATION' });
    expect(await countAuditEvents(db)).toBe(0);
  });

  it.each([
    [{ email: 'jane@example.com' }], [{ full_name: 'Jane Doe' }], [{ contact: { phone: '0123' } }], [{ name: 'x' }],
    [{ address: 'x' }], [{ note: 'sent to jane@example.com' }],
  ])('refuses personal data in facts: %j', async (facts) => {
    await expect(db.transaction((trx) => appendAuditEvent(trx, { actor: 'system', action: 'x', facts, occurredAt: at })))
      .rejects.toMatchObject({ name: 'GovbotError', code: 'AUDIT_PERSONAL_DATA' });
    expect(await countAuditEvents(db)).toBe(0);
  });

  it('refuses UPDATE, DELETE and TRUNCATE at the database', async () => {
    await append(2);
    await expect(db('audit_events').update({ actor: 'x' }).where({ id: 1 })).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(db('audit_events').delete().where({ id: 2 })).rejects.toThrow(/append-only: DELETE refused/);
    await expect(db.raw('truncate audit_events')).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect(await verifyAudit(db)).toMatchObject({ ok: true, count: 2 });
  });

  it.each([
    ['facts edited', "update audit_events set facts = '{\"i\": 99}' where id = 7", 7, 'hash mismatch'],
    ['time edited by a millisecond', "update audit_events set occurred_at = occurred_at + interval '1 millisecond' where id = 7", 7, 'hash mismatch'],
    ['row deleted', 'delete from audit_events where id = 7', 8, 'gap in ids'],
  ])('names the event when %s behind the trigger', async (_name, sql, brokenAt, reason) => {
    await append(10);
    await tamper(db, sql);
    const result = await verifyAudit(db, { batchSize: 4 });
    expect(result).toEqual({ ok: false, brokenAt, reason, count: 6 });
    expect(formatVerifyResult(result)).toBe(`audit chain broken at event ${brokenAt}: ${reason}`);
  });

  it('verifies 10k events in batches and appends on after them', async () => {
    let prevHash = GENESIS_HASH;
    const rows = [];
    for (let id = 1; id <= 10_000; id += 1) {
      const content = { id, occurredAt: new Date(at.getTime() + id), actor: 'system', action: 'bulk', subject: null, facts: { id, tag: { b: id % 7, a: 'x' } } };
      const hash = eventHash(prevHash, content);
      rows.push({ id, occurred_at: content.occurredAt, actor: 'system', action: 'bulk', subject: null, facts: JSON.stringify(content.facts), prev_hash: prevHash, hash });
      prevHash = hash;
    }
    await db.batchInsert('audit_events', rows, 1000);
    expect(await verifyAudit(db)).toMatchObject({ ok: true, count: 10_000 });
    expect(await verifyAudit(db, { batchSize: 999 })).toEqual({ ok: true, count: 10_000, headHash: prevHash });
    const next = await db.transaction((trx) => appendAuditEvent(trx, { actor: 'system', action: 'after', occurredAt: at }));
    expect(next.id).toBe(10_001);
    await tamper(db, "update audit_events set action = 'edited' where id = 9991");
    expect(formatVerifyResult(await verifyAudit(db, { batchSize: 999 }))).toBe('audit chain broken at event 9991: hash mismatch');
  });
});

/** What a superuser (or the table owner) could do: switch the trigger off, edit, switch it on. */
async function tamper(db: Db, sql: string): Promise<void> {
  await db.transaction(async (trx) => {
    await trx.raw('alter table audit_events disable trigger audit_events_no_update_delete');
    await trx.raw(sql);
    await trx.raw('alter table audit_events enable trigger audit_events_no_update_delete');
  });
}
