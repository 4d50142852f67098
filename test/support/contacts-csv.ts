import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { addDays, daysBetween, type IsoDate } from '../../src/domain/dates.js';
import { CONTACT_HEADER, type ContactColumn } from '../../src/domain/contact-row.js';

/**
 * Synthetic CRM exports (CONTRACT §7) for tests and benchmarks. Row i depends only on (seed, i),
 * so a test can recompute any row's values, and a file of a million rows is written as a stream.
 * The mix exercises the retention rules: customers, subscribers, long-silent old contacts (R2),
 * inaccurate (R3), ended interest (R4), legal holds and do-not-contact flags; a few rows have
 * quoted commas and multi-line addresses, so line numbers and row numbers differ.
 */

export interface ContactsCsvOptions {
  readonly rows: number;
  readonly seed: number;
  /** Every badEvery-th row gets one bad field (email, impossible date or boolean, in turn). */
  readonly badEvery?: number;
  /** The day the data is "exported": collection dates lie up to 8 years before it. */
  readonly asOf?: IsoDate;
}

export interface ContactsCsvSummary {
  readonly rows: number;
  /** Physical lines, header included. */
  readonly lines: number;
  /** The line each bad row starts on, in order. */
  readonly badLines: readonly number[];
}

export type SyntheticRow = Readonly<Record<ContactColumn, string>>;

const FIRST = ['Alice', 'Bob', 'Chloé', 'Dev', 'Eve', 'Farah', 'Gareth', 'Hana', 'Ivan', 'Jo', 'Kwame', 'Li'];
const LAST = ['Smith', 'Jones', 'Taylor', 'Brown', "O'Neill", 'Patel', 'Evans', 'Wright', 'Khan', 'Nowak'];
const TOWNS = ['Leeds', 'Bristol', 'Cardiff', 'Glasgow', 'Norwich', 'Belfast'];
const YES = ['true', 'yes', '1', 'TRUE', 'Yes'];
const NO = ['false', 'no', '0', 'FALSE', ''];

export async function writeContactsCsv(file: string, options: ContactsCsvOptions): Promise<ContactsCsvSummary> {
  const badLines: number[] = [];
  let lines = 1;
  async function* chunks(): AsyncGenerator<string> {
    yield `${CONTACT_HEADER.join(',')}\n`;
    let chunk = '';
    for (let i = 1; i <= options.rows; i += 1) {
      const row = syntheticRow(i, options);
      if (isBadRow(i, options)) badLines.push(lines + 1);
      const text = toCsvLine(CONTACT_HEADER.map((column) => row[column]));
      lines += 1 + (text.match(/\n/g)?.length ?? 0);
      chunk += `${text}\n`;
      if (i % 1000 === 0) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk !== '') yield chunk;
  }
  await pipeline(Readable.from(chunks()), createWriteStream(file));
  return { rows: options.rows, lines, badLines };
}

export function isBadRow(i: number, options: Pick<ContactsCsvOptions, 'badEvery'>): boolean {
  return options.badEvery !== undefined && i % options.badEvery === 0;
}

/** The values of row i (1-based) as they appear in the file. */
export function syntheticRow(i: number, options: Omit<ContactsCsvOptions, 'rows'>): SyntheticRow {
  const random = mulberry32(Math.imul(options.seed, 2_654_435_761) ^ i);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const chance = (p: number): boolean => random() < p;
  const asOf = options.asOf ?? '2026-11-01';
  const first = pick(FIRST);
  const last = pick(LAST);
  const collected = addDays(asOf, -Math.floor(random() * 8 * 365));
  // Any successful contact falls between collection and the export.
  const contacted = addDays(asOf, -Math.floor(random() * daysBetween(collected, asOf)));
  const row: Record<ContactColumn, string> = {
    external_id: `CRM-${String(i).padStart(7, '0')}`,
    email: `${i % 7 === 0 ? first : first.toLowerCase()}.${last.replace("'", '').toLowerCase()}.${i}@example.com`,
    full_name: chance(0.05) ? `${last}, ${first}` : `${first} ${last}`,
    phone: chance(0.3) ? '' : `+44 7700 ${String(900000 + (i % 1000)).padStart(6, '0')}`,
    address: chance(0.02) ? `${1 + (i % 200)} High Street\n${pick(TOWNS)}` : `${1 + (i % 200)} High Street, ${pick(TOWNS)}`,
    company: chance(0.5) ? '' : `${last} & Co "Ltd"`,
    is_customer: chance(0.3) ? pick(YES) : pick(NO),
    is_subscriber: chance(0.3) ? pick(YES) : pick(NO),
    first_collected_at: chance(0.8) ? collected : `${collected}T${String(8 + (i % 10)).padStart(2, '0')}:15:00Z`,
    last_successful_contact_at: chance(0.4) ? '' : contacted,
    inaccurate: chance(0.02) ? pick(YES) : pick(NO),
    legitimate_interest_ended_at: chance(0.03) ? addDays(asOf, -Math.floor(random() * 400)) : '',
    legal_hold: chance(0.01) ? 'yes' : 'no',
    do_not_contact: chance(0.02) ? '1' : '0',
  };
  if (isBadRow(i, options)) spoil(row, i, options.badEvery ?? 1);
  return row;
}

function spoil(row: Record<ContactColumn, string>, i: number, badEvery: number): void {
  switch ((i / badEvery) % 3) {
    case 1: row.email = `user${i}@`; break;
    case 2: row.first_collected_at = '2025-02-30'; break;
    default: row.is_customer = 'maybe';
  }
}

/** RFC 4180: quote a value holding a comma, quote or line break, doubling its quotes. */
export function toCsvLine(values: readonly string[]): string {
  return values.map((v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
