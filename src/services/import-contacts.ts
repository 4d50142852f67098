import type { Readable } from 'node:stream';
import { checkHeader, HEADER_HINT, parseContactRow, quote, type ContactHeader, type ContactInput, type RowRejection } from '../domain/contact-row.js';
import { suppressionHash } from '../domain/suppression.js';
import { GovbotError } from '../errors.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { upsertContacts, type UpsertCounts } from '../register/contacts.js';
import type { Db } from '../register/database.js';
import { suppressedAmong } from '../register/suppression-list.js';
import { readCsv, type CsvItem } from './csv-records.js';

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
