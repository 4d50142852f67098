import type { Readable } from 'node:stream';
import { checkHeader, HEADER_HINT, parseContactRow, quote, type ContactHeader, type RowRejection } from '../domain/contact-row.js';
import { identifierDigests } from '../domain/suppression.js';
import { GovbotError } from '../errors.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { openContactImport, type BatchOutcome, type ContactImportSession } from '../register/contact-import.js';
import type { Db } from '../register/database.js';
import { readCsv, type CsvItem } from './csv-records.js';

/**
 * `govbot import contacts <file.csv>` (CONTRACT §6, §7). Streams the file: each row is checked as
 * it arrives (rejections keep their line), and valid rows stream on into Postgres through COPY;
 * every batch of rows is then decided by one statement (register/contact-import.ts) and committed,
 * and the next batch is not read until the last is committed, so memory stays flat however long
 * the file. A batch that commits stays committed; the upsert makes re-running a file safe.
 * The keyed hashes are computed here: the pepper never goes to the database.
 */

export interface ImportDeps {
  readonly db: Db;
  readonly pepper: string;
  /** Who ran it, for the audit event (`cli:alice`). */
  readonly actor: string;
  /** Written as created_at / updated_at and the audit event's time. */
  readonly now: Date;
  /** The zone in which "erased on" dates are given (TIMEZONE); default Europe/London. */
  readonly timeZone?: string;
  /** Rows per transaction. */
  readonly batchSize?: number;
}

export interface ImportReport {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly suppressed: number;
  /** Rows whose CRM id belongs to a contact erased earlier: not loaded, listed with `erased`. */
  readonly erasedEarlier: number;
  /**
   * Rows refused, by line: the first MAX_LISTED_REJECTIONS found; rejectedCount counts them all.
   * A stretch of lines csv-parse could not read counts once, and its reason names the lines.
   */
  readonly rejected: readonly RowRejection[];
  readonly rejectedCount: number;
  /** The first MAX_LISTED_REJECTIONS rows erased earlier, each with when and by what. */
  readonly erased: readonly RowRejection[];
}

export const MAX_LISTED_REJECTIONS = 1000;
const DEFAULT_BATCH_SIZE = 25_000;

export async function importContacts(deps: ImportDeps, input: Readable): Promise<ImportReport> {
  const report = { inserted: 0, updated: 0, unchanged: 0, suppressed: 0, erasedEarlier: 0, rejected: [] as RowRejection[], rejectedCount: 0, erased: [] as RowRejection[] };
  const reject = (rejection: RowRejection): void => {
    report.rejectedCount += 1;
    if (report.rejected.length < MAX_LISTED_REJECTIONS) report.rejected.push(rejection);
  };
  const digests = identifierDigests(deps.pepper);
  let header: ContactHeader | null = null;
  let session: ContactImportSession | null = null;
  let inBatch = 0;
  let committed = 0;
  // Each batch's outcome is added in file order once it commits; reading goes on meanwhile.
  let tallied: Promise<void> = Promise.resolve();
  const tally = (outcome: BatchOutcome): void => {
    committed += 1;
    report.inserted += outcome.inserted;
    report.updated += outcome.updated;
    report.unchanged += outcome.unchanged;
    report.suppressed += outcome.suppressed;
    report.erasedEarlier += outcome.erasedEarlier;
    report.rejectedCount += outcome.superseded;
    for (const row of outcome.listed) {
      if (row.kind === 'erased') {
        if (report.erased.length < MAX_LISTED_REJECTIONS) report.erased.push({ line: row.line, reason: erasedReason(row) });
      } else if (report.rejected.length < MAX_LISTED_REJECTIONS) {
        report.rejected.push({ line: row.line, reason: `external_id ${quote(row.externalId)} appears again on line ${row.lastLine}; that later row was loaded instead` });
      }
    }
  };
  const endBatch = async (): Promise<void> => {
    if (session === null || inBatch === 0) return;
    // At most this many more rows can be listed; a batch still deciding may list some of them too.
    const listed = 2 * MAX_LISTED_REJECTIONS - report.rejected.length - report.erased.length;
    const { decided } = await session.endBatch({ now: deps.now, timeZone: deps.timeZone ?? 'Europe/London', listed });
    inBatch = 0;
    tallied = tallied.then(() => decided).then(tally);
    tallied.catch(() => undefined); // heard when awaited, below
  };
  try {
    for await (const items of readCsv(input)) for (const item of items) {
      if (header === null) {
        header = headerOf(item);
        session = await openContactImport(deps.db, header.columns, digests);
        continue;
      }
      if (item.kind === 'malformed') {
        reject({ line: item.line, reason: item.reason });
        continue;
      }
      const parsed = parseContactRow(recordOf(header, item.fields), item.line);
      if (!parsed.ok) {
        reject(parsed.error);
        continue;
      }
      const caughtUp = session!.add({ line: item.line, contact: parsed.value });
      if (caughtUp) await caughtUp;
      inBatch += 1;
      if (inBatch >= (deps.batchSize ?? DEFAULT_BATCH_SIZE)) await endBatch();
    }
    if (header === null) throw new GovbotError('IMPORT_EMPTY_FILE', `The file is empty. ${HEADER_HINT}`);
    await endBatch();
    await tallied;
  } catch (error) {
    // Batches already committed changed the register: that must be on the record too.
    await (session as ContactImportSession | null)?.close();
    session = null;
    await tallied.catch(() => undefined);
    if (committed > 0) await audit(deps, 'contacts.import_failed', { ...counts(report), error: codeOf(error) }).catch(() => undefined);
    throw error;
  } finally {
    await (session as ContactImportSession | null)?.close();
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
    `erased earlier: ${report.erasedEarlier}`,
    `rejected: ${report.rejectedCount}`,
    ...[...report.erased, ...report.rejected].sort((a, b) => a.line - b.line).map((r) => `line ${r.line}: ${r.reason}`),
  ];
  const unlistedErased = report.erasedEarlier - report.erased.length;
  if (unlistedErased > 0) lines.push(`… and ${unlistedErased} more row${unlistedErased === 1 ? '' : 's'} erased earlier not listed`);
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

/** The fields by column name; a column the file lacks is absent (left alone on update). */
function recordOf(header: ContactHeader, fields: readonly string[]): Record<string, string | undefined> {
  const record: Record<string, string | undefined> = {};
  for (let i = 0; i < header.columns.length; i += 1) record[header.columns[i]!] = fields[i];
  return record;
}

function erasedReason(row: { externalId: string; erasedOn: string; erasedBy: string | null }): string {
  return `external_id ${quote(row.externalId)} was erased on ${row.erasedOn}${row.erasedBy ? ` by ${row.erasedBy}` : ''}: delete it in the CRM, so the next export does not carry it again`;
}

async function audit(deps: ImportDeps, action: string, facts: Record<string, number | string>): Promise<void> {
  await deps.db.transaction((trx) => appendAuditEvent(trx, { actor: deps.actor, action, facts, occurredAt: deps.now }));
}

function counts(report: ImportReport): Record<string, number> {
  const { inserted, updated, unchanged, suppressed, erasedEarlier, rejectedCount } = report;
  return { inserted, updated, unchanged, suppressed, erased_earlier: erasedEarlier, rejected: rejectedCount };
}

/** A code, never the message: driver messages can quote the row that failed. */
function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}
