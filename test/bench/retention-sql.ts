import type { Db } from '../../src/register/database.js';

/**
 * The benchmark's register, generated inside Postgres (insert … select from generate_series), and
 * the "floors": the same work written by hand as one SQL statement each, with none of govbot's
 * bookkeeping (batch, proposal, candidate file, card, audit, resumability), to set against it.
 */

/**
 * `count` contacts with a deterministic mix: a quarter customers, a fifth subscribers, collection
 * dates spread over eight years (one in twenty unknown), a third never successfully contacted, 2 %
 * inaccurate, 3 % with an ended interest, 1 % legal holds, 4 % do-not-contact; plus open requests,
 * completed erasures (R1) and committee exclusions.
 */
export async function seedRegister(db: Db, count: number, now: Date): Promise<void> {
  await db.raw(`
    insert into contacts (external_id, email, full_name, phone, address, company, is_customer, is_subscriber,
      first_collected_at, last_successful_contact_at, inaccurate, legitimate_interest_ended_at, legal_hold, do_not_contact, created_at, updated_at)
    select 'BENCH-' || g, 'person.' || g || '@example.com', 'Person ' || g, '+44 20 7946 ' || lpad((g % 10000)::text, 4, '0'),
      g || ' Example Street, London', case when g % 3 = 0 then 'Company ' || (g % 1000) end,
      g % 4 = 0, g % 5 = 0,
      case when g % 20 = 0 then null else :now::timestamptz - ((g * 7919) % 2920) * interval '1 day' - (g % 1440) * interval '1 minute' end,
      case when g % 3 = 0 then null else :now::timestamptz - ((g * 104729) % 2920) * interval '1 day' end,
      g % 50 = 0,
      case when g % 33 = 0 then :now::timestamptz - ((g % 400) - 30) * interval '1 day' end,
      g % 100 = 7, g % 25 = 3, :now, :now
    from generate_series(1::bigint, :count) as g`, { now, count });
  await db.raw(`
    insert into requests (reference, type, subject_email, subject_hmac, contact_id, received_via, received_on, due_on, status, requested_by, details, closed_at)
    select 'DSR-2026-' || lpad(g::text, 5, '0'), case when g <= 200 then 'erasure' else 'access' end,
      case when g <= 200 then null else 'person.' || ((g * 7) % :count + 1) || '@example.com' end, repeat('f', 64),
      (g * 1999) % :count + 1, 'email', '2026-09-01', '2026-10-01',
      case when g <= 200 then 'completed' else 'received' end, 'slack:UBENCH',
      jsonb_build_object('matchedContactIds', jsonb_build_array((g * 1999) % :count + 1)),
      case when g <= 200 then :now::timestamptz end
    from generate_series(1, 700) as g`, { now, count });
  await db.raw(`
    insert into proposals (kind, request_id, quorum, status, proposed_by, requested_by)
    select 'action', id, 2, 'approved', 'govbot', 'slack:UBENCH' from requests where type = 'erasure'`);
  await db.raw(`
    insert into retention_exclusions (contact_id, reason, excluded_by)
    select (g * 4099) % :count + 1, 'bench exclusion', 'slack:UBENCH' from generate_series(1, 1000) as g`, { count });
  await db.raw('analyze');
}

/** The sweep's selection, by hand, into a scratch table without indexes. Returns the rows written. */
export async function floorSweep(db: Db, cutoffStart: Date, asOfEnd: Date): Promise<number> {
  await db.raw('drop table if exists bench_floor_sweep');
  await db.raw('create table bench_floor_sweep (contact_id bigint, reason text, protection text)');
  const result = await db.raw<{ rowCount: number }>(`
    insert into bench_floor_sweep
    select * from (
      select c.id,
        case when r1.id is not null then 'R1'
          when not c.is_customer and not c.is_subscriber and coalesce(c.first_collected_at, c.created_at) < :cutoff
            and (c.last_successful_contact_at is null or c.last_successful_contact_at < :cutoff) then 'R2'
          when c.inaccurate then 'R3'
          when not c.is_customer and c.legitimate_interest_ended_at < :end then 'R4' end as reason,
        case when c.legal_hold then 'legal-hold' when c.processing_restricted then 'restricted' when t.contact_id is not null then 'erased'
          when o.id is not null then 'open-request' when e.id is not null then 'excluded' end as protection
      from contacts c
      left join (select (jsonb_array_elements_text(r.details -> 'matchedContactIds'))::bigint as id from requests r
          join proposals p on p.request_id = r.id and p.kind = 'action' and p.status = 'approved'
          where r.type = 'erasure' and r.status = 'completed'
        union select r.contact_id from requests r join proposals p on p.request_id = r.id and p.kind = 'action' and p.status = 'approved'
          where r.type = 'erasure' and r.status = 'completed') r1 on r1.id = c.id
      left join contact_tombstones t on t.contact_id = c.id
      left join (select contact_id as id from requests where closed_at is null
        union select (jsonb_array_elements_text(details -> 'matchedContactIds'))::bigint from requests where closed_at is null
        union select c2.id from requests r join contacts c2 on lower(c2.email) = lower(trim(r.subject_email)) where r.closed_at is null) o on o.id = c.id
      left join (select distinct contact_id as id from retention_exclusions) e on e.id = c.id
    ) k where k.reason is not null`, { cutoff: cutoffStart, end: asOfEnd });
  return result.rowCount;
}

/**
 * The purge, by hand: one statement deleting the approved contacts and writing their tombstones and
 * suppression entries (md5 standing in for the HMAC, which plain SQL cannot key without pgcrypto).
 */
export async function floorPurge(db: Db, batchId: number): Promise<number> {
  const result = await db.raw<{ rows: { deleted: number }[] }>(`
    with gone as (
      delete from contacts c using purge_items i
      where i.batch_id = :batch and i.status = 'pending' and c.id = i.contact_id
      returning c.id, c.external_id, c.email, c.do_not_contact, i.reason),
    tombstones as (
      insert into contact_tombstones (contact_id, external_id_hash, reason, purge_batch_id, suppressed)
      select id, md5(external_id), reason, :batch, reason = 'R1' or do_not_contact from gone returning 1),
    suppressed as (
      insert into suppression_list (email_hmac, reason, source_ref)
      select distinct md5(lower(email)), 'floor', 'bench' from gone where reason = 'R1' or do_not_contact
      on conflict (email_hmac) do nothing returning 1)
    select (select count(*) from tombstones)::int as deleted, (select count(*) from suppressed)::int as suppressed`, { batch: batchId });
  return result.rows[0]?.deleted ?? 0;
}
