import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { expireExports } from '../../src/jobs/expire-exports.js';
import type { JobContext } from '../../src/jobs/job.js';
import { createLogger } from '../../src/logger.js';
import { writeExportFile } from '../../src/services/actions/export-file.js';
import { verifyAudit } from '../../src/services/verify-audit.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** expire-exports: every export goes EXPORT_RETENTION_DAYS after it was written; delivered messages lose their payloads. */
const NOW = new Date('2026-12-06T03:30:00Z');
const DAY = 86_400_000;

let t: TestDatabase;
let dataDir: string;
let ctx: JobContext;

beforeEach(async () => {
  t = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-expire-'));
  const config = parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', EXPORT_RETENTION_DAYS: '30' }, dataDir);
  ctx = { db: t.db, config, logger: createLogger(config), pepper: 'test-pepper-0123456789abcdef' };
});
afterEach(async () => {
  await t.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function exported(name: string, writtenDaysAgo: number): Promise<string> {
  const file = await writeExportFile(path.join(dataDir, 'exports'), name, '{"data":1}');
  const writtenAt = new Date(NOW.getTime() - writtenDaysAgo * DAY);
  await t.db('export_files').insert({ name, subject_hmac: 'a'.repeat(64), sha256: file.sha256, written_at: writtenAt, delete_after: new Date(writtenAt.getTime() + 30 * DAY) });
  return file.path;
}

describe('expire-exports', () => {
  it('deletes exports past EXPORT_RETENTION_DAYS, keeps younger ones, takes a file already gone in its stride, and audits it', async () => {
    const old = await exported('DSR-2026-0001.json', 31);
    const young = await exported('DSR-2026-0002.csv', 29);
    const gone = await exported('DSR-2026-0003.json', 40);
    fs.rmSync(gone);

    expect(await expireExports(ctx, NOW)).toMatchObject({ deleted: 1, already_gone: 1 });
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(young)).toBe(true);
    expect(await t.db('export_files').whereNotNull('deleted_at').orderBy('name').pluck('name')).toEqual(['DSR-2026-0001.json', 'DSR-2026-0003.json']);
    const event = await t.db('audit_events').where({ action: 'exports.expired' }).first();
    expect(event.facts).toMatchObject({ files: ['DSR-2026-0003.json', 'DSR-2026-0001.json'], already_gone_count: 1, retention_days: 30 });
    expect(await verifyAudit(t.db)).toMatchObject({ ok: true });
    // A second run has nothing to do.
    expect(await expireExports(ctx, NOW)).toMatchObject({ deleted: 0, already_gone: 0 });
  });

  it('prunes the payloads of messages delivered over a day ago, keeping the row and its card key; pending ones keep theirs', async () => {
    const payload = JSON.stringify({ card: { title: 'Erasure request DSR-2026-0001', facts: [{ label: 'Subject', value: 'J*** j***@example.com' }] } });
    await t.db('outbox').insert([
      { platform: 'slack', operation: 'post', channel: 'C1', card_key: 'request:1', payload, status: 'sent', sent_at: new Date(NOW.getTime() - 2 * DAY) },
      { platform: 'slack', operation: 'update', channel: 'C1', card_key: 'request:1', payload, status: 'sent', sent_at: new Date(NOW.getTime() - 3_600_000) },
      { platform: 'slack', operation: 'post', channel: 'C1', card_key: 'request:2', payload, status: 'pending', created_at: new Date(NOW.getTime() - 5 * DAY) },
    ]);
    expect(await expireExports(ctx, NOW)).toMatchObject({ outbox_payloads_pruned: 1 });
    const rows = await t.db('outbox').orderBy('id').select('card_key', 'status', 'payload');
    expect(rows.map((r) => [r.card_key, r.status, JSON.stringify(r.payload).includes('example.com')])).toEqual([
      ['request:1', 'sent', false], ['request:1', 'sent', true], ['request:2', 'pending', true],
    ]);
  });
});
