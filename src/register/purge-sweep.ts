import type { Knex } from 'knex';
import type { RetentionBounds } from '../domain/purge.js';
import type { PurgeItemCount } from './purge-items.js';
import {
  boundBindings, ERASURE_ASKED_CTE, EXCLUDED_CTE, OPEN_SUBJECTS_CTE, protectionSql, retentionReasonSql,
} from './purge-sql.js';

/**
 * The sweep itself: one INSERT … SELECT that reads every contact once, inside Postgres, and writes
 * each one a retention reason applies to as an item of the batch. Nothing is pulled into the
 * process, so its memory does not grow with the register.
 *
 * Protected contacts are written too, as `excluded` items with the protection as their note: the
 * card can then say how many were kept back and why, and the committee sees the rule was applied.
 * Returns the items' counts (as purgeItemCounts would), summed from what was inserted.
 */
export async function insertCandidates(trx: Knex.Transaction, batchId: number, bounds: RetentionBounds): Promise<PurgeItemCount[]> {
  const result = await trx.raw<{ rows: PurgeItemCount[] }>(`
    with ${OPEN_SUBJECTS_CTE}, ${ERASURE_ASKED_CTE}, ${EXCLUDED_CTE},
    inserted as (insert into purge_items (batch_id, contact_id, reason, status, note, was_customer, was_subscriber)
    select :batch_id, k.id, k.reason, case when k.protection is null then 'pending' else 'excluded' end,
      k.protection, k.is_customer, k.is_subscriber
    from (
      select c.id, c.is_customer, c.is_subscriber,
        ${retentionReasonSql('c', 'r1')} as reason,
        ${protectionSql('c', 't', 'o', 'e')} as protection
      from contacts c
        left join erasure_asked r1 on r1.id = c.id
        left join contact_tombstones t on t.contact_id = c.id
        left join open_subjects o on o.id = c.id
        left join excluded e on e.id = c.id
    ) k
    where k.reason is not null
    returning reason, status, note)
    select reason, status, note, count(*)::int as count from inserted group by reason, status, note order by reason, status, note`,
  { batch_id: batchId, ...boundBindings(bounds) });
  return result.rows;
}
