import type { Knex } from 'knex';
import { isPurgeSkip, type PurgeSkip, type RetentionBounds } from '../domain/purge.js';
import type { RetentionReason } from '../domain/retention.js';
import { boundBindings, OPEN_CHUNK_CTE, protectionSql, reasonStillHoldsSql } from './purge-sql.js';

/**
 * One chunk of an approved purge in two statements of the caller's transaction:
 * 1. `claimAndLockChunk`: claim pending items (SKIP LOCKED, so a second runner takes other items)
 *    and lock their contacts, returning what the keyed hashes are made of;
 * 2. `purgeLockedChunk`: re-check each under that lock, then delete, tombstone, suppress and mark.
 * The re-check must be a statement of its own, after the locks are granted: only a statement that
 * starts then sees every change committed while the lock was awaited (an exclusion, a request naming
 * the contact by address). Locked, the rows cannot change, so what (1) read is what (2) deletes.
 */

type Trx = Knex.Transaction;

export interface LockedCandidate {
  readonly contactId: number;
  readonly reason: RetentionReason;
  readonly wasCustomer: boolean;
  readonly wasSubscriber: boolean;
  /** Null, with email and phone, when the contact is already gone. */
  readonly externalId: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly doNotContact: boolean;
}

/**
 * The next pending items after `afterContactId` (keyset on the primary key, so a runner never
 * rescans what it has done), with their contacts locked in id order (two lockers never deadlock on
 * each other). Items another runner holds are skipped; any it gives back (its chunk rolled back) are
 * found by the next run, which starts from the beginning again.
 */
export async function claimAndLockChunk(trx: Trx, batchId: number, afterContactId: number, limit: number): Promise<LockedCandidate[]> {
  const result = await trx.raw<{ rows: { contact_id: string | number; reason: RetentionReason; was_customer: boolean; was_subscriber: boolean; external_id: string | null; email: string | null; phone: string | null; do_not_contact: boolean | null }[] }>(`
    with claimed as (
      select contact_id, reason, was_customer, was_subscriber from purge_items
      where batch_id = :batch_id and status = 'pending' and contact_id > :after
      order by contact_id limit :limit for update skip locked),
    locked as (
      select id, external_id, email, phone, do_not_contact from contacts
      where id = any(array(select contact_id from claimed)) order by id for update)
    select i.contact_id, i.reason, i.was_customer, i.was_subscriber, c.external_id, c.email, c.phone, c.do_not_contact
    from claimed i left join locked c on c.id = i.contact_id order by i.contact_id`,
  { batch_id: batchId, after: afterContactId, limit });
  return result.rows.map((row) => ({
    contactId: Number(row.contact_id), reason: row.reason, wasCustomer: row.was_customer, wasSubscriber: row.was_subscriber,
    externalId: row.external_id, email: row.email, phone: row.phone, doNotContact: row.do_not_contact === true,
  }));
}

export interface ChunkWrite {
  readonly batchId: number;
  readonly sourceRef: string;
  readonly at: Date;
  /** Every claimed item, with the keyed hashes of its CRM id and email (null when it has none). */
  readonly items: readonly (LockedCandidate & { externalIdHash: string | null; emailHmac: string | null })[];
  /** Suppression entries owed should the contact be deleted (R1, do-not-contact). */
  readonly suppressions: readonly { contactId: number; hmac: string; kind: 'email' | 'phone'; reason: string; tag: string | null }[];
  /** The notes a deleted item gets when it left a suppression record. */
  readonly notes: { readonly suppressed: string; readonly doNotContact: string };
}

export interface ChunkWritten {
  readonly deleted: number;
  readonly tombstoned: number;
  readonly suppressed: number;
  readonly marked: number;
  readonly skipped: Readonly<Partial<Record<PurgeSkip, number>>>;
  /**
   * Keyed email hashes of deleted contacts whose address no other contact still has and that have
   * an export file or a closed request: their subjects are gone from the register, so what else it
   * keeps about them goes too (only those, so that most chunks need no further statement).
   */
  readonly forget: readonly string[];
}

/**
 * Re-checks the locked chunk (the protections and the reason, as the sweep drew them; a contact
 * that has since become a customer or subscriber is left alone), deletes what still qualifies
 * (what hangs off it cascades), writes its tombstone and owed suppression entries, and marks every
 * item done or skipped with why, keeping a deleted contact's CRM id on its item for the recipients'
 * lists: one statement.
 */
export async function purgeLockedChunk(trx: Trx, write: ChunkWrite, bounds: RetentionBounds): Promise<ChunkWritten> {
  const items = write.items;
  const ids = items.map((i) => i.contactId);
  const s = write.suppressions;
  const result = await trx.raw<{ rows: (Omit<ChunkWritten, 'skipped' | 'forget'> & { skipped: Record<string, number> | null; forget: string[] | null })[] }>(`
    with items as (
      select * from unnest(:ids::bigint[], :reasons::text[], :was_customer::boolean[], :was_subscriber::boolean[], :hashes::text[], :email_hmacs::text[])
        as i(contact_id, reason, was_customer, was_subscriber, external_id_hash, email_hmac)),
    ${OPEN_CHUNK_CTE},
    excluded_chunk as (select coalesce(array_agg(contact_id), '{}') as ids from retention_exclusions where contact_id = any(:ids::bigint[])),
    -- Subjects with an export file or a closed request, looked up once for the whole chunk.
    traces as materialized (
      select f.subject_hmac as hmac from export_files f where f.subject_hmac = any(:email_hmacs::text[]) and f.deleted_at is null
      union select r.subject_hmac from requests r where r.subject_hmac = any(:email_hmacs::text[]) and r.closed_at is not null),
    -- The chunk's protections as two arrays, joined row by row: every estimate stays at the chunk's size.
    checked as (
      select i.contact_id, i.reason, i.external_id_hash, i.email_hmac, c.email, coalesce(c.do_not_contact, false) as do_not_contact,
        case when c.id is null then 'gone' else coalesce(${protectionSql('c', 't', 'o', 'e')},
          case when c.is_customer and not i.was_customer then 'customer'
            when c.is_subscriber and not i.was_subscriber then 'subscriber'
            when not (${reasonStillHoldsSql('i.reason', 'c')}) then 'no-longer-due' end) end as skip
      from items i cross join open_chunk oc cross join excluded_chunk ec
        -- Bounded by the chunk's id range, so that a merge join cannot walk either table from its first row.
        left join contacts c on c.id = i.contact_id and c.id between :first_id and :last_id
        left join contact_tombstones t on t.contact_id = i.contact_id and t.contact_id between :first_id and :last_id
        left join lateral (select i.contact_id as id where i.contact_id = any(oc.ids)) o on true
        left join lateral (select i.contact_id as id where i.contact_id = any(ec.ids)) e on true),
    deleted as (delete from contacts c using checked k where c.id = k.contact_id and k.skip is null returning c.id, c.external_id),
    -- A contact that has a tombstone is kept back as 'erased' above, so every row here is new: a
    -- conflict would be a fault, and fails the chunk rather than being passed over.
    tombstoned as (
      insert into contact_tombstones (contact_id, external_id_hash, reason, purge_batch_id, suppressed, erased_at)
      select k.contact_id, k.external_id_hash, k.reason, :batch_id, k.reason = 'R1' or k.do_not_contact, :at
      from checked k join deleted d on d.id = k.contact_id
      returning contact_id),
    suppressed as (
      insert into suppression_list (email_hmac, kind, reason, tag, source_ref, created_at)
      select distinct on (s.hmac) s.hmac, s.kind, s.reason, s.tag, :source_ref, :at
      from unnest(:s_ids::bigint[], :hmacs::text[], :kinds::text[], :s_reasons::text[], :tags::text[]) as s(contact_id, hmac, kind, reason, tag)
        join deleted d on d.id = s.contact_id
      order by s.hmac, s.tag nulls last
      on conflict (email_hmac) do nothing returning email_hmac),
    marked as (
      update purge_items p set processed_at = :at, external_id = d.external_id,
        status = case when d.id is null then 'skipped' else 'done' end,
        note = case when d.id is null then coalesce(k.skip, 'gone') when k.do_not_contact then :dnc_note
          when k.reason = 'R1' then :suppressed_note end
      from checked k left join deleted d on d.id = k.contact_id
      where p.batch_id = :batch_id and p.contact_id = any(:ids::bigint[]) and p.contact_id = k.contact_id and p.status = 'pending'
      returning p.contact_id)
    select (select count(*) from deleted)::int as deleted, (select count(*) from tombstoned)::int as tombstoned,
      (select count(*) from suppressed)::int as suppressed, (select count(*) from marked)::int as marked,
      (select jsonb_object_agg(skip, n) from (select skip, count(*)::int as n from checked where skip is not null group by skip) g) as skipped,
      (select array_agg(distinct k.email_hmac) from checked k join traces tr on tr.hmac = k.email_hmac
        where k.skip is null
          and (select c2.id from contacts c2 where lower(c2.email) = lower(k.email) and c2.id <> k.contact_id
            and not exists (select 1 from checked k2 where k2.contact_id = c2.id and k2.skip is null) limit 1) is null) as forget`, {
    batch_id: write.batchId, at: write.at, source_ref: write.sourceRef, ...boundBindings(bounds),
    ids, first_id: ids.reduce((a, b) => Math.min(a, b)), last_id: ids.reduce((a, b) => Math.max(a, b)), reasons: items.map((i) => i.reason), was_customer: items.map((i) => i.wasCustomer), was_subscriber: items.map((i) => i.wasSubscriber),
    hashes: items.map((i) => i.externalIdHash), email_hmacs: items.map((i) => i.emailHmac),
    s_ids: s.map((x) => x.contactId), hmacs: s.map((x) => x.hmac), kinds: s.map((x) => x.kind), s_reasons: s.map((x) => x.reason), tags: s.map((x) => x.tag),
    dnc_note: write.notes.doNotContact, suppressed_note: write.notes.suppressed,
  });
  const row = result.rows[0];
  if (!row) throw new Error('the purge chunk statement returned no row');
  const skipped = row.skipped ?? {};
  for (const why of Object.keys(skipped)) if (!isPurgeSkip(why)) throw new Error(`unexpected purge skip "${why}"`);
  return { deleted: row.deleted, tombstoned: row.tombstoned, suppressed: row.suppressed, marked: row.marked, skipped: skipped as Partial<Record<PurgeSkip, number>>, forget: row.forget ?? [] };
}
