import { parseIsoDate } from './dates.js';
import { parseEmail } from './email.js';
import { quoteInput } from './quote.js';
import { err, ok, type Result } from './result.js';

/**
 * One row of the CRM export (CONTRACT §7), checked field by field. Pure: the import service feeds it
 * records and line numbers, and a rejected row carries a reason written for the person who has to
 * fix the export (which field, what value, what a good one looks like).
 */

export type ContactColumnKind = 'text' | 'boolean' | 'timestamp';

/** The CSV header in contract order. The names are also the `contacts` column names. */
export const CONTACT_COLUMNS = [
  { name: 'external_id', key: 'externalId', kind: 'text' },
  { name: 'email', key: 'email', kind: 'text' },
  { name: 'full_name', key: 'fullName', kind: 'text' },
  { name: 'phone', key: 'phone', kind: 'text' },
  { name: 'address', key: 'address', kind: 'text' },
  { name: 'company', key: 'company', kind: 'text' },
  { name: 'is_customer', key: 'isCustomer', kind: 'boolean' },
  { name: 'is_subscriber', key: 'isSubscriber', kind: 'boolean' },
  { name: 'first_collected_at', key: 'firstCollectedAt', kind: 'timestamp' },
  { name: 'last_successful_contact_at', key: 'lastSuccessfulContactAt', kind: 'timestamp' },
  { name: 'inaccurate', key: 'inaccurate', kind: 'boolean' },
  { name: 'legitimate_interest_ended_at', key: 'legitimateInterestEndedAt', kind: 'timestamp' },
  { name: 'legal_hold', key: 'legalHold', kind: 'boolean' },
  { name: 'do_not_contact', key: 'doNotContact', kind: 'boolean' },
] as const satisfies readonly { name: string; key: keyof ContactInput; kind: ContactColumnKind }[];

export type ContactColumn = (typeof CONTACT_COLUMNS)[number]['name'];
export const CONTACT_HEADER: readonly ContactColumn[] = CONTACT_COLUMNS.map((c) => c.name);
/** The upsert key and the identity of a person: a file without them cannot be loaded at all. */
export const REQUIRED_COLUMNS: readonly ContactColumn[] = ['external_id', 'email'];
export const MAX_FIELD_LENGTH = 1000;
export const HEADER_HINT = `The first line must be the header: ${CONTACT_HEADER.join(',')} (any order; only ${REQUIRED_COLUMNS.join(' and ')} are required).`;

/**
 * A valid row. Timestamps are ISO instants in UTC (`2024-03-01T00:00:00.000Z`); a bare date means
 * midnight UTC, which is the same calendar day in UTC and in Europe/London all year round.
 * `email` is trimmed but keeps its case; compare it through `normaliseEmail`.
 */
export interface ContactInput {
  readonly externalId: string;
  readonly email: string;
  readonly fullName: string | null;
  readonly phone: string | null;
  readonly address: string | null;
  readonly company: string | null;
  readonly isCustomer: boolean;
  readonly isSubscriber: boolean;
  readonly firstCollectedAt: string | null;
  readonly lastSuccessfulContactAt: string | null;
  readonly inaccurate: boolean;
  readonly legitimateInterestEndedAt: string | null;
  readonly legalHold: boolean;
  readonly doNotContact: boolean;
}

/** The file's header, normalised, in file order. Columns it lacks are left alone on update. */
export interface ContactHeader {
  readonly columns: readonly ContactColumn[];
}

export interface RowRejection {
  /** 1-based line in the file where the row starts; the header is line 1. */
  readonly line: number;
  readonly reason: string;
}

export type RowResult = { readonly ok: true; readonly value: ContactInput } | { readonly ok: false; readonly error: RowRejection };

const KNOWN = new Set<string>(CONTACT_HEADER);
const TRUE_WORDS = new Set(['true', 'yes', '1']);
const FALSE_WORDS = new Set(['false', 'no', '0', '']);
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Column names are compared trimmed and case-insensitively; order is free. */
export function checkHeader(names: readonly string[]): Result<ContactHeader> {
  // A byte order mark is csv-parse's job (bom: true), but a header read some other way may keep it.
  const columns = names.map((name) => name.replace(/^\uFEFF/, '').trim().toLowerCase());
  if (columns.every((name) => name === '')) return err(`Line 1 is empty. ${HEADER_HINT}`);
  // A header-less export starts with a row: say so, rather than list its values as unknown columns.
  if (names.some((name) => name.includes('@'))) return err(`Line 1 looks like data, not a header. ${HEADER_HINT}`);
  const problems: string[] = [];
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.includes(name));
  if (missing.length > 0) problems.push(`missing column${plural(missing)} ${missing.join(', ')}`);
  const unknown = columns.filter((name) => !KNOWN.has(name));
  if (unknown.length > 0) problems.push(`unknown column${plural(unknown)} ${unknown.map((name) => quote(name)).join(', ')}`);
  const repeated = columns.filter((name, i) => KNOWN.has(name) && columns.indexOf(name) !== i);
  if (repeated.length > 0) problems.push(`repeated column${plural(repeated)} ${[...new Set(repeated)].join(', ')}`);
  if (problems.length > 0) return err(`The header on line 1 has ${problems.join('; ')}. ${HEADER_HINT}`);
  return ok({ columns: columns as ContactColumn[] });
}

/** Checks every field and reports all that are wrong, so one pass over the export fixes a row. */
export function parseContactRow(record: Readonly<Record<string, string | undefined>>, line: number): RowResult {
  const problems: string[] = [];
  const take = <T>(name: ContactColumn, parse: (name: ContactColumn, text: string) => Result<T>, fallback: T): T => {
    const raw = record[name] ?? '';
    const result = raw.length > MAX_FIELD_LENGTH
      ? err(`${name} is ${raw.length} characters long; at most ${MAX_FIELD_LENGTH} are allowed`)
      : unreadable(name, raw) ?? parse(name, raw.trim());
    if (result.ok) return result.value;
    problems.push(result.error);
    return fallback;
  };
  const value: ContactInput = {
    externalId: take('external_id', parseExternalId, ''),
    email: take('email', parseEmailField, ''),
    fullName: take('full_name', parseText, null),
    phone: take('phone', parseText, null),
    address: take('address', parseText, null),
    company: take('company', parseText, null),
    isCustomer: take('is_customer', parseBoolean, false),
    isSubscriber: take('is_subscriber', parseBoolean, false),
    firstCollectedAt: take('first_collected_at', parseTimestamp, null),
    lastSuccessfulContactAt: take('last_successful_contact_at', parseTimestamp, null),
    inaccurate: take('inaccurate', parseBoolean, false),
    legitimateInterestEndedAt: take('legitimate_interest_ended_at', parseTimestamp, null),
    legalHold: take('legal_hold', parseBoolean, false),
    doNotContact: take('do_not_contact', parseBoolean, false),
  };
  if (problems.length > 0) return { ok: false, error: { line, reason: problems.join('; ') } };
  return { ok: true, value };
}

/**
 * Text the register must not take as it is: Postgres refuses NUL outright (the whole batch would
 * fail), and U+FFFD is what decoding leaves where the bytes were not UTF-8, as in a Latin-1 or
 * Windows-1252 export: stored, "Chloé" would become "Chlo\uFFFD" for good.
 */
function unreadable(name: string, raw: string): Result<never> | null {
  if (raw.includes('\u0000')) return err(`${name} holds a NUL byte, which cannot be stored; check the export`);
  if (raw.includes('\uFFFD')) return err(`${name} ${quote(raw)} is not UTF-8 text (a Latin-1 or Windows-1252 export?): save the file as UTF-8 and import it again`);
  return null;
}

function parseExternalId(_name: string, text: string): Result<string> {
  return text === '' ? err('external_id is empty; every row needs the CRM\'s id') : ok(text);
}

function parseText(_name: string, text: string): Result<string | null> {
  return ok(text === '' ? null : text);
}

function parseEmailField(_name: string, text: string): Result<string> {
  if (text === '') return err('email is empty; every row needs an email address');
  const parsed = parseEmail(text);
  if (parsed.ok) return ok(text);
  // parseEmail says why, after quoting the value: keep the why, show our own (truncated) quote.
  const prefix = `${quoteInput(text.trim())} `;
  const why = parsed.error.startsWith(prefix) ? ` (${parsed.error.slice(prefix.length).split(';')[0] ?? ''})` : '';
  return err(`email ${quote(text)} is not a valid email address${why}`);
}

function parseBoolean(name: string, text: string): Result<boolean> {
  const word = text.toLowerCase();
  if (TRUE_WORDS.has(word)) return ok(true);
  if (FALSE_WORDS.has(word)) return ok(false);
  return err(`${name} ${quote(text)} is not a yes/no value; use true, false, yes, no, 1 or 0 (blank means false)`);
}

/** `YYYY-MM-DD` (midnight UTC) or an ISO timestamp with Z or an offset; a zoneless time is ambiguous. */
export function parseTimestamp(name: string, text: string): Result<string | null> {
  if (text === '') return ok(null);
  const hint = 'use YYYY-MM-DD or an ISO timestamp with a zone such as 2024-03-01T09:30:00Z';
  // A day alone has no 'T'; testing first spares a timestamp the date parser's error message.
  if (!text.includes('T')) {
    const day = parseIsoDate(text);
    if (day.ok) return ok(`${day.value}T00:00:00.000Z`);
  }
  const match = TIMESTAMP.exec(text);
  if (!match) return err(`${name} ${quote(text)} is not a date; ${hint}`);
  const [, date = '', hour = '', minute = '', second = '00', fraction = '', zone = ''] = match;
  if (!parseIsoDate(date).ok) return err(`${name} ${quote(text)} is not a real date (${date} does not exist)`);
  const offset = /^[+-]/.test(zone) ? zone.replace(/^([+-]\d{2}):?(\d{2})?$/, (_, h: string, m?: string) => `${h}:${m ?? '00'}`) : 'Z';
  const [offsetHours, offsetMinutes] = offset === 'Z' ? [0, 0] : [Number(offset.slice(1, 3)), Number(offset.slice(4))];
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59 || offsetHours > 14 || offsetMinutes > 59) {
    return err(`${name} ${quote(text)} is not a real time; ${hint}`);
  }
  const instant = new Date(`${date}T${hour}:${minute}:${second}${fraction.slice(0, 4)}${offset}`);
  if (Number.isNaN(instant.getTime())) return err(`${name} ${quote(text)} is not a date; ${hint}`);
  return ok(instant.toISOString());
}

/** A value quoted for a message, cut short so one bad cell cannot flood the report. */
export function quote(value: string, max = 40): string {
  const shown = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(shown);
}

function plural(items: readonly unknown[]): string {
  return items.length === 1 ? '' : 's';
}
