import fs from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import { recipientFileName } from '../../domain/purge.js';
import { clearDeletedExternalIds, contactDataRecipients, deletedExternalIdsCsv, erasedCrmIdCount, owePurgeRecipients } from '../../register/purge-recipients.js';
import type { PurgeBatchRow } from '../../register/purges.js';
import { exportsDirectory } from '../actions/export-file.js';
import { copyPrivateFile, writePrivateFile, type CandidateFile } from './candidates-file.js';

/**
 * Art 19 after a purge: every provider on the Article 30 register that receives contact data is
 * owed a notice of the deletion, with the CRM ids it must act on in a file of its own beside the
 * candidate list (`PURGE-2026-Q4-recipient-2-hubspot-crm.csv`, 0600): the operator of each provider
 * takes that one file to its bulk delete, and the file goes once the provider is recorded as told.
 * The ids were kept chunk by chunk as each contact was deleted (so a resumed purge lists each once) and are
 * cleared from the register here: afterwards the files are their only copy.
 *
 * `deleted` is how many contacts the batch deleted (its items done). Runs in the transaction that
 * finishes the purge. Should it roll back after the files were written, the next finish writes
 * them again under the same names.
 */
export async function owePurgeRecipientNotices(trx: Knex.Transaction, dataDir: string, batch: PurgeBatchRow, deleted: number, at: Date): Promise<{ owed: number }> {
  const recipients = await contactDataRecipients(trx);
  const withExternalId = recipients.length === 0 || deleted === 0 ? 0 : await erasedCrmIdCount(trx, batch.id);
  const notices = [];
  // Every provider's file holds the same ids: Postgres lists them once, each provider gets a copy.
  let list: CandidateFile | null = null;
  for (const recipient of deleted === 0 ? [] : recipients) {
    const name = recipientFileName(batch.reference, recipient);
    let file: CandidateFile | null = null;
    if (withExternalId > 0) {
      file = list === null ? await writePrivateFile(dataDir, name, await deletedExternalIdsCsv(trx, batch.id)) : await copyPrivateFile(dataDir, list, name);
      list ??= file;
    }
    notices.push({ processorId: recipient.id, owedCount: deleted, listedCount: file?.lines ?? 0, fileName: file?.name ?? null, sha256: file?.sha256 ?? null });
  }
  const owed = await owePurgeRecipients(trx, batch.id, notices, at);
  await clearDeletedExternalIds(trx, batch.id);
  return { owed };
}

/** Once its provider is recorded as told. Only ever a name this module wrote; a missing file is fine. */
export async function removeRecipientFile(dataDir: string, name: string | null): Promise<void> {
  if (name === null || path.basename(name) !== name || !/^PURGE-[\w-]+-recipient-\d+(-[a-z0-9-]+)?\.csv$/.test(name)) return;
  await fs.rm(path.join(exportsDirectory(dataDir), name), { force: true });
}
