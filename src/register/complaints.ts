import type { Knex } from 'knex';
import type { ComplaintChannel, ComplaintStatus } from '../domain/complaints.js';
import type { IsoDate } from '../domain/dates.js';
import type { Platform } from './committee.js';
import type { Db } from './database.js';

/** The complaints register (DPA 2018 s.164A). */
export interface ComplaintRow {
  id: number;
  reference: string;
  received_on: IsoDate;
  received_via: ComplaintChannel;
  complainant_email: string | null;
  complainant_name: string | null;
  complainant_hmac: string;
  masked_complainant: string;
  summary: string | null;
  about_request_id: number | null;
  about_breach_id: number | null;
  ack_due_on: IsoDate;
  acknowledged_on: IsoDate | null;
  acknowledged_by: string | null;
  outcome_due_on: IsoDate;
  inquiries: string | null;
  outcome: string | null;
  outcome_on: IsoDate | null;
  outcome_by: string | null;
  status: ComplaintStatus;
  logged_by: string;
  platform: Platform;
  created_at: Date;
}

/** A complaint with the reference of what it is about, as cards and lists show it. */
export interface ComplaintWithAbout extends ComplaintRow {
  about_ref: string | null;
}

export type NewComplaint = Pick<ComplaintRow, 'reference' | 'received_on' | 'received_via' | 'complainant_email' | 'complainant_name'
  | 'complainant_hmac' | 'masked_complainant' | 'summary' | 'about_request_id' | 'about_breach_id' | 'ack_due_on' | 'outcome_due_on' | 'logged_by' | 'platform'>;

export type ComplaintPatch = Partial<Pick<ComplaintRow, 'acknowledged_on' | 'acknowledged_by' | 'inquiries' | 'outcome' | 'outcome_on' | 'outcome_by' | 'status'>>;

const WITH_ABOUT = `c.*, coalesce(r.reference, b.reference) as about_ref`;
const withAbout = (q: Knex.QueryBuilder) => q
  .leftJoin('requests as r', 'r.id', 'c.about_request_id')
  .leftJoin('breaches as b', 'b.id', 'c.about_breach_id');

export async function insertComplaint(trx: Knex.Transaction, complaint: NewComplaint): Promise<ComplaintRow> {
  const [row] = await trx('complaints').insert(complaint).returning<ComplaintRow[]>('*');
  return row!;
}

export async function findComplaintByRef(db: Db | Knex.Transaction, reference: string): Promise<ComplaintWithAbout | null> {
  const row = await withAbout(db('complaints as c')).where('c.reference', reference).first<ComplaintWithAbout | undefined>(db.raw(WITH_ABOUT));
  return row ?? null;
}

export async function getComplaint(db: Db | Knex.Transaction, id: number): Promise<ComplaintWithAbout> {
  const row = await withAbout(db('complaints as c')).where('c.id', id).first<ComplaintWithAbout | undefined>(db.raw(WITH_ABOUT));
  if (!row) throw new Error(`complaint ${id} not found`);
  return row;
}

/** Row-locked, so an acknowledgement and an outcome recorded at once apply one after the other. */
export async function lockComplaintByRef(trx: Knex.Transaction, reference: string): Promise<ComplaintRow | null> {
  return (await trx('complaints').where({ reference }).forUpdate().first<ComplaintRow | undefined>()) ?? null;
}

export async function lockComplaintById(trx: Knex.Transaction, id: number): Promise<ComplaintRow | null> {
  return (await trx('complaints').where({ id }).forUpdate().first<ComplaintRow | undefined>()) ?? null;
}

export async function updateComplaint(trx: Knex.Transaction, id: number, patch: ComplaintPatch): Promise<ComplaintRow> {
  const [row] = await trx('complaints').where({ id }).update(patch).returning<ComplaintRow[]>('*');
  return row!;
}

/** Open and acknowledged complaints by acknowledgement date, then those closed since `closedSince`. */
export async function listComplaints(db: Db, closedSince: IsoDate, limit: number): Promise<ComplaintWithAbout[]> {
  return withAbout(db('complaints as c'))
    .where((q) => q.whereNot('c.status', 'closed').orWhere('c.outcome_on', '>=', closedSince))
    .orderByRaw(`(c.status = 'closed'), c.ack_due_on, c.id`)
    .limit(limit)
    .select<ComplaintWithAbout[]>(db.raw(WITH_ABOUT));
}

/** Complaints about one request or one breach, oldest first (listed on its card and `/dsr show`). */
export async function complaintsAbout(db: Db | Knex.Transaction, about: { requestId: number } | { breachId: number }): Promise<ComplaintRow[]> {
  const where = 'requestId' in about ? { about_request_id: about.requestId } : { about_breach_id: about.breachId };
  return db('complaints').where(where).orderBy('id').select<ComplaintRow[]>('*');
}

/** Open complaints for complaint-reminders. */
export async function openComplaints(db: Db): Promise<ComplaintRow[]> {
  return db('complaints').whereNot({ status: 'closed' }).orderBy([{ column: 'ack_due_on' }, { column: 'id' }]).select<ComplaintRow[]>('*');
}

/**
 * An erasure forgets the complainant on their closed complaints, as it does on closed requests: the
 * masked address and the hash stay, the address, the name and the free text go.
 */
export async function forgetComplainantOnClosedComplaints(trx: Knex.Transaction, complainantHmac: string): Promise<number> {
  return trx('complaints').where({ complainant_hmac: complainantHmac, status: 'closed' })
    .where((q) => q.whereNotNull('complainant_email').orWhereNotNull('complainant_name').orWhereNotNull('summary'))
    .update({ complainant_email: null, complainant_name: null, summary: null, inquiries: null, outcome: null });
}
