import type { IsoDate } from '../domain/dates.js';
import type { Db } from './database.js';

/**
 * What the accountability report reads, as few round trips of plain rows: no names, emails or
 * notes are selected, only references, dates, counts and the committee's recorded grounds. Days
 * are computed in Postgres in the committee's time zone, so "closed on" is the committee's day.
 * Contacts are never read: the report's cost does not grow with the register's size.
 */

export interface ReportRequestData {
  id: number;
  reference: string;
  type: string;
  received_via: string;
  processor_route: boolean;
  received_on: IsoDate;
  due_on: IsoDate | null;
  paused_days: number;
  extended: boolean;
  status: string;
  closed_on: IsoDate | null;
  extension_decided_on: IsoDate | null;
  refusal_grounds: string | null;
  forwarded_on: IsoDate | null;
  extension_told_on: IsoDate | null;
  failed_attempts: number;
  actions_rejected: number;
}

/**
 * Requests received by `until` and not closed before `since`: everything a window of quarters
 * counts, with what their proposals and actions say (one pass over each table, hash-joined).
 */
export async function reportRequests(db: Db, since: IsoDate, until: IsoDate, timeZone: string): Promise<ReportRequestData[]> {
  const result = await db.raw<{ rows: ReportRequestData[] }>(`
    with r as (
      select * from requests
      where received_on <= :until and (closed_at is null or (closed_at at time zone :tz)::date >= :since)
    ), decided as (
      select distinct on (p.request_id, p.kind) p.request_id, p.kind, p.decided_at, p.summary->>'grounds' as grounds
      from proposals p join r on r.id = p.request_id
      where p.kind in ('extension', 'refusal') and p.status = 'approved' order by p.request_id, p.kind, p.id desc
    ), rejected as (
      select p.request_id, count(*)::int as n from proposals p join r on r.id = p.request_id
      where p.kind = 'action' and p.status = 'rejected' group by p.request_id
    ), acted as (
      select a.request_id,
        min(a.finished_at) filter (where a.kind = 'forward-to-controller' and a.status = 'done') as forwarded_at,
        sum(greatest(a.attempts - case when a.status = 'done' then 1 else 0 end, 0))::int as failed
      from actions a join r on r.id = a.request_id group by a.request_id
    )
    select r.id, r.reference, r.type, r.received_via, r.controller is not null as processor_route,
      r.received_on::text as received_on, r.due_on::text as due_on, r.paused_days, r.extended, r.status,
      (r.closed_at at time zone :tz)::date::text as closed_on,
      (e.decided_at at time zone :tz)::date::text as extension_decided_on,
      f.grounds as refusal_grounds,
      coalesce(r.forwarded_on, (acted.forwarded_at at time zone :tz)::date)::text as forwarded_on,
      (select n.told_on::text from request_notices n where n.request_id = r.id and n.kind = 'extension') as extension_told_on,
      coalesce(acted.failed, 0) as failed_attempts,
      coalesce(rejected.n, 0) as actions_rejected
    from r
      left join decided e on e.request_id = r.id and e.kind = 'extension'
      left join decided f on f.request_id = r.id and f.kind = 'refusal'
      left join acted on acted.request_id = r.id
      left join rejected on rejected.request_id = r.id
    order by r.received_on, r.id`, { tz: timeZone, since, until });
  return result.rows;
}

export interface ReportPauseData {
  request_id: number;
  kind: 'identity' | 'authority' | 'clarification' | 'fee';
  paused_on: IsoDate;
  resumed_on: IsoDate | null;
}

export async function reportPauses(db: Db, since: IsoDate, until: IsoDate, timeZone: string): Promise<ReportPauseData[]> {
  const result = await db.raw<{ rows: ReportPauseData[] }>(`
    select p.request_id, p.kind, p.paused_on::text as paused_on, p.resumed_on::text as resumed_on
    from request_pauses p join requests r on r.id = p.request_id
    where r.received_on <= :until and (r.closed_at is null or (r.closed_at at time zone :tz)::date >= :since)
    order by p.request_id, p.paused_on, p.id`, { tz: timeZone, since, until });
  return result.rows;
}

export interface ReportBreachData {
  reference: string;
  aware_at: Date;
  regulator_notified_at: Date | null;
  controllers_affected: boolean;
  controllers_notified_at: Date | null;
  not_reportable_reason: string | null;
  late_reason: string | null;
}

export async function reportBreaches(db: Db, from: Date, to: Date): Promise<ReportBreachData[]> {
  return db('breaches').where('aware_at', '>=', from).where('aware_at', '<', to).orderBy('aware_at')
    .select<ReportBreachData[]>('reference', 'aware_at', 'regulator_notified_at', 'controllers_affected', 'controllers_notified_at', 'not_reportable_reason', 'late_reason');
}

export interface ReportPurgeData {
  id: number;
  reference: string;
  as_of: IsoDate;
  status: string;
  finished_on: IsoDate | null;
  candidate_sha256: string | null;
}

export async function reportPurges(db: Db, since: IsoDate, until: IsoDate, timeZone: string): Promise<ReportPurgeData[]> {
  const result = await db.raw<{ rows: ReportPurgeData[] }>(`
    select id, reference, as_of::text as as_of, status, (finished_at at time zone :tz)::date::text as finished_on, candidate_sha256
    from purge_batches where as_of between :since and :until order by as_of, id`, { tz: timeZone, since, until });
  return result.rows;
}

export interface PurgeItemTally { batch_id: number; reason: string; status: string; note: string | null; count: number }

/** One GROUP BY over the batches' items, however many candidates they hold. */
export async function reportPurgeItemCounts(db: Db, batchIds: readonly number[]): Promise<PurgeItemTally[]> {
  if (batchIds.length === 0) return [];
  return db('purge_items').whereIn('batch_id', batchIds).groupBy('batch_id', 'reason', 'status', 'note')
    .select<PurgeItemTally[]>('batch_id', 'reason', 'status', 'note', db.raw('count(*)::int as count'));
}

export interface SubjectEventData { id: number; subject: string; action: string; on: IsoDate; hash: string }

/** The audit events about these references (purges): id, action, day and hash, nothing else. */
export async function reportAuditEventsAbout(db: Db, subjects: readonly string[], timeZone: string): Promise<SubjectEventData[]> {
  if (subjects.length === 0) return [];
  const result = await db.raw<{ rows: SubjectEventData[] }>(`
    select id, subject, action, (occurred_at at time zone ?)::date::text as on, hash
    from audit_events where subject = any(?) order by id`, [timeZone, [...subjects]]);
  return result.rows;
}

export interface ReviewData { subject: string; kind: 'notice' | 'processor'; reviewed_on: IsoDate[]; added_on: IsoDate | null }

/** The privacy notice's reviews and each service provider's, with the day each provider was added. */
export async function reportReviews(db: Db, timeZone: string): Promise<ReviewData[]> {
  const result = await db.raw<{ rows: ReviewData[] }>(`
    select 'privacy notice' as subject, 'notice' as kind,
      coalesce((select array_agg(reviewed_on::text order by reviewed_on) from notice_reviews), '{}') as reviewed_on, null as added_on
    union all
    select p.name, 'processor',
      coalesce((select array_agg(r.reviewed_on::text order by r.reviewed_on) from processor_reviews r where r.processor_id = p.id), '{}'),
      (p.created_at at time zone ?)::date::text
    from processors p`, [timeZone]);
  return result.rows;
}

/** The earliest day anything the report counts happened, or null for an empty register. */
export async function firstRecordDay(db: Db, timeZone: string): Promise<IsoDate | null> {
  const result = await db.raw<{ rows: { day: IsoDate | null }[] }>(`
    select least((select min(received_on) from requests), (select (min(aware_at) at time zone ?)::date from breaches),
      (select min(as_of) from purge_batches), (select min(received_on) from complaints))::text as day`, [timeZone]);
  return result.rows[0]?.day ?? null;
}

export interface ReportComplaintData { reference: string; received_on: IsoDate; acknowledged_on: IsoDate | null; outcome_on: IsoDate | null }

/** Complaints received by `until` and not answered before `since`: references and dates only. */
export async function reportComplaints(db: Db, since: IsoDate, until: IsoDate): Promise<ReportComplaintData[]> {
  const result = await db.raw<{ rows: ReportComplaintData[] }>(`
    select reference, received_on::text, acknowledged_on::text, outcome_on::text from complaints
    where received_on <= ? and (outcome_on is null or outcome_on >= ?) order by received_on, id`, [until, since]);
  return result.rows;
}
