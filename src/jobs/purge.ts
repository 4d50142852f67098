import { retentionBounds, type PurgeSkip } from '../domain/purge.js';
import { recordStartTally } from '../register/purge-tallies.js';
import { batchesToPurge, startPurgeBatch } from '../register/purges.js';
import { removeCandidateFile } from '../services/purge/candidates-file.js';
import { finishPurge } from '../services/purge/finish-purge.js';
import { purgeChunks } from '../services/purge/purge-chunks.js';
import { refreshPurgeCard } from '../services/purge/purge-cards.js';
import type { JobContext, JobSummary } from './job.js';

/**
 * Contacts per chunk: one transaction each, short enough that a kill loses little and locks briefly
 * (well under a second), long enough that the fixed cost of a chunk (its transaction, two statements,
 * the lookups of open requests, exclusions and traces, an audit event) is small beside the
 * deleting: at 500,000 contacts, chunks of 10,000 took a fifth less database time than of 5,000.
 */
export const PURGE_CHUNK_SIZE = 10_000;
/** Per run of execute-actions, so queued request actions are not held up for long; the next tick goes on. */
export const PURGE_BUDGET_MS = 2 * 60_000;

export interface PurgeRunOptions {
  readonly chunkSize?: number;
  readonly budgetMs?: number;
}

/**
 * Carries out approved purges, chunk by chunk (the purge runs inside `execute-actions`: the batch's
 * status is its queue, so no action row is needed). Each chunk is one transaction (purgeChunks); a
 * restart after a kill simply claims the items still pending. Several runners (replicas) share a
 * batch safely: items are claimed with SKIP LOCKED. Returns null when no purge was waiting.
 *
 * Times: `now` is the run's logical start (pinned in tests); the chunks are stamped `now` plus the
 * real time elapsed, so the report's duration is the purge's own.
 */
export async function runPurges(context: JobContext, now: Date, options: PurgeRunOptions = {}): Promise<JobSummary | null> {
  const batches = await batchesToPurge(context.db);
  if (batches.length === 0) return null;
  const size = options.chunkSize ?? PURGE_CHUNK_SIZE;
  const budget = options.budgetMs ?? PURGE_BUDGET_MS;
  const began = performance.now();
  const at = () => new Date(now.getTime() + Math.round(performance.now() - began));
  let deleted = 0;
  let chunks = 0;
  const skipped: Partial<Record<PurgeSkip, number>> = {};
  const finished: string[] = [];
  for (const batch of batches) {
    // The card says "deleting" from the first chunk on; a resumed purge already says so. Its counts
    // are read while the first chunk is claimed, which writes only once this has committed, and
    // are what the chunks' tallies add to, so the end need not count the batch again.
    const started = context.db.transaction(async (trx) => {
      if (!await startPurgeBatch(trx, batch.id, at())) return;
      const view = await refreshPurgeCard(trx, context.config, batch.id);
      await recordStartTally(trx, batch.id, view.counts);
    });
    const bounds = retentionBounds(batch.as_of, context.config.retentionYears, context.config.timezone);
    const run = await purgeChunks(context.db, { pepper: context.pepper, dataDir: context.config.dataDir }, batch, bounds, at, size,
      // At least one chunk per run, so even a tiny budget makes progress.
      () => performance.now() - began > budget, started);
    for (const chunk of run.chunks) {
      chunks += 1;
      deleted += chunk.deleted;
      for (const [why, count] of Object.entries(chunk.skipped)) skipped[why as PurgeSkip] = (skipped[why as PurgeSkip] ?? 0) + count;
    }
    if (run.more) return { deleted, chunks, skipped, finished, more: true };
    const done = await context.db.transaction((trx) => finishPurge(trx, context.config, batch.id, at()));
    if (done) {
      finished.push(batch.reference);
      // After commit: the list names CRM ids of contacts now erased, so it goes with them.
      await removeCandidateFile(context.config.dataDir, done.file);
    }
  }
  return { deleted, chunks, skipped, finished, more: false };
}
