import type { Knex } from 'knex';
import { lockLiveExportsOfSubjects, markExportsDeleted } from '../register/export-files.js';
import { scrubSubjectText, type ScrubbedText } from '../register/subject-traces.js';
import { deleteExportFile, exportsDirectory } from './actions/export-file.js';

export interface Forgotten {
  readonly exportFilesDeleted: readonly string[];
  readonly scrubbed: ScrubbedText;
}

/**
 * After an erasure (a request's or a purge's), nothing personal about the subject stays behind:
 * their earlier export files are deleted and the free text on their requests is scrubbed. The
 * files are recorded deleted in the caller's transaction and removed from disk at once: should
 * the transaction then roll back, a file is gone a little early, which harms no one, while the
 * opposite order could leave a file nobody knows about. One already gone is not an error.
 */
export async function forgetSubject(trx: Knex.Transaction, dataDir: string, subjectHmacs: readonly string[], alsoRequestId: number | null, at: Date): Promise<Forgotten> {
  // Set-based: a purge chunk forgets thousands of subjects in the same few statements as one.
  const names = (await lockLiveExportsOfSubjects(trx, [...new Set(subjectHmacs)])).map((f) => f.name);
  await markExportsDeleted(trx, names, at, 'erasure');
  for (const name of names) await deleteExportFile(exportsDirectory(dataDir), name);
  const scrubbed = await scrubSubjectText(trx, subjectHmacs, alsoRequestId);
  return { exportFilesDeleted: names, scrubbed };
}

/** For the audit event: counts only, never the text or the file names' subjects. */
export function forgottenFacts(forgotten: Forgotten): Record<string, number> {
  const s = forgotten.scrubbed;
  return {
    export_files_deleted_count: forgotten.exportFilesDeleted.length, requests_scrubbed_count: s.requests,
    pause_notes_scrubbed_count: s.pauseNotes, identity_notes_scrubbed_count: s.identityNotes,
    decision_reasons_scrubbed_count: s.decisionReasons, vote_reasons_scrubbed_count: s.voteReasons,
  };
}
