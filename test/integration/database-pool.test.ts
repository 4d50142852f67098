import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { MAIN_POOL, openDatabase, prepareWholePool, type Database } from '../../src/register/database.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { scratchDir } from '../support/processes.js';

/**
 * The service opens its whole pool at start and keeps it: the first burst of requests after a
 * quiet spell must not wait for new PostgreSQL sessions. A CLI command opens what it uses.
 */
describe('the main pool', () => {
  let t: TestDatabase;
  let dir: string;
  const sessions = async () => Number((await t.db.raw<{ rows: { n: number }[] }>('select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()')).rows[0]!.n);

  beforeAll(async () => {
    t = await createTestDatabase();
    dir = scratchDir('govbot-pool-');
  });
  afterAll(async () => {
    await t.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const open = async (keepPoolOpen: boolean): Promise<Database> =>
    openDatabase(parseConfig({ DATABASE_URL: t.url, DATA_DIR: dir, LOG_LEVEL: 'silent' }, dir), () => undefined, { keepPoolOpen });

  it('is opened whole, each session prepared, and kept, for the service', async () => {
    const before = await sessions();
    const database = await open(true);
    try {
      const prepared: number[] = [];
      await prepareWholePool(database.db, async (session) => {
        prepared.push(Number((await database.db.raw<{ rows: { pid: number }[] }>('select pg_backend_pid() as pid').connection(session)).rows[0]!.pid));
      });
      expect(new Set(prepared).size).toBe(MAIN_POOL.max);
      expect(await sessions()).toBe(before + MAIN_POOL.max);
      // tarn closes idle connections only down to the pool's minimum.
      expect((database.db.client as { pool: { min: number } }).pool.min).toBe(MAIN_POOL.max);
    } finally {
      await database.close();
    }
    expect(await sessions()).toBe(before);
  });

  it('holds one connection for a command until it needs more', async () => {
    const before = await sessions();
    const database = await open(false);
    try {
      expect(await sessions()).toBe(before + 1);
      expect((database.db.client as { pool: { min: number } }).pool.min).toBe(0);
    } finally {
      await database.close();
    }
  });
});
