import type { Knex } from 'knex';
import { isPurgeSkip, type PurgeSkip, type RetentionBounds } from '../domain/purge.js';
import type { RetentionReason } from '../domain/retention.js';
import { boundBindings, OPEN_SUBJECTS_CTE, protectionSql, reasonStillHoldsSql } from './purge-sql.js';

/**
 * One chunk of an approved purge, as a few set-based statements in the caller's transaction:
 * claim pending items (SKIP LOCKED, so a second runner takes other items), lock their contacts,
 * re-check each under that lock, then delete, tombstone, suppress and mark in one statement.
 */

type Trx = Knex.Transaction;

export interface ClaimedItem {
  readonly contact_id: number;
  readonly reason: RetentionReason;
  readonly was_customer: boolean;
  readonly was_subscriber: boolean;
}

/**
 * The next pending items after `afterContactId`, by keyset on the primary key, so that a runner
 * never rescans what it has done. Items another runner holds are skipped; any it gives back (its
 * chunk rolled back) are found by the next run, which starts from the beginning again.
 */
export async function claimPendingItems(trx: Trx, batchId: number, afterContactId: number, limit: number): Promise<ClaimedItem[]> {
  return trx('purge_items').where({ batch_id: batchId, status: 'pending' }).where('contact_id', '>', afterContactId)
    .orderBy('contact_id').limit(limit).forUpdate().skipLocked().select<ClaimedItem[]>('contact_id', 'reason', 'was_customer', 'was_subscriber');
}

/**
 * Row locks on the contacts, in id order (so two lockers never deadlock on each other). Statements
 * after this one see every change committed before the locks were granted, and changes that touch
 * these rows (a new legal hold, an exclusion or request naming them) wait for this transaction.
 */
export async function lockContacts(trx: Trx, ids: readonly number[]): Promise<void> {
  await trx.raw('select id from contacts where id = any(?::bigint[]) order by id for update', [[...ids]]);
}

export interface RecheckedCandidate {
  readonly contactId: number;
  readonly reason: RetentionReason;
  readonly externalId: string | null;
  /** Null when the contact is already gone. */
  readonly email: string | null;
  readonly phone: string | null;
  readonly doNotContact: boolean;
  /** Why it must be left alone now, or null to delete it. */
  readonly skip: PurgeSkip | null;
}

export async function recheckCandidates(trx: Trx, items: readonly ClaimedItem[], bounds: RetentionBounds): Promise<RecheckedCandidate[]> {
  const ids = items.map((i) => i.contact_id);
  const result = await trx.raw<{ rows: { contact_id: number; reason: RetentionReason; external_id: string | null; email: string | null; phone: string | null; do_not_contact: boolean | null; skip: string | null }[] }>(`
    with items as (
      select * from unnest(:ids::bigint[], :reasons::text[], :was_customer::boolean[], :was_subscriber::boolean[])
        as i(contact_id, reason, was_customer, was_subscriber)),
    ${OPEN_SUBJECTS_CTE},
    excluded as (select distinct contact_id as id from retention_exclusions where contact_id = any(:ids::bigint[]))
    select i.contact_id, i.reason, c.external_id, c.email, c.phone, c.do_not_contact,
      case when c.id is null then 'gone' else coalesce(${protectionSql('c', 't', 'o', 'e')},
        case when c.is_customer and not i.was_customer then 'customer'
          when c.is_subscriber and not i.was_subscriber then 'subscriber'
          when not (${reasonStillHoldsSql('i.reason', 'c')}) then 'no-longer-due' end) end as skip
    from items i
      left join contacts c on c.id = i.contact_id
      left join contact_tombstones t on t.contact_id = i.contact_id
      left join open_subjects o on o.id = i.contact_id
      left join excluded e on e.id = i.contact_id
    order by i.contact_id`, {
    ids, reasons: items.map((i) => i.reason), was_customer: items.map((i) => i.was_customer),
    was_subscriber: items.map((i) => i.was_subscriber), ...boundBindings(bounds),
  });
  return result.rows.map((row) => {
    if (row.skip !== null && !isPurgeSkip(row.skip)) throw new Error(`unexpected purge skip "${row.skip}"`);
    return {
      contactId: Number(row.contact_id), reason: row.reason, externalId: row.external_id, email: row.email, phone: row.phone,
      doNotContact: row.do_not_contact === true, skip: row.skip,
    };
  });
}

export interface ChunkWrite {
  readonly batchId: number;
  readonly sourceRef: string;
  readonly at: Date;
  readonly tombstones: readonly { contactId: number; externalIdHash: string | null; reason: RetentionReason; suppressed: boolean }[];
  readonly suppressions: readonly { hmac: string; kind: 'email' | 'phone'; reason: string; tag: string | null }[];
  readonly outcomes: readonly { contactId: number; status: 'done' | 'skipped'; note: string | null }[];
}

export interface ChunkWritten { deleted: number; tombstoned: number; suppressed: number; marked: number }

/** Deletes the rows (what hangs off them cascades), tombstones them, suppresses and marks: one statement. */
export async function applyChunk(trx: Trx, write: ChunkWrite): Promise<ChunkWritten> {
  const t = write.tombstones;
  const result = await trx.raw<{ rows: ChunkWritten[] }>(`
    with deleted as (delete from contacts where id = any(:delete_ids::bigint[]) returning id),
    tombstoned as (
      insert into contact_tombstones (contact_id, external_id_hash, reason, purge_batch_id, suppressed, erased_at)
      select t.contact_id, t.hash, t.reason, :batch_id, t.suppressed, :at
      from unnest(:delete_ids::bigint[], :hashes::text[], :reasons::text[], :suppressed::boolean[]) as t(contact_id, hash, reason, suppressed)
      on conflict (contact_id) do nothing returning contact_id),
    suppressed as (
      insert into suppression_list (email_hmac, kind, reason, tag, source_ref, created_at)
      select distinct on (s.hmac) s.hmac, s.kind, s.reason, s.tag, :source_ref, :at
      from unnest(:hmacs::text[], :kinds::text[], :suppression_reasons::text[], :tags::text[]) as s(hmac, kind, reason, tag)
      order by s.hmac, s.tag nulls last
      on conflict (email_hmac) do nothing returning email_hmac),
    marked as (
      update purge_items p set status = m.status, note = m.note, processed_at = :at
      from unnest(:item_ids::bigint[], :statuses::text[], :notes::text[]) as m(contact_id, status, note)
      where p.batch_id = :batch_id and p.contact_id = m.contact_id and p.status = 'pending' returning p.contact_id)
    select (select count(*) from deleted)::int as deleted, (select count(*) from tombstoned)::int as tombstoned,
      (select count(*) from suppressed)::int as suppressed, (select count(*) from marked)::int as marked`, {
    batch_id: write.batchId, at: write.at, source_ref: write.sourceRef,
    delete_ids: t.map((x) => x.contactId), hashes: t.map((x) => x.externalIdHash), reasons: t.map((x) => x.reason), suppressed: t.map((x) => x.suppressed),
    hmacs: write.suppressions.map((s) => s.hmac), kinds: write.suppressions.map((s) => s.kind),
    suppression_reasons: write.suppressions.map((s) => s.reason), tags: write.suppressions.map((s) => s.tag),
    item_ids: write.outcomes.map((o) => o.contactId), statuses: write.outcomes.map((o) => o.status), notes: write.outcomes.map((o) => o.note),
  });
  const row = result.rows[0];
  if (!row) throw new Error('the purge chunk statement returned no row');
  return row;
}

export async function hasPendingItems(trx: Trx, batchId: number): Promise<boolean> {
  const row = await trx('purge_items').where({ batch_id: batchId, status: 'pending' }).first<{ contact_id: number } | undefined>('contact_id');
  return row !== undefined;
}
