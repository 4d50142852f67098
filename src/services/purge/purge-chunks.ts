import type { RetentionBounds } from '../../domain/purge.js';
import type { Db } from '../../register/database.js';
import type { PurgeBatchRow } from '../../register/purges.js';
import { claimChunk, writeChunk, type ChunkEnvironment, type ChunkResult, type ClaimedChunk } from './purge-chunk.js';

export interface ChunksRun {
  /** The chunks committed, in order. */
  readonly chunks: readonly ChunkResult[];
  /** True when the run stopped for its budget with items possibly still pending. */
  readonly more: boolean;
}

/**
 * The chunks of one batch, each its own transaction, with the next one claimed while the one before
 * is written: while Postgres deletes chunk N, a second connection claims chunk N+1 (its items and
 * contacts locked) and this process makes its keyed hashes, so neither waits for the other.
 *
 * Writes stay one at a time, in order: chunk N+1's write starts only once chunk N has committed. Its
 * re-check is then a statement that sees everything chunk N deleted, which "no other contact still
 * has this address" (forgetting a subject) depends on; audit events follow chunk order; and two
 * writes never wait for each other on a shared suppression entry. Nothing a claim changes is
 * seen before its chunk commits, and a chunk whose predecessor failed rolls back without writing,
 * so a fault leaves both chunks pending.
 *
 * The first chunk is claimed at once, and written once `ready` (the purge's start: the batch marked
 * running, its card updated) has committed; should that fail, it rolls back like any later chunk.
 *
 * Stops after a short claim (every pending item no other runner holds is taken) or, at least one
 * chunk in, once `overBudget` says so.
 */
export async function purgeChunks(db: Db, env: ChunkEnvironment, batch: PurgeBatchRow, bounds: RetentionBounds, at: () => Date, size: number, overBudget: () => boolean, ready: Promise<unknown> = Promise.resolve()): Promise<ChunksRun> {
  const chunks: ChunkResult[] = [];
  let writing: Promise<ChunkResult | null> = ready.then(() => null);
  for (let after = 0; ;) {
    const next = openChunk(db, env, batch, bounds, at, { after, size }, writing);
    const [claim, written] = await Promise.allSettled([next.claimed, writing]);
    if (written.status === 'rejected' || claim.status === 'rejected') {
      // The next chunk rolls back (its claim failed, or the chunk before it did): let it end first.
      await next.committed.catch(() => undefined);
      throw written.status === 'rejected' ? written.reason : (claim as PromiseRejectedResult).reason;
    }
    if (written.value) chunks.push(written.value);
    writing = next.committed;
    if (claim.value === null || claim.value.claimed < size) break;
    if (overBudget()) {
      const last = await writing;
      if (last) chunks.push(last);
      return { chunks, more: true };
    }
    after = claim.value.lastContactId;
  }
  const last = await writing;
  if (last) chunks.push(last);
  return { chunks, more: false };
}

/**
 * One chunk's transaction: claimed at once, written once `before` (the previous chunk's commit) has
 * settled, rolled back if that failed. `claimed` settles as soon as the claim has.
 */
function openChunk(db: Db, env: ChunkEnvironment, batch: PurgeBatchRow, bounds: RetentionBounds, at: () => Date, chunk: { after: number; size: number }, before: Promise<unknown>): { claimed: Promise<ClaimedChunk | null>; committed: Promise<ChunkResult | null> } {
  let settleClaim: { resolve(c: ClaimedChunk | null): void; reject(e: unknown): void } | null = null;
  const claimed = new Promise<ClaimedChunk | null>((resolve, reject) => { settleClaim = { resolve, reject }; });
  const committed = db.transaction(async (trx) => {
    // The chunk's one time: its items' processing and its audit event.
    const chunkAt = at();
    const claim = await claimChunk(trx, env.pepper, batch.id, chunk, chunkAt);
    settleClaim!.resolve(claim);
    if (claim === null) return null;
    await before;
    return writeChunk(trx, env, batch, bounds, chunkAt, claim);
  });
  // A transaction that failed before its claim settled: the claim fails with it (a no-op after).
  committed.catch((error: unknown) => settleClaim!.reject(error));
  return { claimed, committed };
}
