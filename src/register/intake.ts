import type { Knex } from 'knex';
import type { IsoDate } from '../domain/dates.js';
import type { RequestType } from '../domain/request-types.js';
import type { Db } from './database.js';
import type { NewRequest, RequestRow } from './requests.js';
import type { SuppressionEntry } from './suppression-list.js';

/**
 * The intake's register work in two statements (log-request.ts): everything it reads, and
 * everything it writes. Each statement is a round trip that costs the one event loop about a
 * millisecond on a small machine, and a burst of intakes is what chat acknowledgements wait behind.
 */

export interface IntakeLookupQuery {
  readonly year: number;
  /** Normalised, as contacts_email_idx holds it. */
  readonly email: string;
  readonly subjectHmac: string;
  readonly type: RequestType;
  /** An earlier request of the same type from this subject received on or after this day. */
  readonly repeatSince: IsoDate;
  readonly requestedBy: string;
  /** Settings to read with the rest (the committee channels). */
  readonly settingKeys: readonly string[];
  /** Take the new request's and its proposal's ids now, so its card can be rendered before it is written. */
  readonly preassignIds: boolean;
}

export interface IntakeLookup {
  /** The request's number in its year, taken and committed with the lookups (a gap is audited by the caller). */
  readonly sequence: number;
  readonly ids: { readonly request: number; readonly proposal: number } | null;
  readonly contacts: readonly { readonly id: number; readonly phone: string | null }[];
  /** Suppression entries of the subject's email, oldest first. */
  readonly suppressed: readonly SuppressionEntry[];
  readonly repeat: { readonly id: number; readonly reference: string } | null;
  readonly settings: ReadonlyMap<string, unknown>;
  /** The identities linked to the requester's person (persons.ts), in the register's order; may omit the requester. */
  readonly requesterGroup: readonly string[];
}

interface LookupRow {
  sequence: number;
  request_id: number | null;
  proposal_id: number | null;
  contacts: { id: number; phone: string | null }[];
  suppressed: { kind: SuppressionEntry['kind']; reason: string; tag: string | null; source_ref: string | null; created_at: string }[];
  repeat: { id: number; reference: string } | null;
  settings: Record<string, unknown> | null;
  requester_group: string[];
}

/**
 * One statement: the reference number (an upsert that commits with this statement alone, so the
 * counter's row lock is not held through the intake), the matched contacts, the email's
 * suppression entries, a possible repeat, the committee channels and the requester's identities.
 */
export async function intakeLookups(db: Db, q: IntakeLookupQuery): Promise<IntakeLookup> {
  const result = await db.raw<{ rows: LookupRow[] }>(`
    with counter as (
      insert into reference_counters (kind, year, last_value) values ('request', ?, 1)
      on conflict (kind, year) do update set last_value = reference_counters.last_value + 1
      returning last_value
    )
    select
      (select last_value from counter) as sequence,
      case when ? then nextval(pg_get_serial_sequence('requests', 'id')) end as request_id,
      case when ? then nextval(pg_get_serial_sequence('proposals', 'id')) end as proposal_id,
      coalesce((select json_agg(json_build_object('id', c.id, 'phone', c.phone) order by c.id)
        from contacts c where lower(c.email) = ?), '[]') as contacts,
      coalesce((select json_agg(json_build_object('kind', s.kind, 'reason', s.reason, 'tag', s.tag, 'source_ref', s.source_ref, 'created_at', s.created_at) order by s.created_at)
        from suppression_list s where s.email_hmac = ?), '[]') as suppressed,
      (select json_build_object('id', r.id, 'reference', r.reference) from requests r
        where r.subject_hmac = ? and r.type = ? and r.received_on >= ?::date order by r.received_on desc limit 1) as repeat,
      (select json_object_agg(key, value) from settings where key = any(?::text[])) as settings,
      coalesce((select array_agg(identity order by identity) from person_identities
        where person in (select person from person_identities where identity = ?)), '{}') as requester_group`,
  [q.year, q.preassignIds, q.preassignIds, q.email, q.subjectHmac, q.subjectHmac, q.type, q.repeatSince, [...q.settingKeys], q.requestedBy]);
  const row = result.rows[0]!;
  return {
    sequence: Number(row.sequence),
    ids: row.request_id === null || row.proposal_id === null ? null : { request: Number(row.request_id), proposal: Number(row.proposal_id) },
    contacts: row.contacts.map((c) => ({ id: Number(c.id), phone: c.phone })),
    suppressed: row.suppressed.map((s) => ({ kind: s.kind, reason: s.reason, tag: s.tag, sourceRef: s.source_ref, createdAt: new Date(s.created_at) })),
    repeat: row.repeat === null ? null : { id: Number(row.repeat.id), reference: row.repeat.reference },
    settings: new Map(Object.entries(row.settings ?? {})),
    requesterGroup: row.requester_group,
  };
}

export interface IntakeWrite {
  readonly request: NewRequest & { readonly id: number };
  /** The identity check's proposal (proposals.ts), with the id taken by intakeLookups. */
  readonly proposal: Readonly<Record<string, unknown>> & { readonly id: number };
  /** The card's outbox row (outbox.ts enqueueMessage). */
  readonly outbox: Readonly<Record<string, unknown>>;
  /** `select … from <sql>`: the audit event's append (audit-events.ts auditAppendCall). */
  readonly audit: { readonly sql: string; readonly bindings: readonly Knex.RawBinding[] };
}

/**
 * The request, its identity check, the proposal, the card and the audit event in ONE statement: a
 * statement is its own transaction, so all of it commits or none, and the audit chain's lock is
 * taken inside it and released at its commit, never held across a round trip to Node. Foreign
 * keys are checked at the statement's end, when every row of it exists.
 */
export async function insertIntake(db: Db, write: IntakeWrite): Promise<RequestRow> {
  const request = insertValues('requests', { ...write.request, details: JSON.stringify(write.request.details) }, true);
  const check = insertValues('identity_checks', { request_id: write.request.id }, false);
  const proposal = insertValues('proposals', write.proposal, true);
  const outbox = insertValues('outbox', write.outbox, false);
  const result = await db.raw<{ rows: RequestRow[] }>(`
    with r as (${request.sql} returning *),
      c as (${check.sql}),
      p as (${proposal.sql}),
      o as (${outbox.sql}),
      a as (select * from ${write.audit.sql})
    select r.* from r where (select count(*) from a) = 1`,
  [...request.bindings, ...check.bindings, ...proposal.bindings, ...outbox.bindings, ...write.audit.bindings]);
  const row = result.rows[0];
  if (!row) throw new Error('the intake statement wrote no request');
  return row;
}

/** `insert into t (…) values (?, …)`; `overriding` for an id taken earlier from an identity column. */
function insertValues(table: string, row: Readonly<Record<string, unknown>>, overriding: boolean): { sql: string; bindings: Knex.RawBinding[] } {
  const columns = Object.keys(row).filter((column) => row[column] !== undefined);
  return {
    sql: `insert into ${table} (${columns.map((c) => `"${c}"`).join(', ')})${overriding ? ' overriding system value' : ''} values (${columns.map(() => '?').join(', ')})`,
    bindings: columns.map((c) => row[c] as Knex.RawBinding),
  };
}
