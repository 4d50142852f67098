import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { RetentionBounds } from '../domain/purge.js';
import { DO_NOT_CONTACT_NOTE } from '../domain/purge-tally.js';
import { formulaSafeSql } from './purge-items.js';
import { ERASURE_ASKED_CTE, EXCLUDED_CTE, OPEN_SUBJECTS_CTE, protectionSql, retentionReasonSql } from './purge-sql.js';

/**
 * The sweep itself: one INSERT … SELECT that reads every contact once, inside Postgres, and writes
 * each one a retention reason applies to as an item of the batch, run inside `COPY (…) TO STDOUT`
 * so that its RETURNING rows, joined to their contacts' CRM ids, are the candidate list, as CSV (`contact_id,external_id,reason,kept_back`,
 * in order of contact id, the CRM id formula-safe). One pass over the register selects, stores and
 * lists; nothing is pulled into the process but the file's bytes, streamed with back-pressure.
 *
 * Protected contacts are written too, as `excluded` items with the protection as their note: the
 * card can then say how many were kept back and why, and the committee sees the rule was applied.
 * A pending item tagged "Do not contact" has that as its note, so the card's count of those whose
 * suppression record alone will remain comes from the same GROUP BY as the rest.
 *
 * COPY takes no bind parameters: the only values spliced in are a whole number and two instants
 * printed by Date.toISOString, checked here.
 */
export async function insertCandidatesCsv(trx: Knex.Transaction, batchId: number, bounds: RetentionBounds): Promise<Readable & { rowCount: number }> {
  if (!Number.isSafeInteger(batchId)) throw new RangeError('batch id must be a whole number');
  const instant = (d: Date) => `'${d.toISOString()}'::timestamptz`;
  const sql = `copy (
    with ${OPEN_SUBJECTS_CTE}, ${ERASURE_ASKED_CTE}, ${EXCLUDED_CTE},
    inserted as (insert into purge_items (batch_id, contact_id, reason, status, note, was_customer, was_subscriber)
    select ${batchId}, k.id, k.reason, case when k.protection is null then 'pending' else 'excluded' end,
      coalesce(k.protection, case when k.do_not_contact then '${DO_NOT_CONTACT_NOTE}' end), k.is_customer, k.is_subscriber
    from (
      select c.id, c.is_customer, c.is_subscriber, c.do_not_contact,
        ${retentionReasonSql('c', 'r1')} as reason,
        ${protectionSql('c', 't', 'o', 'e')} as protection
      from contacts c
        left join erasure_asked r1 on r1.id = c.id
        left join contact_tombstones t on t.contact_id = c.id
        left join open_subjects o on o.id = c.id
        left join excluded e on e.id = c.id
    ) k
    where k.reason is not null
    returning contact_id, reason, status, note)
    select i.contact_id, ${formulaSafeSql('c.external_id')} as external_id, i.reason,
      case when i.status = 'excluded' then coalesce(i.note, 'excluded') end as kept_back
    from inserted i join contacts c on c.id = i.contact_id order by i.contact_id
  ) to stdout with (format csv, header true)`.replaceAll(':cutoff_start', instant(bounds.cutoffStart)).replaceAll(':as_of_end', instant(bounds.asOfEnd));
  const client = await trx.client.acquireConnection() as pg.Client;
  return client.query(copyStreams.to(sql));
}
