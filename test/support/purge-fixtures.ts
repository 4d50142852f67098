import type { Db } from '../../src/register/database.js';

/**
 * Register rows for retention and purge tests, inserted directly (the import's own rules are
 * tested elsewhere): contacts in bulk, requests in any state, and committee exclusions.
 */
export interface ContactSeed {
  readonly external_id?: string | null;
  readonly email: string;
  readonly full_name?: string | null;
  readonly is_customer?: boolean;
  readonly is_subscriber?: boolean;
  readonly first_collected_at?: Date | string | null;
  readonly last_successful_contact_at?: Date | string | null;
  readonly inaccurate?: boolean;
  readonly legitimate_interest_ended_at?: Date | string | null;
  readonly legal_hold?: boolean;
  readonly do_not_contact?: boolean;
  readonly processing_restricted?: boolean;
  readonly phone?: string | null;
  /** When the register first saw the row (default now). */
  readonly created_at?: Date | string;
}

/** Inserts in batches; returns the ids in the order given. */
export async function insertContacts(db: Db, rows: readonly ContactSeed[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const inserted = await db('contacts').insert(rows.slice(i, i + 1000).map((r) => ({ full_name: 'Test Person', ...r }))).returning('id');
    ids.push(...(inserted as { id: number }[]).map((r) => Number(r.id)));
  }
  return ids;
}

export async function insertContact(db: Db, row: ContactSeed): Promise<number> {
  const [id] = await insertContacts(db, [row]);
  return id!;
}

let requestSeq = 0;

export interface RequestSeed {
  readonly type?: string;
  readonly status?: string;
  readonly closed?: boolean;
  readonly contact_id?: number | null;
  readonly subject_email?: string | null;
  readonly matched?: readonly number[];
  /** Adds an approved action proposal (an erasure the committee approved). */
  readonly approvedAction?: boolean;
}

/** A request row in the given state, with the least the schema needs. */
export async function insertRequest(db: Db, seed: RequestSeed): Promise<number> {
  requestSeq += 1;
  const closed = seed.closed ?? !['received', 'identity-verified', 'action-approved'].includes(seed.status ?? 'received');
  const [row] = await db('requests').insert({
    reference: `DSR-2026-${String(requestSeq).padStart(4, '0')}`, type: seed.type ?? 'access',
    subject_email: seed.subject_email ?? null, subject_hmac: 'f'.repeat(64), contact_id: seed.contact_id ?? null,
    received_via: 'email', received_on: '2026-09-01', due_on: '2026-10-01', status: seed.status ?? 'received',
    requested_by: 'slack:UCLERK', details: JSON.stringify({ matchedContactIds: seed.matched ?? [] }),
    closed_at: closed ? new Date('2026-09-15T10:00:00Z') : null,
  }).returning('id');
  const requestId = Number((row as { id: number }).id);
  if (seed.approvedAction) {
    await db('proposals').insert({ kind: 'action', request_id: requestId, quorum: 1, status: 'approved', proposed_by: 'govbot', requested_by: 'slack:UCLERK', summary: '{}' });
  }
  return requestId;
}

export async function insertExclusion(db: Db, contactId: number, reason = 'legal hold'): Promise<void> {
  await db('retention_exclusions').insert({ contact_id: contactId, reason, excluded_by: 'slack:UCHAIR' });
}

export async function addMember(db: Db, userId: string, role: 'member' | 'chair' = 'member'): Promise<void> {
  await db('committee_members').insert({ platform: 'slack', platform_user_id: userId, role, added_by: 'test' });
}

export interface ItemRow { contact_id: number; reason: string; status: string; note: string | null }

export async function itemsOf(db: Db, reference: string): Promise<ItemRow[]> {
  return db('purge_items as i').join('purge_batches as b', 'b.id', 'i.batch_id').where('b.reference', reference)
    .orderBy('i.contact_id').select<ItemRow[]>('i.contact_id', 'i.reason', 'i.status', 'i.note');
}
