import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKnex, type Db } from '../../src/register/database.js';
import { insertProposal } from '../../src/register/proposals.js';
import { execute, prepared, queryPrepared, usedBy, warmPrepared } from '../../src/register/prepared-statements.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * Statements prepared once per session and run by name in multi-statement queries: on one session
 * (a pool of one), so what the session holds is known, and checked in pg_prepared_statements.
 */
describe('prepared statements', () => {
  let t: TestDatabase;
  let db: Db;
  const byNumber = prepared('test_by_number', ['integer'], 'select * from prepared_things where n = $1');
  const held = async (): Promise<string[]> => (await db.raw<{ rows: { name: string }[] }>('select name from pg_prepared_statements order by name')).rows.map((r) => r.name);

  beforeAll(async () => {
    t = await createTestDatabase();
    await t.db.raw('create table prepared_things (n integer primary key, label text not null)');
    await t.db('prepared_things').insert([{ n: 1, label: 'one' }, { n: 2, label: 'two' }]);
    db = createKnex(t.url, { min: 0, max: 1 });
  });
  afterAll(async () => {
    await db.destroy();
    await t.drop();
  });

  it('prepares a statement with its first use and runs it by name, in order, on the pool and in a transaction', async () => {
    const results = await queryPrepared(db, [byNumber], [execute(byNumber, '2'), 'select 42 as answer', execute(byNumber, '1')]);
    expect(results.map((r) => r.rows)).toEqual([[{ n: 2, label: 'two' }], [{ answer: 42 }], [{ n: 1, label: 'one' }]]);
    expect(await held()).toEqual(['govbot_test_by_number']);
    const inTransaction = await db.transaction((trx) => queryPrepared(trx, [byNumber], [execute(byNumber, '1')]));
    expect(inTransaction.map((r) => r.rows)).toEqual([[{ n: 1, label: 'one' }]]);
  });

  it('keeps what it prepared through a transaction that failed after it, and uses it again', async () => {
    const once = prepared('test_once', ['integer'], 'select $1 + 1 as next');
    await expect(db.transaction((trx) => queryPrepared(trx, [once], [execute(once, '1'), 'select 1 / 0']))).rejects.toThrow(/division by zero/);
    expect(await held()).toContain('govbot_test_once');
    // Not prepared again (that would fail: it exists), just run.
    expect((await queryPrepared(db, [once], [execute(once, '41')]))[0]!.rows).toEqual([{ next: 42 }]);
  });

  it('after a change of schema under a prepared statement, fails once and then prepares it afresh', async () => {
    const all = prepared('test_all_columns', ['integer'], 'select * from prepared_things where n = $1');
    expect((await queryPrepared(db, [all], [execute(all, '1')]))[0]!.rows).toEqual([{ n: 1, label: 'one' }]);
    await t.db.raw("alter table prepared_things add column colour text not null default 'red'");
    await expect(queryPrepared(db, [all], [execute(all, '1')])).rejects.toThrow(/cached plan must not change result type/);
    expect((await queryPrepared(db, [all], [execute(all, '1')]))[0]!.rows).toEqual([{ n: 1, label: 'one', colour: 'red' }]);
    // Everything the session had was dropped and is prepared again when next used.
    expect((await queryPrepared(db, [byNumber], [execute(byNumber, '2')]))[0]!.rows).toEqual([{ n: 2, label: 'two', colour: 'red' }]);
  });

  it('warms a session at start: prepared and planned for good, with arguments that match nothing, and used as it is', async () => {
    const warm = prepared('test_warm', ['integer'], 'select label from prepared_things where n = $1 for update');
    const session = await db.client.acquireConnection();
    try {
      await warmPrepared(db, session, [{ statement: warm, args: ['0'] }]);
    } finally {
      await db.client.releaseConnection(session);
    }
    const plans = await db.raw<{ rows: { generic_plans: number; custom_plans: number }[] }>("select generic_plans::int, custom_plans::int from pg_prepared_statements where name = 'govbot_test_warm'");
    expect(plans.rows).toEqual([{ generic_plans: 1, custom_plans: 5 }]);
    expect(await db('prepared_things').where({ n: 0 }).first()).toBeUndefined();
    // Not prepared again: it runs, on the generic plan kept.
    expect((await queryPrepared(db, [warm], [execute(warm, '2')]))[0]!.rows).toEqual([{ label: 'two' }]);
    expect((await db.raw<{ rows: { generic_plans: number }[] }>("select generic_plans::int from pg_prepared_statements where name = 'govbot_test_warm'")).rows).toEqual([{ generic_plans: 2 }]);
  });

  it('prepares what an execute written elsewhere runs, found in the text, with no list given (a write sent with other statements)', async () => {
    const label = prepared('test_relabel', ['integer', 'text'], 'update prepared_things set label = $2 where n = $1');
    const writes = [`${execute(label, '1', "'uno'")};\n${execute(label, '2', "'dos'")}`, execute(byNumber, '1')];
    expect(usedBy(writes).map((statement) => statement.name)).toEqual(['govbot_test_relabel', 'govbot_test_relabel', 'govbot_test_by_number']);
    const results = await db.transaction((trx) => queryPrepared(trx, [], writes));
    expect(results.at(-1)!.rows).toMatchObject([{ n: 1, label: 'uno' }]);
    expect(await held()).toContain('govbot_test_relabel');
    expect(await db('prepared_things').orderBy('n').pluck('label')).toEqual(['uno', 'dos']);
  });

  it("a new proposal's insert, prepared, outlives a column added to proposals by a later migration", async () => {
    const proposal = { kind: 'purge' as const, quorum: 2, proposed_by: 'govbot', requested_by: null, summary: { reference: 'PURGE-2026-Q4' } };
    const first = await db.transaction((trx) => insertProposal(trx, proposal));
    await db('proposals').where({ id: first.id }).update({ status: 'superseded' });
    await t.db.raw('alter table proposals add column added_later text');
    const second = await db.transaction((trx) => insertProposal(trx, proposal));
    expect(second).toMatchObject({ kind: 'purge', status: 'open', quorum: 2, summary: { reference: 'PURGE-2026-Q4' }, requester_identities: [] });
    expect(second.id).toBeGreaterThan(first.id);
    expect(await held()).toContain('govbot_insert_proposal');
  });

  it('names only plain words, each one statement', () => {
    expect(() => prepared('drop table x; --', [], 'select 1')).toThrow(RangeError);
    expect(() => prepared('test_by_number', ['integer'], 'select 1')).toThrow(/two statements are named/);
  });
});
