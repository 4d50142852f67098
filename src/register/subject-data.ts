import type { Knex } from 'knex';
import type { RectifiableField } from '../domain/action-plans.js';

/**
 * What an approved data subject request does to the register (services/actions/): read everything
 * held about the subject, correct, flag or delete their rows, and leave tombstones. Every function
 * runs in the caller's transaction, beside the action's status change.
 */

type Trx = Knex.Transaction;
export type RegisterRow = Record<string, unknown>;

/** Every column of the subject's contact rows, as stored: an export leaves nothing out. */
export async function contactRowsByIds(trx: Trx, ids: readonly number[]): Promise<RegisterRow[]> {
  if (ids.length === 0) return [];
  return trx('contacts').whereIn('id', ids).orderBy('id').select<RegisterRow[]>('*');
}

/**
 * The subject's rows as they stand when the action runs: those matched at intake, and any with the
 * subject's email (imported since, or under another spelling of the address), every column.
 */
export async function contactRowsOfSubject(trx: Trx, ids: readonly number[], normalisedEmail: string | null): Promise<RegisterRow[]> {
  return trx('contacts').where((q) => {
    q.whereIn('id', [...ids]);
    if (normalisedEmail !== null) q.orWhereRaw('lower(email) = ?', [normalisedEmail]);
  }).orderBy('id').select<RegisterRow[]>('*');
}

/** Committee decisions about the subject's rows (legal holds and the like), without who decided. */
export async function exclusionsForContacts(trx: Trx, ids: readonly number[]): Promise<RegisterRow[]> {
  if (ids.length === 0) return [];
  return trx('retention_exclusions').whereIn('contact_id', ids).orderBy('id')
    .select<RegisterRow[]>('id', 'contact_id', 'reason', 'created_at');
}

/**
 * The subject's requests (matched by keyed hash): references, dates, statuses and what was decided
 * (each proposal's kind, outcome and date). Never the committee's own notes: reasons, notes on
 * pauses, who voted.
 */
export async function requestsOfSubject(trx: Trx, subjectHmac: string): Promise<RegisterRow[]> {
  const result = await trx.raw<{ rows: RegisterRow[] }>(`
    select r.reference, r.type, r.received_on, r.received_via, r.due_on, r.extended, r.status, r.closed_at,
      r.subject_email, r.subject_name,
      coalesce((select jsonb_agg(jsonb_build_object('decision', p.kind, 'outcome', p.status, 'decided_at', p.decided_at) order by p.id)
        from proposals p where p.request_id = r.id and p.status in ('approved', 'rejected')), '[]'::jsonb) as decisions
    from requests r where r.subject_hmac = ? order by r.id`, [subjectHmac]);
  return result.rows;
}

/** Sets exactly the given fields; returns the ids of the rows changed. */
/** The current values of `fields` on each row, for the rectification's keyed digests. */
export async function contactValues(trx: Trx, ids: readonly number[], fields: readonly RectifiableField[]): Promise<Array<{ id: number } & Partial<Record<RectifiableField, string | null>>>> {
  if (ids.length === 0 || fields.length === 0) return [];
  return trx('contacts').whereIn('id', ids).orderBy('id').select('id', ...fields);
}

export async function correctContacts(trx: Trx, ids: readonly number[], fields: Partial<Record<RectifiableField, string | null>>, at: Date): Promise<number[]> {
  if (ids.length === 0 || Object.keys(fields).length === 0) return [];
  const rows = await trx('contacts').whereIn('id', ids).update({ ...fields, updated_at: at }).returning('id');
  return rows.map((row: { id: number }) => row.id).sort((a, b) => a - b);
}

export type ContactFlag = 'processing_restricted' | 'do_not_contact';

/** Turns a flag on; returns the ids of the rows it was set on (already set counts too). */
export async function flagContacts(trx: Trx, ids: readonly number[], flag: ContactFlag, at: Date): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await trx('contacts').whereIn('id', ids).update({ [flag]: true, updated_at: at }).returning('id');
  return rows.map((row: { id: number }) => row.id).sort((a, b) => a - b);
}

export interface ContactIdentifiers {
  readonly id: number;
  readonly email: string;
  readonly phone: string | null;
}

/** The identifiers of the rows, for their suppression entries. */
export async function identifiersOfContacts(trx: Trx, ids: readonly number[]): Promise<ContactIdentifiers[]> {
  if (ids.length === 0) return [];
  return trx('contacts').whereIn('id', ids).orderBy('id').select<ContactIdentifiers[]>('id', 'email', 'phone');
}

/** Which of the rows are under legal hold (Art 17(3)(e)): an erasure leaves them in place. */
export async function heldContactIds(trx: Trx | Knex, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await trx('contacts').whereIn('id', ids).where({ legal_hold: true }).orderBy('id').select<{ id: number }[]>('id');
  return rows.map((row) => Number(row.id));
}

export interface DeletedContact {
  readonly id: number;
  readonly external_id: string | null;
  readonly email: string;
  readonly phone: string | null;
  readonly do_not_contact: boolean;
}

/**
 * Deletes the rows not under legal hold, and with them what hangs off them (retention_exclusions
 * cascade; requests keep their own row, with contact_id set to null). Returns what the caller needs
 * for tombstones and suppression entries; rows already gone or held are simply not returned.
 * The caller holds the request's lock; a hold placed concurrently commits before or after this
 * statement, and the statement sees it or the row is gone before it was placed.
 */
export async function deleteUnheldContacts(trx: Trx, ids: readonly number[]): Promise<DeletedContact[]> {
  if (ids.length === 0) return [];
  const rows = await trx('contacts').whereIn('id', ids).where({ legal_hold: false }).delete()
    .returning(['id', 'external_id', 'email', 'phone', 'do_not_contact']);
  return (rows as DeletedContact[]).map((r) => ({ ...r, id: Number(r.id) })).sort((a, b) => a.id - b.id);
}

export interface Tombstone {
  readonly contactId: number;
  /** HMAC of the CRM id with the suppression pepper, or null for a contact without one. */
  readonly externalIdHash: string | null;
  readonly reason: 'R1' | 'R2' | 'R3' | 'R4';
  readonly requestId: number | null;
  readonly purgeBatchId: number | null;
  readonly suppressed: boolean;
  readonly erasedAt: Date;
}

/** What remains of erased contacts: ids and facts only. A retry after a crash writes nothing twice. */
export async function insertTombstones(trx: Trx, tombstones: readonly Tombstone[]): Promise<void> {
  if (tombstones.length === 0) return;
  await trx('contact_tombstones').insert(tombstones.map((t) => ({
    contact_id: t.contactId, external_id_hash: t.externalIdHash, reason: t.reason, request_id: t.requestId,
    purge_batch_id: t.purgeBatchId, suppressed: t.suppressed, erased_at: t.erasedAt,
  }))).onConflict('contact_id').ignore();
}
