import type { Knex } from 'knex';
import { isPurgeSkip, type PurgeSkip, type RetentionBounds } from '../domain/purge.js';
import type { RetentionReason } from '../domain/retention.js';
import { boundBindings, OPEN_CHUNK_CTE, protectionSql, reasonStillHoldsSql } from './purge-sql.js';

/**
 * One chunk of an approved purge in two statements of the caller's transaction:
 * 1. `claimAndLockChunk`: claim pending items (SKIP LOCKED, so a second runner takes other items)
 *    and lock their contacts, returning what the keyed hashes are made of;
 *    It also marks each item as it will most likely end (done; skipped when its contact is gone):
 *    the claim runs while the chunk before is written, so that update costs the chunks' sequence
 *    nothing;
 * 2. `purgeLockedChunk`: re-check each under that lock, then delete, tombstone and suppress, and
 *    mark the few items it keeps as skipped, with why.
 * Both keep the batch's tally (purge-tallies.ts) in step with what they mark.
 * The re-check must be a statement of its own, after the locks are granted: only a statement that
 * starts then sees every change committed while the lock was awaited (an exclusion, a request naming
 * the contact by address). Locked, the rows cannot change, so what (1) read is what (2) deletes.
 */

type Trx = Knex.Transaction;

/**
 * A claimed chunk as columns, one entry per item in contact id order: thousands of rows read as
 * arrays rather than objects, and handed on as arrays, cost the process a fraction of the memory
 * and garbage collection.
 */
export interface LockedChunk {
  readonly contactIds: number[];
  readonly reasons: RetentionReason[];
  readonly wasCustomer: boolean[];
  readonly wasSubscriber: boolean[];
  /** Null, with email and phone, when the contact is already gone. */
  readonly externalIds: (string | null)[];
  readonly emails: (string | null)[];
  /** Only where a suppression entry would be owed (R1 or do-not-contact): no other phone is hashed. */
  readonly phones: (string | null)[];
  readonly doNotContact: boolean[];
}

/** When the chunk's items are processed, and the notes a deleted item gets when it left a suppression record. */
export interface ChunkMarking {
  readonly at: Date;
  readonly notes: { readonly suppressed: string; readonly doNotContact: string };
}

/**
 * The next pending items after `afterContactId` (keyset on the primary key, so a runner never
 * rescans what it has done), with their contacts locked in id order (two lockers never deadlock on
 * each other). Items another runner holds are skipped; any it gives back (its chunk rolled back) are
 * found by the next run, which starts from the beginning again.
 */
export async function claimAndLockChunk(trx: Trx, batchId: number, afterContactId: number, limit: number, marking: ChunkMarking): Promise<LockedChunk> {
  const result = await trx.raw<{ rows: [number, RetentionReason, boolean, boolean, string | null, string | null, string | null, boolean | null, number][] }>(`
    with claimed as (
      select contact_id, reason, note, was_customer, was_subscriber from purge_items
      where batch_id = :batch_id and status = 'pending' and contact_id > :after
      order by contact_id limit :limit for update skip locked),
    locked as (
      select id, external_id, email, phone, do_not_contact from contacts
      where id = any(array(select contact_id from claimed)) order by id for update),
    -- Done, with the note its suppression record earns (do_not_contact cannot change while locked),
    -- or skipped when the contact is already gone; purgeLockedChunk corrects those it keeps.
    marked as (
      update purge_items p set processed_at = :at,
        status = case when c.id is null then 'skipped' else 'done' end,
        note = case when c.id is null then 'gone' when c.do_not_contact then :dnc_note when i.reason = 'R1' then :suppressed_note end
      from claimed i left join locked c on c.id = i.contact_id
      where p.batch_id = :batch_id and p.contact_id > :after and p.contact_id <= (select max(contact_id) from claimed)
        and p.contact_id = i.contact_id and p.status = 'pending'
      returning p.reason, p.status, p.note),
    -- The batch's tally (purge-tallies.ts): the claimed items leave pending for what they were marked.
    tallied as (
      insert into purge_tallies (batch_id, reason, status, note, count)
      select :batch_id::bigint, reason, 'pending', note, -count(*) from claimed group by reason, note
      union all select :batch_id::bigint, reason, status, note, count(*) from marked group by reason, status, note)
    select i.contact_id, i.reason, i.was_customer, i.was_subscriber, c.external_id, c.email,
      case when i.reason = 'R1' or c.do_not_contact then c.phone end, c.do_not_contact, (select count(*) from marked)::int
    from claimed i left join locked c on c.id = i.contact_id order by i.contact_id`,
  { batch_id: batchId, after: afterContactId, limit, at: marking.at, dnc_note: marking.notes.doNotContact, suppressed_note: marking.notes.suppressed }).options({ rowMode: 'array' });
  const rows = result.rows;
  // The items were locked by this statement, so each is marked: anything else is a fault.
  if (rows.length > 0 && rows[0]![8] !== rows.length) throw new Error(`purge chunk claimed ${rows.length} items but marked ${rows[0]![8]}`);
  const chunk: LockedChunk = { contactIds: [], reasons: [], wasCustomer: [], wasSubscriber: [], externalIds: [], emails: [], phones: [], doNotContact: [] };
  for (const row of rows) {
    chunk.contactIds.push(Number(row[0]));
    chunk.reasons.push(row[1]);
    chunk.wasCustomer.push(row[2]);
    chunk.wasSubscriber.push(row[3]);
    chunk.externalIds.push(row[4]);
    chunk.emails.push(row[5]);
    chunk.phones.push(row[6]);
    chunk.doNotContact.push(row[7] === true);
  }
  return chunk;
}

/** The claimed items as the chunk's statement binds them (array literals): see `chunkItems`. */
export interface ChunkItems {
  readonly ids: string;
  readonly firstId: number;
  readonly lastId: number;
  readonly reasons: string;
  readonly wasCustomer: string;
  readonly wasSubscriber: string;
  readonly externalIdHashes: string;
  readonly emailHmacs: string;
}

/**
 * The claimed items with the keyed hashes of their CRM id and email (null when there is none), as
 * the array literals purgeLockedChunk binds: built as soon as the chunk is claimed, while the chunk
 * before it is still being written, rather than after.
 */
export function chunkItems(locked: Pick<LockedChunk, 'contactIds' | 'reasons' | 'wasCustomer' | 'wasSubscriber'>, hashes: { externalIdHashes: readonly (string | null)[]; emailHmacs: readonly (string | null)[] }): ChunkItems {
  const ids = locked.contactIds;
  for (const id of ids) if (!Number.isSafeInteger(id)) throw new Error(`contact id ${id} is not a whole number`);
  return {
    ids: `{${ids.join(',')}}`, firstId: ids.reduce((a, b) => Math.min(a, b)), lastId: ids.reduce((a, b) => Math.max(a, b)),
    reasons: wordsLiteral(locked.reasons), wasCustomer: flagsLiteral(locked.wasCustomer), wasSubscriber: flagsLiteral(locked.wasSubscriber),
    externalIdHashes: wordsLiteral(hashes.externalIdHashes), emailHmacs: wordsLiteral(hashes.emailHmacs),
  };
}

export interface ChunkWrite {
  readonly batchId: number;
  readonly sourceRef: string;
  readonly at: Date;
  /** Every claimed item, with the keyed hashes of its CRM id and email: `chunkItems`. */
  readonly items: ChunkItems;
  /** Suppression entries owed should the contact be deleted (R1, do-not-contact). */
  readonly suppressions: readonly { contactId: number; hmac: string; kind: 'email' | 'phone'; reason: string; tag: string | null }[];
}

export interface ChunkWritten {
  readonly deleted: number;
  readonly tombstoned: number;
  readonly suppressed: number;
  /** Items not deleted: with `deleted`, every item of the chunk. */
  readonly kept: number;
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
 * (what hangs off it cascades), writes its tombstone and owed suppression entries, and marks the
 * items it keeps as skipped with why (the claim marked every item done, or skipped when its contact
 * was gone), keeping a deleted contact's CRM id for the recipients' lists: one statement.
 *
 * The re-check is the DELETE's own condition, so each contact is read once, where it is deleted;
 * only the few it keeps are looked up again, in the same snapshot, to say why (`stillDueSkipSql` is
 * the one expression both use, so the two cannot disagree).
 */
export async function purgeLockedChunk(trx: Trx, write: ChunkWrite, bounds: RetentionBounds): Promise<ChunkWritten> {
  const items = write.items;
  const s = write.suppressions;
  const result = await trx.raw<{ rows: (Omit<ChunkWritten, 'skipped' | 'forget'> & { skipped: Record<string, number> | null; forget: string[] | null })[] }>(`
    with items as (
      select * from unnest(:ids::bigint[], :reasons::text[], :was_customer::boolean[], :was_subscriber::boolean[], :hashes::text[], :email_hmacs::text[])
        as i(contact_id, reason, was_customer, was_subscriber, external_id_hash, email_hmac)),
    ${OPEN_CHUNK_CTE},
    -- Joined to the chunk rather than compared with the arrays bound (see OPEN_CHUNK_CTE).
    excluded_chunk as (select coalesce(array_agg(x.contact_id), '{}') as ids from retention_exclusions x join items i on i.contact_id = x.contact_id),
    -- Subjects with an export file or a closed request, looked up once for the whole chunk.
    traces as materialized (
      select f.subject_hmac as hmac from export_files f join items i on i.email_hmac = f.subject_hmac where f.deleted_at is null
      union select r.subject_hmac from requests r join items i on i.email_hmac = r.subject_hmac where r.closed_at is not null),
    deleted as (
      delete from contacts c
      using items i cross join open_chunk oc cross join excluded_chunk ec
        -- Bounded by the chunk's id range, so that a merge join cannot walk the table from its first row.
        left join contact_tombstones t on t.contact_id = i.contact_id and t.contact_id between :first_id and :last_id
        left join lateral (select i.contact_id as id where i.contact_id = any(oc.ids)) o on true
        left join lateral (select i.contact_id as id where i.contact_id = any(ec.ids)) e on true
      where c.id = i.contact_id and c.id between :first_id and :last_id and (${stillDueSkipSql('c', 't', 'o', 'e', 'i')}) is null
      returning c.id, c.external_id, c.email, c.do_not_contact, i.reason, i.external_id_hash, i.email_hmac),
    -- Why each item not deleted was kept: the same expression, on the rows as the DELETE saw them.
    kept as (
      select i.contact_id, case when c.id is null then 'gone' else ${stillDueSkipSql('c', 't', 'o', 'e', 'i')} end as skip
      from items i cross join open_chunk oc cross join excluded_chunk ec
        left join deleted d on d.id = i.contact_id
        left join lateral (select * from contacts c where c.id = i.contact_id) c on true
        left join lateral (select t.contact_id from contact_tombstones t where t.contact_id = i.contact_id) t on true
        left join lateral (select i.contact_id as id where i.contact_id = any(oc.ids)) o on true
        left join lateral (select i.contact_id as id where i.contact_id = any(ec.ids)) e on true
      where d.id is null),
    -- A contact that has a tombstone is kept back as 'erased' above, so every row here is new: a
    -- conflict would be a fault, and fails the chunk rather than being passed over.
    tombstoned as (
      insert into contact_tombstones (contact_id, external_id_hash, reason, purge_batch_id, suppressed, erased_at)
      select d.id, d.external_id_hash, d.reason, :batch_id, d.reason = 'R1' or d.do_not_contact, :at from deleted d
      returning contact_id),
    suppressed as (
      insert into suppression_list (email_hmac, kind, reason, tag, source_ref, created_at)
      select distinct on (s.hmac) s.hmac, s.kind, s.reason, s.tag, :source_ref, :at
      from unnest(:s_ids::bigint[], :hmacs::text[], :kinds::text[], :s_reasons::text[], :tags::text[]) as s(contact_id, hmac, kind, reason, tag)
        join deleted d on d.id = s.contact_id
      order by s.hmac, s.tag nulls last
      on conflict (email_hmac) do nothing returning email_hmac),
    -- For the recipients' lists (Art 19), until the purge's end writes them.
    crm_ids as (
      insert into purge_erased_crm_ids (batch_id, contact_id, external_id)
      select :batch_id, d.id, d.external_id from deleted d where d.external_id is not null),
    -- The claim marked every item done (or skipped, its contact gone): the ones kept here say why.
    -- Read before the update, in this statement's snapshot, for the tally.
    was_marked as (
      select p.contact_id, p.reason, p.status, p.note from purge_items p join kept k on k.contact_id = p.contact_id
      where p.batch_id = :batch_id and p.contact_id between :first_id and :last_id),
    corrected as (
      update purge_items p set status = 'skipped', note = coalesce(k.skip, 'gone')
      from kept k
      where p.batch_id = :batch_id and p.contact_id between :first_id and :last_id and p.contact_id = k.contact_id
        and (p.status <> 'skipped' or p.note is distinct from coalesce(k.skip, 'gone'))
      returning p.contact_id, p.reason, p.status, p.note),
    tallied as (
      insert into purge_tallies (batch_id, reason, status, note, count)
      select :batch_id::bigint, w.reason, w.status, w.note, -count(*) from was_marked w join corrected x on x.contact_id = w.contact_id group by w.reason, w.status, w.note
      union all select :batch_id::bigint, reason, status, note, count(*) from corrected group by reason, status, note)
    select (select count(*) from deleted)::int as deleted, (select count(*) from tombstoned)::int as tombstoned,
      (select count(*) from suppressed)::int as suppressed, (select count(*) from kept)::int as kept,
      (select jsonb_object_agg(skip, n) from (select coalesce(skip, 'gone') as skip, count(*)::int as n from kept group by 1) g) as skipped,
      (select array_agg(distinct d.email_hmac) from deleted d join traces tr on tr.hmac = d.email_hmac
        where (select c2.id from contacts c2 where lower(c2.email) = lower(d.email) and c2.id <> d.id
            and not exists (select 1 from deleted d2 where d2.id = c2.id) limit 1) is null) as forget`, {
    batch_id: write.batchId, at: write.at, source_ref: write.sourceRef, ...boundBindings(bounds),
    ids: items.ids, first_id: items.firstId, last_id: items.lastId, reasons: items.reasons, was_customer: items.wasCustomer, was_subscriber: items.wasSubscriber,
    hashes: items.externalIdHashes, email_hmacs: items.emailHmacs,
    s_ids: s.map((x) => x.contactId), hmacs: s.map((x) => x.hmac), kinds: s.map((x) => x.kind), s_reasons: s.map((x) => x.reason), tags: s.map((x) => x.tag),
  });
  const row = result.rows[0];
  if (!row) throw new Error('the purge chunk statement returned no row');
  const skipped = row.skipped ?? {};
  for (const why of Object.keys(skipped)) if (!isPurgeSkip(why)) throw new Error(`unexpected purge skip "${why}"`);
  return { deleted: row.deleted, tombstoned: row.tombstoned, suppressed: row.suppressed, kept: row.kept, skipped: skipped as Partial<Record<PurgeSkip, number>>, forget: row.forget ?? [] };
}

/**
 * Why a contact that still exists must not be deleted now, or null when it still qualifies: its
 * protections, then a relationship it did not have when swept, then its reason no longer holding.
 */
function stillDueSkipSql(c: string, tombstone: string, open: string, excluded: string, item: string): string {
  return `coalesce(${protectionSql(c, tombstone, open, excluded)},
    case when ${c}.is_customer and not ${item}.was_customer then 'customer'
      when ${c}.is_subscriber and not ${item}.was_subscriber then 'subscriber'
      when not (${reasonStillHoldsSql(`${item}.reason`, c)}) then 'no-longer-due' end)`;
}

/**
 * Postgres array literals of flags, and of reasons and hex digests: none of them needs quoting, so
 * joined once (and checked once, as one string) they cost a fraction of escaping thousands of
 * elements one by one.
 */
function flagsLiteral(values: readonly boolean[]): string {
  return `{${values.map((v) => (v ? 't' : 'f')).join(',')}}`;
}

function wordsLiteral(values: readonly (string | null)[]): string {
  const literal = `{${values.map((v) => v ?? 'NULL').join(',')}}`;
  if (!/^\{[A-Za-z0-9,]+\}$/.test(literal) || /^\{,|,,|,\}$/.test(literal)) throw new Error('an element is empty or needs quoting in an array literal');
  return literal;
}
