import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, pendingMigrations, rollbackAll } from '../../src/register/migrations.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

describe('migrations', () => {
  let t: TestDatabase;
  beforeAll(async () => { t = await createTestDatabase(); });
  afterAll(async () => { await t.drop(); });

  it('leave nothing pending in a migrated database', async () => {
    expect(await pendingMigrations(t.db)).toEqual([]);
  });

  it('roll all the way down and back up again', async () => {
    const down = await rollbackAll(t.db);
    expect(down.length).toBeGreaterThan(5);
    const tables = await t.db.raw<{ rows: unknown[] }>(
      "select tablename from pg_tables where schemaname = 'public' and tablename not like 'knex_%'");
    expect(tables.rows).toEqual([]);
    expect(await migrateToLatest(t.db)).toEqual(down.slice().reverse());
    expect(await pendingMigrations(t.db)).toEqual([]);
  });

  it('refuse a second open purge proposal and a second vote by the same member', async () => {
    await t.db('proposals').insert({ kind: 'purge', quorum: 2, proposed_by: 'system' });
    await expect(t.db('proposals').insert({ kind: 'purge', quorum: 2, proposed_by: 'system' })).rejects.toThrow(/unique/);
    const [proposal] = await t.db('proposals').insert({ kind: 'identity', quorum: 1, proposed_by: 'slack:U1' }).returning('id');
    await t.db('votes').insert({ proposal_id: proposal.id, member: 'slack:U2', decision: 'approve' });
    await expect(t.db('votes').insert({ proposal_id: proposal.id, member: 'slack:U2', decision: 'approve' })).rejects.toThrow(/unique/);
  });
});

describe('migrations from several processes at once', () => {
  it('are applied once while the others wait for the lock', async () => {
    const t = await createTestDatabase();
    try {
      await rollbackAll(t.db);
      const { createKnex } = await import('../../src/register/database.js');
      const pools = [createKnex(t.url), createKnex(t.url), createKnex(t.url)];
      const results = await Promise.all(pools.map((db) => migrateToLatest(db)));
      await Promise.all(pools.map((db) => db.destroy()));
      expect(results.map((r) => r.length).sort((a, b) => b - a).slice(1)).toEqual([0, 0]);
      expect(await pendingMigrations(t.db)).toEqual([]);
    } finally {
      await t.drop();
    }
  });
});
