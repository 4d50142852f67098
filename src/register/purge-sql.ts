import type { RetentionBounds } from '../domain/purge.js';

/**
 * The retention rules of `domain/retention.ts` (`retentionReason`, `retentionExclusion`) written as
 * SQL, for the sweep's one set-based statement and for the purge's re-check under lock. They must
 * draw exactly the same lines as the pure functions, which a test checks on thousands of contacts.
 *
 * Calendar days are compared as instants: "collected before the cutoff day in TIMEZONE" is
 * `first_collected_at < :cutoff_start`, the first instant of that day there. That is the same test
 * as comparing local dates, and it keeps the partial indexes on the raw columns usable.
 *
 * Named bindings every fragment expects: `:cutoff_start` (first instant of the cutoff day) and
 * `:as_of_end` (first instant of the day after the sweep's date).
 */

/**
 * R2: no customer or subscriber, held since before the cutoff (since the register first saw the
 * row when the collection date is unknown), no successful contact on or after it.
 */
export function heldTooLongSql(c: string): string {
  return `(not ${c}.is_customer and not ${c}.is_subscriber and coalesce(${c}.first_collected_at, ${c}.created_at) < :cutoff_start
    and (${c}.last_successful_contact_at is null or ${c}.last_successful_contact_at < :cutoff_start))`;
}

/** R4: the legitimate interest ended on or before the sweep's date; never for a current customer. */
export function interestEndedSql(c: string): string {
  return `(not ${c}.is_customer and ${c}.legitimate_interest_ended_at < :as_of_end)`;
}

/** The first reason R1..R4 that applies, ignoring protections; `r1` is a joined row of ERASURE_ASKED. */
export function retentionReasonSql(c: string, r1: string): string {
  return `case when ${r1}.id is not null then 'R1'
    when ${heldTooLongSql(c)} then 'R2'
    when ${c}.inaccurate then 'R3'
    when ${interestEndedSql(c)} then 'R4' end`;
}

/** Whether the reason an item was approved for still holds (R1 cannot lapse: the erasure was asked). */
export function reasonStillHoldsSql(reason: string, c: string): string {
  return `case ${reason} when 'R1' then true
    when 'R2' then ${heldTooLongSql(c)}
    when 'R3' then ${c}.inaccurate
    when 'R4' then coalesce(${interestEndedSql(c)}, false) else false end`;
}

/** Protections in `retentionExclusion`'s order; each alias is a left-joined row of the CTEs below. */
export function protectionSql(c: string, tombstone: string, open: string, excluded: string): string {
  return `case when ${c}.legal_hold then 'legal-hold'
    when ${c}.processing_restricted then 'restricted'
    when ${tombstone}.contact_id is not null then 'erased'
    when ${open}.id is not null then 'open-request'
    when ${excluded}.id is not null then 'excluded' end`;
}

const MATCHED_IDS = `jsonb_array_elements_text(case when jsonb_typeof(r.details -> 'matchedContactIds') = 'array'
  then r.details -> 'matchedContactIds' else '[]'::jsonb end)::bigint`;

/**
 * Subjects of open requests: the contact the request names, every register row it matched when it
 * was logged, and any row with the subject's email (a row imported after the request was logged).
 * While a request is open its own workflow decides what happens to these rows, not the sweep.
 * A `union` (not `union all`): joined on, each id must appear once.
 */
export const OPEN_SUBJECTS_CTE = `open_subjects as (
  select r.contact_id as id from requests r where r.closed_at is null and r.contact_id is not null
  union select ${MATCHED_IDS} from requests r where r.closed_at is null
  union select c.id from requests r join contacts c on lower(c.email) = lower(trim(r.subject_email))
    where r.closed_at is null and r.subject_email is not null)`;

/**
 * R1 in the register: rows the committee approved erasing for a request that was then closed as
 * completed without the erasure being carried out (closed by hand while the action was queued).
 * An erasure still in progress belongs to its open request, which protects its rows instead.
 */
export const ERASURE_ASKED_CTE = `erasure_asked as (
  select ${MATCHED_IDS} as id from requests r
    where r.type = 'erasure' and r.status = 'completed'
      and exists (select 1 from proposals p where p.request_id = r.id and p.kind = 'action' and p.status = 'approved')
  union select r.contact_id from requests r
    where r.type = 'erasure' and r.status = 'completed' and r.contact_id is not null
      and exists (select 1 from proposals p where p.request_id = r.id and p.kind = 'action' and p.status = 'approved'))`;

/** Committee exclusions stand until lifted: a legal hold recorded once keeps the row out of every sweep. */
export const EXCLUDED_CTE = 'excluded as (select distinct contact_id as id from retention_exclusions)';

/** Bindings for the fragments above. */
export function boundBindings(bounds: RetentionBounds): { cutoff_start: Date; as_of_end: Date } {
  return { cutoff_start: bounds.cutoffStart, as_of_end: bounds.asOfEnd };
}

/**
 * OPEN_SUBJECTS_CTE's lines drawn only for the contacts of a purge chunk (the `items` CTE before
 * it), as one array `open_chunk.ids`: each line joins the chunk to an index or to a small scan of
 * the open requests, instead of listing every open request's subjects for every chunk. Same three
 * lines: the contact an open request names, a row it matched, a row with its subject's email.
 *
 * Joined, not compared with a bound array: a bound array of thousands is a constant the planner
 * estimates element by element at every use (about 30 ms a chunk), and an array read at run time
 * is searched element by element for every row.
 */
export const OPEN_CHUNK_CTE = `open_chunk as (select coalesce(array_agg(distinct o.id), '{}') as ids from (
  select r.contact_id as id from requests r join items i on i.contact_id = r.contact_id where r.closed_at is null
  union all select m.id from (select ${MATCHED_IDS} as id from requests r where r.closed_at is null) m join items i on i.contact_id = m.id
  union all select c.id from items i join contacts c on c.id = i.contact_id where lower(c.email) in (
    select lower(trim(r.subject_email)) from requests r where r.closed_at is null and r.subject_email is not null)) o)`;
