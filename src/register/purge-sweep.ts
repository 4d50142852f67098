import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { RetentionBounds } from '../domain/purge.js';
import { DO_NOT_CONTACT_NOTE } from '../domain/purge-tally.js';
import { batchItemsTable } from './purge-item-partitions.js';
import type { PurgeItemCount } from './purge-items.js';
import { formulaSafeSql } from './purge-items.js';
import { ERASURE_ASKED_CTE, EXCLUDED_CTE, OPEN_SUBJECTS_CTE, protectionSql, retentionReasonSql } from './purge-sql.js';

/**
 * The sweep itself: one statement that reads every contact once, inside Postgres, and
 * - holds each contact a retention reason applies to (`swept`, in order of contact id, with its
 *   CRM id, so the list needs no second look at the register),
 * - writes each as an item of the batch, into the batch's own table (createBatchItems; its key is
 *   built and it is attached once the list has streamed: attachBatchItems),
 * - records the counts by reason, status and note on the batch (`purge_batches.swept_counts`),
 * - and streams the candidate list, as CSV (`contact_id,external_id,reason,kept_back`, in order of
 *   contact id, the CRM id formula-safe), through `COPY (…) TO STDOUT`.
 * One pass over the register selects, stores, counts and lists; nothing is pulled into the process
 * but the file's bytes, streamed with back-pressure.
 *
 * Protected contacts are written too, as `excluded` items with the protection as their note: the
 * card can then say how many were kept back and why, and the committee sees the rule was applied.
 * A pending item tagged "Do not contact" has that as its note, so the card's count of those whose
 * suppression record alone will remain comes from the same counts as the rest.
 *
 * COPY takes no bind parameters: the only values spliced in are a whole number and two instants
 * printed by Date.toISOString, checked here.
 */
export async function insertCandidatesCsv(trx: Knex.Transaction, batchId: number, bounds: RetentionBounds): Promise<Readable & { rowCount: number }> {
  const sql = `copy (${sweepQuery(batchId, bounds)}) to stdout with (format csv, header true)`;
  // The held selection (a third of a million-contact register) and the list's sort stay in memory
  // instead of spilling to temporary files; for this transaction only.
  await trx.raw(`set local work_mem = '${SWEEP_WORK_MEM}'`);
  const client = await trx.client.acquireConnection() as pg.Client;
  return client.query(copyStreams.to(sql));
}

/** The query inside the sweep's COPY (exported so that its plan can be examined). */
export function sweepQuery(batchId: number, bounds: RetentionBounds): string {
  if (!Number.isSafeInteger(batchId)) throw new RangeError('batch id must be a whole number');
  const instant = (d: Date) => `'${d.toISOString()}'::timestamptz`;
  return `
    with ${OPEN_SUBJECTS_CTE}, ${ERASURE_ASKED_CTE}, ${EXCLUDED_CTE},
    swept as materialized (
      select k.id, k.external_id, k.reason, k.is_customer, k.is_subscriber,
        case when k.protection is null then 'pending' else 'excluded' end as status,
        coalesce(k.protection, case when k.do_not_contact then '${DO_NOT_CONTACT_NOTE}' end) as note
      from (
        select c.id, c.external_id, c.is_customer, c.is_subscriber, c.do_not_contact,
          ${retentionReasonSql('c', 'r1')} as reason,
          ${protectionSql('c', 't', 'o', 'e')} as protection
        from contacts c
          left join erasure_asked r1 on r1.id = c.id
          left join contact_tombstones t on t.contact_id = c.id
          left join open_subjects o on o.id = c.id
          left join excluded e on e.id = c.id
      ) k
      where k.reason is not null),
    inserted as (insert into ${batchItemsTable(batchId)} (batch_id, contact_id, reason, status, note, was_customer, was_subscriber)
      select ${batchId}, s.id, s.reason, s.status, s.note, s.is_customer, s.is_subscriber from swept s),
    counted as (update purge_batches set swept_counts = (
        select coalesce(jsonb_agg(g order by g.reason, g.status, g.note), '[]')
        from (select s.reason, s.status, s.note, count(*)::int as count from swept s group by s.reason, s.status, s.note) g)
      where id = ${batchId})
    select s.id as contact_id, ${formulaSafeSql('s.external_id')} as external_id, s.reason,
      case when s.status = 'excluded' then s.note end as kept_back
    from swept s order by s.id`.replaceAll(':cutoff_start', instant(bounds.cutoffStart)).replaceAll(':as_of_end', instant(bounds.asOfEnd));
}

/** Enough for the statement's held rows and its sort at a million contacts (about 40 MiB). */
const SWEEP_WORK_MEM = '64MB';

/** The counts the sweep recorded on the batch (see insertCandidatesCsv), in purgeItemCounts' order. */
export async function sweptCounts(trx: Knex.Transaction, batchId: number): Promise<PurgeItemCount[]> {
  const row = await trx('purge_batches').where({ id: batchId }).first<{ swept_counts: PurgeItemCount[] | null } | undefined>('swept_counts');
  if (!row?.swept_counts) throw new Error(`purge batch ${batchId} has no counts from its sweep`);
  return row.swept_counts.map((c) => ({ reason: c.reason, status: c.status, note: c.note, count: Number(c.count) }));
}
