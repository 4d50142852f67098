import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suppressionHash } from '../../src/domain/suppression.js';
import { addSuppression, isSuppressed, suppressedAmong } from '../../src/register/suppression-list.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const pepper = 'test-pepper-0123456789abcdef';
const hash = (email: string): string => suppressionHash(pepper, email);

describe('suppression list', () => {
  let t: TestDatabase;
  beforeAll(async () => { t = await createTestDatabase(); });
  afterAll(async () => { await t.drop(); });

  it('adds an entry once and keeps the first reason', async () => {
    expect(await addSuppression(t.db, { emailHmac: hash('jane@example.com'), reason: 'erasure', sourceRef: 'DSR-2026-0001' })).toBe(true);
    expect(await addSuppression(t.db, { emailHmac: hash(' JANE@example.com '), reason: 'do-not-contact', sourceRef: 'DSR-2026-0002' })).toBe(false);
    const rows = await t.db('suppression_list').select('reason', 'source_ref').where({ email_hmac: hash('jane@example.com') });
    expect(rows).toEqual([{ reason: 'erasure', source_ref: 'DSR-2026-0001' }]);
  });

  it('adds inside a caller transaction and rolls back with it', async () => {
    await expect(t.db.transaction(async (trx) => {
      await addSuppression(trx, { emailHmac: hash('rolled@example.com'), reason: 'erasure' });
      expect(await isSuppressed(trx, hash('rolled@example.com'))).toBe(true);
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(await isSuppressed(t.db, hash('rolled@example.com'))).toBe(false);
  });

  it('survives concurrent adds of the same hash', async () => {
    const added = await Promise.all(Array.from({ length: 8 }, () =>
      addSuppression(t.db, { emailHmac: hash('race@example.com'), reason: 'objection', sourceRef: null })));
    expect(added.filter(Boolean)).toHaveLength(1);
  });

  it('refuses anything that is not a hash, so no address is ever stored', async () => {
    await expect(addSuppression(t.db, { emailHmac: 'jane@example.com', reason: 'erasure' }))
      .rejects.toMatchObject({ name: 'GovbotError', code: 'SUPPRESSION_NOT_HMAC' });
  });

  it('answers for one hash and for a batch in one query', async () => {
    expect(await isSuppressed(t.db, hash('Jane@Example.com'))).toBe(true);
    expect(await isSuppressed(t.db, hash('someone@example.com'))).toBe(false);
    const batch = [hash('jane@example.com'), hash('new@example.com'), hash('race@example.com'), hash('jane@example.com')];
    const queries: string[] = [];
    const onQuery = (q: { sql: string }): void => { queries.push(q.sql); };
    t.db.on('query', onQuery);
    const found = await suppressedAmong(t.db, batch);
    t.db.removeListener('query', onQuery);
    expect(found).toEqual(new Set([hash('jane@example.com'), hash('race@example.com')]));
    expect(queries).toHaveLength(1);
    expect(await suppressedAmong(t.db, [])).toEqual(new Set());
  });

  it('checks a large import batch', async () => {
    const hashes = Array.from({ length: 20_000 }, (_, i) => hash(`person${i}@example.com`));
    await t.db.batchInsert('suppression_list', hashes.filter((_, i) => i % 1000 === 0).map((h) => ({ email_hmac: h, reason: 'test' })), 500);
    expect((await suppressedAmong(t.db, hashes)).size).toBe(20);
  });
});
