import { CONTACT_COLUMNS, type ContactColumn, type ContactInput } from '../domain/contact-row.js';
import { normaliseEmail } from '../domain/email.js';
import type { Db } from './database.js';

/** The `contacts` table (CONTRACT §7): one row per individual, keyed by the CRM's external_id. */

export interface UpsertOptions {
  /** Columns the file carried; the others keep their stored value on update. Default: all. */
  readonly columns?: readonly ContactColumn[];
  /** created_at / updated_at for the rows this call writes. Default: the database's now(). */
  readonly now?: Date;
}

export interface UpsertCounts {
  readonly inserted: number;
  readonly updated: number;
  /** Already stored exactly so: not written, updated_at untouched. */
  readonly unchanged: number;
}

export interface UpsertResult extends UpsertCounts {
  /**
   * Indexes into `rows` of rows dropped because a later row has the same external_id (the last
   * one wins, as in the file). Postgres cannot upsert one key twice in a statement, so they must go.
   */
  readonly superseded: readonly number[];
}

export interface ContactRecord extends Omit<ContactInput, 'externalId'> {
  readonly id: number;
  /** Null for contacts that did not come from the CRM (e.g. someone who wrote in). */
  readonly externalId: string | null;
  readonly processingRestricted: boolean;
  /** ISO instants in UTC, like the other timestamps. */
  readonly createdAt: string;
  readonly updatedAt: string;
}

const SQL_TYPES = { text: 'text', boolean: 'boolean', timestamp: 'timestamptz' } as const;
const ALWAYS: readonly ContactColumn[] = ['external_id', 'email'];

/**
 * One statement for the whole batch, whatever its size: the rows travel as one JSON parameter
 * (pg allows only 65,535 bind parameters). The `where … is distinct from …` skips rows already
 * stored exactly so, which makes re-importing a file a no-op; `xmax = 0` tells inserts from updates.
 */
export async function upsertContacts(db: Db, rows: readonly ContactInput[], options: UpsertOptions = {}): Promise<UpsertResult> {
  const { kept, superseded } = lastOfEachKey(rows);
  if (kept.length === 0) return { inserted: 0, updated: 0, unchanged: 0, superseded };
  const wanted = options.columns ?? CONTACT_COLUMNS.map((c) => c.name);
  // Column names come from CONTACT_COLUMNS only, never from the file, so they are safe to splice in.
  const columns = CONTACT_COLUMNS.filter((c) => ALWAYS.includes(c.name) || wanted.includes(c.name));
  const changeable = columns.filter((c) => c.name !== 'external_id').map((c) => c.name);
  const names = columns.map((c) => c.name).join(', ');
  const payload = kept.map((row) => Object.fromEntries(columns.map((c) => [c.name, row[c.key]])));
  const result = await db.raw<{ rows: { inserted: boolean }[] }>(`
    insert into contacts (${names}, created_at, updated_at)
    select ${names}, stamp.at, stamp.at
    from json_to_recordset(?::json) as r(${columns.map((c) => `${c.name} ${SQL_TYPES[c.kind]}`).join(', ')}),
      (select coalesce(?::timestamptz, now()) as at) as stamp
    on conflict (external_id) do update
      set ${changeable.map((name) => `${name} = excluded.${name}`).join(', ')}, updated_at = excluded.updated_at
      where (${changeable.map((name) => `contacts.${name}`).join(', ')})
        is distinct from (${changeable.map((name) => `excluded.${name}`).join(', ')})
    returning (xmax = 0) as inserted`,
  [JSON.stringify(payload), options.now?.toISOString() ?? null]);
  const inserted = result.rows.filter((row) => row.inserted).length;
  const updated = result.rows.length - inserted;
  return { inserted, updated, unchanged: kept.length - result.rows.length, superseded };
}

function lastOfEachKey(rows: readonly ContactInput[]): { kept: ContactInput[]; superseded: number[] } {
  const lastIndex = new Map<string, number>();
  rows.forEach((row, i) => lastIndex.set(row.externalId, i));
  if (lastIndex.size === rows.length) return { kept: [...rows], superseded: [] };
  const kept: ContactInput[] = [];
  const superseded: number[] = [];
  rows.forEach((row, i) => {
    if (lastIndex.get(row.externalId) === i) kept.push(row);
    else superseded.push(i);
  });
  return { kept, superseded };
}

interface ContactRow {
  id: number;
  external_id: string | null;
  email: string;
  full_name: string | null;
  phone: string | null;
  address: string | null;
  company: string | null;
  is_customer: boolean;
  is_subscriber: boolean;
  first_collected_at: Date | null;
  last_successful_contact_at: Date | null;
  inaccurate: boolean;
  legitimate_interest_ended_at: Date | null;
  legal_hold: boolean;
  do_not_contact: boolean;
  processing_restricted: boolean;
  created_at: Date;
  updated_at: Date;
}

/** Every contact whose email matches once normalised (the CRM may hold one address twice). */
export async function findContactsByEmail(db: Db, email: string): Promise<ContactRecord[]> {
  // lower(email) matches the contacts_email_idx expression, so this is an index lookup.
  const rows = await db<ContactRow>('contacts').whereRaw('lower(email) = ?', [normaliseEmail(email)]).orderBy('id');
  return rows.map(toRecord);
}

export async function getContact(db: Db, id: number): Promise<ContactRecord | null> {
  const row = await db<ContactRow>('contacts').where({ id }).first();
  return row ? toRecord(row) : null;
}

export async function countContacts(db: Db): Promise<number> {
  const row = await db('contacts').count<{ count: string | number }[]>({ count: '*' }).first();
  return Number(row?.count ?? 0);
}

function toRecord(row: ContactRow): ContactRecord {
  return {
    id: row.id,
    externalId: row.external_id,
    email: row.email,
    fullName: row.full_name,
    phone: row.phone,
    address: row.address,
    company: row.company,
    isCustomer: row.is_customer,
    isSubscriber: row.is_subscriber,
    firstCollectedAt: iso(row.first_collected_at),
    lastSuccessfulContactAt: iso(row.last_successful_contact_at),
    inaccurate: row.inaccurate,
    legitimateInterestEndedAt: iso(row.legitimate_interest_ended_at),
    legalHold: row.legal_hold,
    doNotContact: row.do_not_contact,
    processingRestricted: row.processing_restricted,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function iso(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}
