import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { parse, type CsvError, type Info } from 'csv-parse';
import { checkHeader, HEADER_HINT, parseContactRow, quote, type ContactHeader, type ContactInput, type RowRejection } from '../domain/contact-row.js';
import { suppressionHash } from '../domain/suppression.js';
import { GovbotError } from '../errors.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { upsertContacts, type UpsertCounts } from '../register/contacts.js';
import type { Db } from '../register/database.js';
import { suppressedAmong } from '../register/suppression-list.js';

/**
 * `govbot import contacts <file.csv>` (CONTRACT §6, §7). Streams the file: rows are parsed as they
 * arrive and written in batches, one transaction each, and the next batch is not read until the
 * last is committed, so memory stays flat however long the file. A batch that commits stays
 * committed; the upsert makes re-running the same file after a failure safe.
 */

export interface ImportDeps {
  readonly db: Db;
  readonly pepper: string;
  /** Who ran it, for the audit event (`cli:alice`). */
  readonly actor: string;
  /** Written as created_at / updated_at and the audit event's time. */
  readonly now: Date;
  readonly batchSize?: number;
}

export interface ImportReport {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly suppressed: number;
  /**
   * Rows refused, by line: the first MAX_LISTED_REJECTIONS found; rejectedCount counts them all.
   * A stretch of lines csv-parse could not read counts once, and its reason names the lines.
   */
  readonly rejected: readonly RowRejection[];
  readonly rejectedCount: number;
}

export const MAX_LISTED_REJECTIONS = 1000;
const DEFAULT_BATCH_SIZE = 2000;
// Far above any valid row (14 fields of at most 1000 characters), so it only trips on a quote left
// open; it also bounds what csv-parse buffers while it looks for the closing quote.
const MAX_RECORD_SIZE = 65_536;

interface Row { readonly line: number; readonly contact: ContactInput }

export async function importContacts(deps: ImportDeps, input: Readable): Promise<ImportReport> {
  const report = { inserted: 0, updated: 0, unchanged: 0, suppressed: 0, rejected: [] as RowRejection[], rejectedCount: 0 };
  const reject = (rejection: RowRejection): void => {
    report.rejectedCount += 1;
    if (report.rejected.length < MAX_LISTED_REJECTIONS) report.rejected.push(rejection);
  };
  let header: ContactHeader | null = null;
  let batch: Row[] = [];
  let committed = 0;
  const flush = async (): Promise<void> => {
    if (header === null || batch.length === 0) return;
    const outcome = await writeBatch(deps, header, batch);
    batch = [];
    committed += 1;
    report.inserted += outcome.inserted;
    report.updated += outcome.updated;
    report.unchanged += outcome.unchanged;
    report.suppressed += outcome.suppressed;
    outcome.rejected.forEach(reject);
  };
  try {
    for await (const item of readCsv(input)) {
      if (header === null) {
        header = headerOf(item);
        continue;
      }
      if (item.kind === 'malformed') {
        reject({ line: item.line, reason: item.reason });
        continue;
      }
      const parsed = parseContactRow(Object.fromEntries(header.columns.map((name, i) => [name, item.fields[i]])), item.line);
      if (!parsed.ok) reject(parsed.error);
      else batch.push({ line: item.line, contact: parsed.value });
      if (batch.length >= (deps.batchSize ?? DEFAULT_BATCH_SIZE)) await flush();
    }
    if (header === null) throw new GovbotError('IMPORT_EMPTY_FILE', `The file is empty. ${HEADER_HINT}`);
    await flush();
  } catch (error) {
    // Batches already committed changed the register: that must be on the record too.
    if (committed > 0) await audit(deps, 'contacts.import_failed', { ...counts(report), error: codeOf(error) }).catch(() => undefined);
    throw error;
  }
  await audit(deps, 'contacts.imported', counts(report));
  // Repeated ids are found when their batch is written, after rows read later: put lines in order.
  report.rejected.sort((a, b) => a.line - b.line);
  return report;
}

/** What the CLI prints: the counts, then one line per rejected row. */
export function formatImportReport(report: ImportReport): string[] {
  const lines = [
    `inserted: ${report.inserted}`,
    `updated: ${report.updated} (unchanged: ${report.unchanged})`,
    `suppressed: ${report.suppressed}`,
    `rejected: ${report.rejectedCount}`,
    ...report.rejected.map((r) => `line ${r.line}: ${r.reason}`),
  ];
  const unlisted = report.rejectedCount - report.rejected.length;
  if (unlisted > 0) lines.push(`… and ${unlisted} more rejected row${unlisted === 1 ? '' : 's'} not listed`);
  return lines;
}

function headerOf(item: CsvItem): ContactHeader {
  if (item.kind === 'malformed') throw new GovbotError('IMPORT_BAD_HEADER', `The header (line 1) could not be read: ${item.reason}. ${HEADER_HINT}`);
  const checked = checkHeader(item.fields);
  if (!checked.ok) throw new GovbotError('IMPORT_BAD_HEADER', checked.error);
  return checked.value;
}

/** One transaction: drop suppressed rows, upsert the rest, report duplicates as rejected. */
async function writeBatch(deps: ImportDeps, header: ContactHeader, batch: readonly Row[]): Promise<UpsertCounts & { suppressed: number; rejected: RowRejection[] }> {
  return deps.db.transaction(async (trx) => {
    const hmacs = batch.map((row) => suppressionHash(deps.pepper, row.contact.email));
    const suppressed = await suppressedAmong(trx, hmacs);
    const loadable = batch.filter((_, i) => !suppressed.has(hmacs[i] ?? ''));
    const result = await upsertContacts(trx, loadable.map((row) => row.contact), { columns: header.columns, now: deps.now });
    const lastLine = new Map(loadable.map((row) => [row.contact.externalId, row.line]));
    const rejected = result.superseded.flatMap((i) => {
      const row = loadable[i];
      return row ? [{ line: row.line, reason: `external_id ${quote(row.contact.externalId)} appears again on line ${lastLine.get(row.contact.externalId) ?? '?'}; that later row was loaded instead` }] : [];
    });
    const { inserted, updated, unchanged } = result;
    return { inserted, updated, unchanged, suppressed: batch.length - loadable.length, rejected };
  });
}

async function audit(deps: ImportDeps, action: string, facts: Record<string, number | string>): Promise<void> {
  await deps.db.transaction((trx) => appendAuditEvent(trx, { actor: deps.actor, action, facts, occurredAt: deps.now }));
}

function counts(report: ImportReport): Record<string, number> {
  const { inserted, updated, unchanged, suppressed, rejectedCount } = report;
  return { inserted, updated, unchanged, suppressed, rejected: rejectedCount };
}

/** A code, never the message: driver messages can quote the row that failed. */
function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

type CsvItem =
  | { readonly kind: 'record'; readonly line: number; readonly fields: readonly string[] }
  | { readonly kind: 'malformed'; readonly line: number; readonly reason: string };

type Parsed = { readonly record: string[]; readonly info: Info } | { readonly error: CsvError };

/**
 * Records with the line each starts on, and the stretches csv-parse could not read. csv-parse skips
 * a bad record and goes on (skip_records_with_error), but after a quote error it may swallow the
 * lines that follow until a quote closes, or to the end of the file: those lines are reported as one
 * malformed stretch, first line to last, so nothing disappears from the report unannounced.
 */
async function* readCsv(input: Readable): AsyncGenerator<CsvItem> {
  const counter = new LineCounter();
  const parser = parse({ bom: true, info: true, skip_records_with_error: true, relax_column_count: false, max_record_size: MAX_RECORD_SIZE });
  // Skips are events, records are stream items: pushing each skip into the stream keeps file order.
  parser.on('skip', (error: CsvError) => parser.push({ error }));
  const parsed: AsyncIterable<Parsed> = pipeline(input, counter, parser, () => undefined);
  let columns = 0;
  let lastEnd = 0;
  let gap: { line: number; reason: string } | null = null;
  for await (const item of parsed) {
    const complete = 'error' in item ? wrongLength(item.error) : item;
    if (complete === null) {
      if ('error' in item) gap ??= { line: counter.lineAt(lastEnd), reason: describe(item.error) };
      continue;
    }
    const { record, info } = complete;
    // csv-parse's own line count goes wrong after CRLF inside quotes, so count line feeds ourselves.
    const line = counter.lineAt(info.bytes - 1) - record.reduce((n, field) => n + countFeeds(field), 0);
    const sameRecord = gap !== null && line <= gap.line; // a quote error and a wrong field count
    if (gap) yield unreadable(gap, Math.max(gap.line, line - 1));
    gap = null;
    lastEnd = info.bytes;
    if ('error' in item) {
      if (sameRecord) continue;
      if (record.length === 1 && record[0]?.trim() === '') continue; // a blank line
      yield { kind: 'malformed', line, reason: `it has ${record.length} fields where the header has ${columns}; a value containing a comma must be in double quotes` };
    } else {
      if (columns === 0) columns = record.length;
      yield { kind: 'record', line, fields: record };
    }
  }
  if (gap) yield unreadable(gap, counter.lastLine());
}

/** A record csv-parse read whole but rejected for its field count: its fields and end are known. */
function wrongLength(error: CsvError): { record: string[]; info: { bytes: number } } | null {
  const { record, bytes } = error;
  if (error.code !== 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' || typeof bytes !== 'number' || !Array.isArray(record)) return null;
  return { record: record.map(String), info: { bytes } };
}

function unreadable(gap: { line: number; reason: string }, last: number): CsvItem {
  // csv-parse names the symptom where it gave up; the cause is a quote on the first line lost.
  const reason = last > gap.line
    ? `not valid CSV, so lines ${gap.line} to ${last} were not loaded: check the quotes on line ${gap.line} (${gap.reason})`
    : `not valid CSV, so this line was not loaded: ${gap.reason}`;
  return { kind: 'malformed', line: gap.line, reason };
}

function describe(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED': return 'a quoted value is never closed: a " is missing';
    // Either a quote left open swallowed the lines after it, or a line really is that long.
    case 'CSV_MAX_RECORD_SIZE': return `a quoted value is never closed (a " is missing), or a row is longer than ${MAX_RECORD_SIZE.toLocaleString('en-GB')} characters`;
    case 'CSV_INVALID_CLOSING_QUOTE': return 'a quoted value is followed by more text; a " inside a quoted value must be written ""';
    case 'INVALID_OPENING_QUOTE': return 'a " appears inside an unquoted value; quote the whole value and write the " as ""';
    default: return error.message;
  }
}

function countFeeds(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}

/** Passes bytes through, noting where each line feed is, so a byte offset maps to a line number. */
class LineCounter extends Transform {
  private readonly feeds: number[] = []; // offsets of line feeds not yet behind the last lookup
  private head = 0;
  private behind = 0;
  private seen = 0;
  private endsWithFeed = true;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.feeds.push(this.seen + i);
    this.seen += chunk.length;
    if (chunk.length > 0) this.endsWithFeed = chunk[chunk.length - 1] === 10;
    done(null, chunk);
  }

  /** The 1-based line of the byte at `offset`. Lookups must not go backwards: passed feeds are dropped. */
  lineAt(offset: number): number {
    while (this.head < this.feeds.length && (this.feeds[this.head] ?? offset) < offset) {
      this.head += 1;
      this.behind += 1;
    }
    if (this.head > 65_536) {
      this.feeds.splice(0, this.head);
      this.head = 0;
    }
    return this.behind + 1;
  }

  lastLine(): number {
    const feeds = this.behind + this.feeds.length - this.head;
    return this.endsWithFeed ? Math.max(feeds, 1) : feeds + 1;
  }
}
