import type { Knex } from 'knex';
import type { IsoDate } from '../domain/dates.js';
import type { RequestFilter, RequestStatus } from '../domain/request-states.js';
import type { Channel, RequestType } from '../domain/request-types.js';
import type { Db } from './database.js';
import { execute, prepared } from './prepared-statements.js';
import { sqlId, sqlLiteral } from './sql-literals.js';
import type { PauseRow } from './pauses.js';
import type { NoticeRow } from './request-notices.js';

export interface RequestRow {
  id: number;
  reference: string;
  type: RequestType;
  subject_email: string | null;
  subject_name: string | null;
  subject_hmac: string;
  contact_id: number | null;
  received_via: Channel;
  agent_name: string | null;
  controller: string | null;
  received_on: IsoDate;
  /** A copy of the clock (services/request-clock.ts): null while it has not started or stands still. */
  due_on: IsoDate | null;
  relevant_on: IsoDate | null;
  /** Days stopped for clarification that count (the column predates Art 12A's wording). */
  paused_days: number;
  /** Processor route: the day the request was passed to its controller. */
  forwarded_on: IsoDate | null;
  /** 1: written under the pre-Art 12A model and not yet recomputed; 2: current. */
  clock_model: number;
  extended: boolean;
  extension_reason: string | null;
  status: RequestStatus;
  status_reason: string | null;
  possible_repeat_of: number | null;
  requested_by: string;
  /** The chat delivery that logged it, where that delivery may be worked on twice (see slack-inbox.ts). */
  delivery_key?: string | null;
  details: Record<string, unknown>;
  created_at: Date;
  closed_at: Date | null;
}

export type NewRequest = Omit<RequestRow, 'id' | 'paused_days' | 'relevant_on' | 'forwarded_on' | 'clock_model' | 'extended' | 'extension_reason' | 'status' | 'status_reason' | 'created_at' | 'closed_at'>
  & Partial<Pick<RequestRow, 'relevant_on'>>;

export async function insertRequest(trx: Knex.Transaction, request: NewRequest): Promise<RequestRow> {
  const [row] = await trx('requests').insert({ ...request, details: JSON.stringify(request.details) }).returning('*');
  return row as RequestRow;
}

export async function findRequestByRef(db: Db, reference: string): Promise<RequestRow | null> {
  return (await db('requests').where({ reference }).first<RequestRow | undefined>()) ?? null;
}

export async function findRequestByDeliveryKey(db: Db, deliveryKey: string): Promise<RequestRow | null> {
  return (await db('requests').where({ delivery_key: deliveryKey }).first<RequestRow | undefined>()) ?? null;
}

export async function getRequest(db: Db, id: number): Promise<RequestRow> {
  return db('requests').where({ id }).first<RequestRow>();
}

/** Row lock for the length of the caller's transaction: changes to one request are serialised. */
export async function lockRequest(trx: Knex.Transaction, id: number): Promise<RequestRow> {
  return trx('requests').where({ id }).forUpdate().first<RequestRow>();
}

export async function updateRequest(trx: Knex.Transaction, id: number, patch: Partial<Omit<RequestRow, 'id' | 'reference'>>): Promise<RequestRow> {
  const values: Record<string, unknown> = { ...patch, updated_at: trx.fn.now() };
  if (patch.details) values.details = JSON.stringify(patch.details);
  const [row] = await trx('requests').where({ id }).update(values).returning('*');
  return row as RequestRow;
}

export type { RequestFilter };

/**
 * Requests for `/dsr list`: open ones (their clocks decide which are overdue or due soon, so the
 * caller filters), closed ones most recently closed first, or all, newest first.
 */
export async function listRequests(db: Db, filter: 'open' | 'closed' | 'all', limit = 50): Promise<RequestRow[]> {
  const query = db('requests').select<RequestRow[]>('*').limit(limit);
  switch (filter) {
    case 'open': query.whereNull('closed_at').orderBy([{ column: 'due_on' }, { column: 'id' }]); break;
    case 'closed': query.whereNotNull('closed_at').orderBy('closed_at', 'desc'); break;
    case 'all': query.orderBy('id', 'desc'); break;
  }
  return query;
}

/** What a request's clock is computed from (services/request-clock.ts). */
export type ClockedRequest = Pick<RequestRow, 'received_on' | 'type' | 'extended' | 'controller' | 'details' | 'forwarded_on' | 'closed_at'>;

/**
 * A request as `/dsr list` shows it: its line and its clock. `details` holds only `maskedSubject`
 * and `forwardWithinDays`: a list of a thousand open requests parses no more than it shows.
 */
export type ListedRequest = ClockedRequest & Pick<RequestRow, 'id' | 'reference' | 'subject_email' | 'subject_name' | 'status' | 'due_on'>;

const LISTED_COLUMNS = `id, reference, type, subject_email, subject_name, status, controller, received_on, due_on,
  forwarded_on, extended, closed_at,
  jsonb_build_object('maskedSubject', details->'maskedSubject', 'forwardWithinDays', details->'forwardWithinDays') as details`;

/**
 * Open requests (as listRequests 'open') with every wait and notice their clocks need, in ONE
 * round trip: three selects sent as one multi-statement query (no parameters: the limit is a
 * checked integer, written in). `/dsr list` computes every open request's clock to filter and sort.
 */
export async function openRequestsWithHistory(db: Db, limit: number): Promise<{ requests: ListedRequest[]; pauses: PauseRow[]; notices: NoticeRow[] }> {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  const open = `select id from requests where closed_at is null order by due_on, id limit ${limit}`;
  const results = (await db.raw([
    `select ${LISTED_COLUMNS} from requests where closed_at is null order by due_on, id limit ${limit}`,
    `select * from request_pauses where request_id in (${open}) order by id`,
    `select * from request_notices where request_id in (${open}) order by id`,
  ].join(';\n'))) as unknown as { rows: unknown[] }[];
  return { requests: results[0]!.rows as ListedRequest[], pauses: results[1]!.rows as PauseRow[], notices: results[2]!.rows as NoticeRow[] };
}

/** How many requests `listRequests` would list without its limit. */
export async function countRequests(db: Db, filter: 'closed' | 'all'): Promise<number> {
  const query = db('requests');
  if (filter === 'closed') query.whereNotNull('closed_at');
  const row = await query.count<{ count: string | number }[]>({ count: '*' }).first();
  return Number(row?.count ?? 0);
}

/** Open requests whose subject matches a contact: they keep the contact out of the deletion review. */
export async function openRequestsForContact(db: Db, contactId: number): Promise<RequestRow[]> {
  return db('requests').where({ contact_id: contactId }).whereNull('closed_at').select<RequestRow[]>('*');
}

/** Finds and row-locks a request by its reference, for a change made from chat (see lockRequest). */
export async function lockRequestByRef(trx: Knex.Transaction, reference: string): Promise<RequestRow | null> {
  return (await trx('requests').where({ reference }).forUpdate().first<RequestRow | undefined>()) ?? null;
}

export type IdentityCheckStatus = 'pending' | 'evidence-requested' | 'approved' | 'rejected';

export interface IdentityCheckRow {
  request_id: number;
  status: IdentityCheckStatus;
  evidence_note: string | null;
  decided_at: Date | null;
}

export async function findIdentityCheck(db: Db | Knex.Transaction, requestId: number): Promise<IdentityCheckRow | null> {
  return (await db('identity_checks').where({ request_id: requestId })
    .first<IdentityCheckRow | undefined>('request_id', 'status', 'evidence_note', 'decided_at')) ?? null;
}

/** Moves an undecided identity check between pending and evidence-requested (a pause for evidence). */
export async function markIdentityEvidence(trx: Knex.Transaction, requestId: number, from: IdentityCheckStatus, to: IdentityCheckStatus): Promise<void> {
  await trx('identity_checks').where({ request_id: requestId, status: from }).update({ status: to });
}

/**
 * updateRequest of a request's status and its clock's copy, as a statement with its values written
 * in (sql-literals.ts), for a vote to send with its card's read (request-decisions.ts).
 */
export function updateRequestStatusSql(id: number, values: Pick<RequestRow, 'status' | 'due_on' | 'relevant_on' | 'paused_days'>): string {
  return execute(UPDATE_REQUEST_STATUS, sqlId(id), sqlLiteral(values.status), `${sqlLiteral(values.due_on)}::date`, `${sqlLiteral(values.relevant_on)}::date`, sqlLiteral(values.paused_days));
}

/** Prepared, as a vote's other writes are (proposals.ts says why). */
const UPDATE_REQUEST_STATUS = prepared('update_request_status', ['bigint', 'text', 'date', 'date', 'integer'],
  'update requests set status = $2, due_on = $3, relevant_on = $4, paused_days = $5, updated_at = now() where id = $1');

/**
 * The statement that records the committee's decision on a request's identity check, its values
 * written in (sql-literals.ts), for a vote to send with its audit events (audit-events.ts's
 * deferWrite): nothing in the vote reads the check again.
 */
export function decideIdentityCheckSql(requestId: number, status: 'approved' | 'rejected', at: Date, note: string | null): string {
  return execute(DECIDE_IDENTITY_CHECK, sqlId(requestId), sqlLiteral(status), sqlLiteral(at), sqlLiteral(note));
}

const DECIDE_IDENTITY_CHECK = prepared('decide_identity_check', ['bigint', 'text', 'timestamptz', 'text'],
  'update identity_checks set status = $2, decided_at = $3, evidence_note = $4 where request_id = $1');

export interface RequestTrailEvent {
  id: number;
  occurred_at: Date;
  actor: string;
  action: string;
  facts: Record<string, unknown>;
}

/**
 * The audit events about one request, oldest first, for `/dsr show`. Read here rather than in
 * audit-events.ts because it is a view of the request: every event about a request names its
 * reference as the subject (intake, votes, decisions, pauses, closing).
 */
export async function requestAuditTrail(db: Db, reference: string, limit = 200): Promise<RequestTrailEvent[]> {
  const rows = await db('audit_events').where({ subject: reference }).orderBy('id').limit(limit)
    .select<RequestTrailEvent[]>('id', 'occurred_at', 'actor', 'action', 'facts');
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}

/** Open requests a person logged, nearest deadline first (their App Home). */
export async function openRequestsLoggedBy(db: Db, requestedBy: string, limit = 50): Promise<RequestRow[]> {
  return db('requests').where({ requested_by: requestedBy }).whereNull('closed_at')
    .orderBy([{ column: 'due_on' }, { column: 'id' }]).limit(limit).select<RequestRow[]>('*');
}

/**
 * After an erasure, the subject's name and email go from every request of theirs that is closed
 * (matched by keyed hash); open ones still need them to be answered.
 */
export async function forgetSubjectOnClosedRequests(trx: Knex.Transaction, subjectHmac: string): Promise<number> {
  return trx('requests').where({ subject_hmac: subjectHmac }).whereNotNull('closed_at')
    .where((q) => q.whereNotNull('subject_email').orWhereNotNull('subject_name'))
    .update({ subject_email: null, subject_name: null, updated_at: trx.fn.now() });
}

/** forgetSubjectOnClosedRequests for many subjects at once (a purge chunk): one statement. */
export async function forgetSubjectsOnClosedRequests(trx: Knex.Transaction, subjectHmacs: readonly string[]): Promise<number> {
  if (subjectHmacs.length === 0) return 0;
  return trx('requests').whereRaw('subject_hmac = any(?::text[])', [[...subjectHmacs]]).whereNotNull('closed_at')
    .where((q) => q.whereNotNull('subject_email').orWhereNotNull('subject_name'))
    .update({ subject_email: null, subject_name: null, updated_at: trx.fn.now() });
}
