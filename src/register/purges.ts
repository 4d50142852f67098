import type { Knex } from 'knex';
import type { IsoDate } from '../domain/dates.js';
import type { PurgeBatchStatus } from '../domain/purge.js';
import type { Db } from './database.js';
import type { ProposalRow } from './proposals.js';

/** Purge batches (one per quarterly sweep, `PURGE-2026-Q4`) and the proposal each is voted on through. */

type Conn = Db | Knex.Transaction;

export interface PurgeBatchRow {
  id: number;
  reference: string;
  as_of: IsoDate;
  status: PurgeBatchStatus;
  /** The completion report's figures, once done. */
  counts: Record<string, unknown>;
  candidate_file: string | null;
  candidate_sha256: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

/** 'govpurge' in ASCII: serialises sweeps across processes, so two never plan at once. */
const SWEEP_LOCK_KEY = '7453306133700306789';

export async function lockPurgeSweeps(trx: Knex.Transaction): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(?::bigint)', [SWEEP_LOCK_KEY]);
}

export async function insertPurgeBatch(trx: Knex.Transaction, batch: { reference: string; as_of: IsoDate; created_at: Date }): Promise<PurgeBatchRow> {
  const [row] = await trx('purge_batches').insert(batch).returning('*');
  return row as PurgeBatchRow;
}

/** For a sweep that found nothing to propose: the batch and its items go (items have no cascade: see the migration). */
export async function deletePurgeBatch(trx: Knex.Transaction, id: number): Promise<void> {
  await trx('purge_items').where({ batch_id: id }).delete();
  await trx('purge_batches').where({ id }).delete();
}

export async function getPurgeBatch(db: Conn, id: number): Promise<PurgeBatchRow | null> {
  return (await db('purge_batches').where({ id }).first<PurgeBatchRow | undefined>()) ?? null;
}

export async function lockPurgeBatch(trx: Knex.Transaction, id: number): Promise<PurgeBatchRow | null> {
  return (await trx('purge_batches').where({ id }).forUpdate().first<PurgeBatchRow | undefined>()) ?? null;
}

/** The most recent batch, whatever its state: what `/gov purge` shows when nothing is open. */
export async function latestPurgeBatch(db: Conn): Promise<PurgeBatchRow | null> {
  return (await db('purge_batches').orderBy('id', 'desc').first<PurgeBatchRow | undefined>()) ?? null;
}

/** How many batches a quarter already has (`PURGE-2026-Q4`, `PURGE-2026-Q4-2`, ...). */
export async function countBatchesOfQuarter(db: Conn, quarterRef: string): Promise<number> {
  const row = await db('purge_batches').where('reference', quarterRef).orWhere('reference', 'like', `${quarterRef}-%`)
    .count<{ count: string | number }[]>({ count: '*' }).first();
  return Number(row?.count ?? 0);
}

/** Approved batches whose purge has not finished, oldest first: the purge's work queue. */
export async function batchesToPurge(db: Conn): Promise<PurgeBatchRow[]> {
  return db('purge_batches').whereIn('status', ['approved', 'running']).orderBy('id').select<PurgeBatchRow[]>('*');
}

export async function updatePurgeBatch(trx: Knex.Transaction, id: number, patch: Partial<Pick<PurgeBatchRow, 'status' | 'candidate_file' | 'candidate_sha256' | 'started_at' | 'finished_at' | 'counts'>>): Promise<void> {
  const values: Record<string, unknown> = { ...patch };
  if (patch.counts) values.counts = JSON.stringify(patch.counts);
  await trx('purge_batches').where({ id }).update(values);
}

/** approved → running, stamping the start once; false for a batch already running (a resumed purge). */
export async function startPurgeBatch(db: Conn, id: number, at: Date): Promise<boolean> {
  return (await db('purge_batches').where({ id, status: 'approved' }).update({ status: 'running', started_at: at })) > 0;
}

/** The purge proposal awaiting votes, if any (a unique index allows one). */
export async function openPurgeProposal(db: Conn): Promise<ProposalRow | null> {
  return (await db('proposals').where({ kind: 'purge', status: 'open' }).first<ProposalRow | undefined>()) ?? null;
}

/** The proposal a batch is voted on through (the latest, should there ever be more). */
export async function proposalOfBatch(db: Conn, batchId: number): Promise<ProposalRow | null> {
  return (await db('proposals').where({ kind: 'purge', purge_batch_id: batchId }).orderBy('id', 'desc').first<ProposalRow | undefined>()) ?? null;
}

/** Closes a stale proposal without a vote (superseded by a later quarter's sweep). */
export async function closePurgeProposal(trx: Knex.Transaction, id: number, status: 'superseded' | 'cancelled', reason: string, at: Date): Promise<void> {
  await trx('proposals').where({ id, status: 'open' }).update({ status, decision_reason: reason, decided_at: at });
}

export async function findPurgeBatchByRef(db: Conn, reference: string): Promise<PurgeBatchRow | null> {
  return (await db('purge_batches').where({ reference }).first<PurgeBatchRow | undefined>()) ?? null;
}
