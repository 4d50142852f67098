import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { retentionBounds } from '../../src/domain/purge.js';
import { PURGE_CHUNK_SIZE, runPurges } from '../../src/jobs/purge.js';
import { createLogger } from '../../src/logger.js';
import type { Db } from '../../src/register/database.js';
import { sweptCounts } from '../../src/register/purge-sweep.js';
import { sweepIntoCandidateFile } from '../../src/services/purge/candidates-file.js';
import { runRetentionSweep } from '../../src/services/purge/sweep.js';
import { createTestDatabase } from '../support/test-database.js';
import { recordBenchmark } from './results.js';
import { copyDatabase, measure, median, traceMean, type Measured } from './retention-kit.js';
import { floorPurge, floorSweep, seedRegister } from './retention-sql.js';

/**
 * (f) The retention sweep over BENCH_CONTACTS (1,000,000) contacts and the purge of BENCH_PURGE
 * (100,000) approved candidates, each beside one hand-written SQL statement doing the same work on
 * the same data (the floor). PostgreSQL does the selecting and the deleting; the memory figures are
 * this Node process's, which is what must stay flat as the register grows.
 */
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const PURGE = Number(process.env.BENCH_PURGE ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const NOW = new Date('2026-10-01T08:00:00Z');
const TZ = 'Europe/London';
const n = (v: number) => v.toLocaleString('en-GB');

describe('retention', () => {
  it(`sweeps ${n(CONTACTS)} contacts and purges ${n(PURGE)}`, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-bench-retention-'));
    const config = parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', SCHEDULER: 'off', TIMEZONE: TZ, SUPPRESSION_PEPPER: 'bench-pepper-0123456789abcdef' }, dataDir);
    const seed = await createTestDatabase();
    const drops: (() => Promise<void>)[] = [() => seed.drop()];
    try {
      const seeded = await measure(() => seedRegister(seed.db, CONTACTS, NOW));
      await seed.db.destroy();
      const work = await copyDatabase(`${seed.name}_sweep`, seed.name);
      drops.push(work.drop);

      // The sweep, alternating with its floor so that caches treat both alike.
      const { cutoffStart, asOfEnd } = retentionBounds('2026-10-01', config.retentionYears, TZ);
      const floors: Measured<number>[] = [];
      const sweeps: Measured<number>[] = [];
      let batchId = 0;
      for (let run = 0; run < RUNS; run += 1) {
        floors.push(await measure(() => floorSweep(work.db, cutoffStart, asOfEnd)));
        await work.db.raw('drop table bench_floor_sweep');
        if (batchId) await forgetSweep(work.db);
        sweeps.push(await measure(async () => {
          const outcome = await runRetentionSweep({ db: work.db, config }, NOW, { by: 'govbot', platform: null });
          if (outcome.kind !== 'proposed') throw new Error(`the sweep proposed nothing (${outcome.kind})`);
          batchId = outcome.batchId;
          return outcome.tally.candidates;
        }));
        expect(sweeps[run]!.value).toBe(floors[run]!.value);
      }

      // Where the sweep's time goes: its one statement (select, store, list to the file), and the counts.
      const parts = await partsOfSweep(work.db, config.dataDir, { cutoffStart, asOfEnd });

      // The purge of exactly PURGE approved candidates, and its floor on a copy of the same data.
      await approveFirst(work.db, batchId, PURGE);
      await work.db.destroy();
      const floorCopy = await copyDatabase(`${seed.name}_floor`, `${seed.name}_sweep`);
      drops.push(floorCopy.drop);
      const purgeCopy = await copyDatabase(`${seed.name}_purge`, `${seed.name}_sweep`);
      drops.push(purgeCopy.drop);
      const floorPurged = await measure(() => floorPurge(floorCopy.db, batchId));
      const job = { db: purgeCopy.db, config, logger: createLogger({ logLevel: 'silent' }), pepper: config.suppressionPepper ?? '' };
      const purged = await measure(async () => Number((await runPurges(job, NOW, { budgetMs: Number.POSITIVE_INFINITY }))?.deleted));
      expect(purged.value).toBe(PURGE);
      expect(floorPurged.value).toBe(PURGE);

      const sweepMs = median(sweeps.map((s) => s.ms));
      const floorMs = median(floors.map((f) => f.ms));
      const sweepLabel = `sweep ${n(CONTACTS)} contacts → ${n(sweeps[0]!.value)} candidates`;
      const purgeLabel = `purge ${n(PURGE)} approved candidates`;
      recordBenchmark('retention', [
        { benchmark: `seed ${n(CONTACTS)} contacts`, metric: 'wall time', value: seeded.ms / 1000, unit: 's', note: 'insert … select from generate_series' },
        { benchmark: sweepLabel, metric: `wall time (median of ${RUNS})`, value: sweepMs / 1000, unit: 's', floor: floorMs / 1000, aim: { of: 'ratio', max: 1.5 }, note: 'floor: the same selection by hand into a scratch table' },
        { benchmark: sweepLabel, metric: '… its selection + list statement', value: parts.selection.ms / 1000, unit: 's', floor: floorMs / 1000, note: `COPY (select, INSERT items into the batch's table, count, list) to the 0600 file: ${n(parts.selection.value)} lines, SHA-256; then its key, attached` },
        { benchmark: sweepLabel, metric: '… its counts by reason', value: parts.counts.ms / 1000, unit: 's', note: 'counted in the same statement; read back from the batch' },
        { benchmark: sweepLabel, metric: 'peak RSS growth', value: Math.max(...sweeps.map((s) => s.rssGrowthMiB)), unit: 'MiB', note: `process peak ${Math.max(...sweeps.map((s) => s.rssPeakMiB)).toFixed(0)} MiB; Postgres does the work` },
        { benchmark: sweepLabel, metric: 'live heap peak', value: Math.max(...sweeps.flatMap((s) => s.liveHeapMiB)), unit: 'MiB', note: 'after full GCs every 250 ms, whole test process' },
        { benchmark: purgeLabel, metric: 'wall time', value: purged.ms / 1000, unit: 's', floor: floorPurged.ms / 1000, aim: { of: 'ratio', max: 2 }, note: 'floor: one DELETE … RETURNING + tombstone + suppression statement' },
        { benchmark: purgeLabel, metric: 'throughput', value: PURGE / (purged.ms / 1000), unit: 'contacts/s', note: `chunks of ${n(PURGE_CHUNK_SIZE)}, one transaction each` },
        { benchmark: purgeLabel, metric: 'peak RSS growth', value: purged.rssGrowthMiB, unit: 'MiB', note: `process peak ${purged.rssPeakMiB.toFixed(0)} MiB` },
        { benchmark: purgeLabel, metric: 'live heap, first → last tenth', value: traceMean(purged.liveHeapMiB, 0.9, 1), unit: 'MiB', floor: traceMean(purged.liveHeapMiB, 0, 0.1), note: 'after full GCs every 250 ms: ~1.00× means flat in contacts purged' },
      ]);
    } finally {
      for (const drop of drops.reverse()) await drop().catch(() => undefined);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** The sweep's two steps timed on their own, in a transaction rolled back afterwards. */
async function partsOfSweep(db: Db, dataDir: string, bounds: { cutoffStart: Date; asOfEnd: Date }): Promise<{ selection: Measured<number>; counts: Measured<number> }> {
  let parts: { selection: Measured<number>; counts: Measured<number> } | null = null;
  await db.transaction(async (trx) => {
    const [batch] = await trx('purge_batches').insert({ reference: 'PURGE-2026-Q4-99', as_of: '2026-10-01' }).returning<{ id: number; reference: string }[]>(['id', 'reference']);
    const selection = await measure(async () => (await sweepIntoCandidateFile(trx, dataDir, batch!, bounds)).lines);
    const counts = await measure(async () => (await sweptCounts(trx, batch!.id)).reduce((sum, c) => sum + c.count, 0));
    parts = { selection, counts };
    await trx.rollback();
  }).catch(() => undefined);
  if (parts === null) throw new Error('the sweep parts were not measured');
  return parts;
}

/** Undoes a sweep's proposal, batch and items so the next run starts from the same register. */
async function forgetSweep(db: Db): Promise<void> {
  await db('proposals').where({ kind: 'purge' }).delete();
  // Items have no foreign key to their batch (see the purge_run migration), so they do not cascade;
  // each batch's partition goes with them.
  const tables = await db.raw<{ rows: { name: string }[] }>(`select relname as name from pg_class where relispartition and relname ~ '^purge_items_[0-9]+$'`);
  for (const { name } of tables.rows) await db.raw(`drop table ${name}`);
  await db('purge_batches').delete();
  await db.raw('vacuum analyze purge_items');
}

/** Keeps the first `count` pending candidates (setting the rest aside) and approves the batch. */
async function approveFirst(db: Db, batchId: number, count: number): Promise<void> {
  await db.raw(`update purge_items set status = 'excluded', note = 'bench' where batch_id = :batch and status = 'pending'
    and contact_id > (select contact_id from purge_items where batch_id = :batch and status = 'pending' order by contact_id offset :skip limit 1)`,
  { batch: batchId, skip: count - 1 });
  await db('proposals').where({ purge_batch_id: batchId }).update({ status: 'approved', decided_at: NOW });
  await db('purge_batches').where({ id: batchId }).update({ status: 'approved' });
  await db.raw('vacuum analyze');
}
