import type { Knex } from 'knex';
import type { Db } from './database.js';

/** The export files written for individuals, and when each goes (see the export_files migration). */

type Conn = Db | Knex.Transaction;

export interface ExportFileRow {
  readonly name: string;
  readonly request_id: number | null;
  readonly sha256: string;
  readonly written_at: Date;
  readonly delete_after: Date;
}

/** A retry after a crash rewrites the same file: its row is updated, never doubled. */
export async function recordExportFile(trx: Knex.Transaction, file: { name: string; requestId: number; subjectHmac: string; sha256: string; writtenAt: Date; deleteAfter: Date }): Promise<void> {
  await trx('export_files').insert({
    name: file.name, request_id: file.requestId, subject_hmac: file.subjectHmac, sha256: file.sha256,
    written_at: file.writtenAt, delete_after: file.deleteAfter, deleted_at: null, deleted_because: null,
  }).onConflict('name').merge();
}

/** The subject's files still on disk, locked, so two erasures or an erasure and the expiry job queue up. */
export async function lockLiveExportsOfSubject(trx: Knex.Transaction, subjectHmac: string): Promise<ExportFileRow[]> {
  return trx('export_files').where({ subject_hmac: subjectHmac }).whereNull('deleted_at').orderBy('name').forUpdate()
    .select<ExportFileRow[]>('name', 'request_id', 'sha256', 'written_at', 'delete_after');
}

/** Files due for deletion at `now`, a batch at a time, skipping those another runner holds. */
export async function claimExpiredExports(trx: Knex.Transaction, now: Date, limit: number): Promise<ExportFileRow[]> {
  return trx('export_files').whereNull('deleted_at').where('delete_after', '<=', now).orderBy('delete_after').limit(limit)
    .forUpdate().skipLocked().select<ExportFileRow[]>('name', 'request_id', 'sha256', 'written_at', 'delete_after');
}

export async function markExportsDeleted(trx: Knex.Transaction, names: readonly string[], at: Date, because: 'expired' | 'erasure'): Promise<void> {
  if (names.length === 0) return;
  await trx('export_files').whereIn('name', names).update({ deleted_at: at, deleted_because: because });
}

export async function exportFileOfRequest(db: Conn, requestId: number): Promise<(ExportFileRow & { deleted_at: Date | null }) | null> {
  return (await db('export_files').where({ request_id: requestId }).orderBy('written_at', 'desc')
    .first<(ExportFileRow & { deleted_at: Date | null }) | undefined>('name', 'request_id', 'sha256', 'written_at', 'delete_after', 'deleted_at')) ?? null;
}

/** The live files of any of these subjects, locked: one statement however many subjects a purge chunk forgets. */
export async function lockLiveExportsOfSubjects(trx: Knex.Transaction, subjectHmacs: readonly string[]): Promise<ExportFileRow[]> {
  if (subjectHmacs.length === 0) return [];
  return trx('export_files').whereRaw('subject_hmac = any(?::text[])', [[...subjectHmacs]]).whereNull('deleted_at').orderBy('name').forUpdate()
    .select<ExportFileRow[]>('name', 'request_id', 'sha256', 'written_at', 'delete_after');
}
