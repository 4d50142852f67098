import fs from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import { recipientFileName } from '../../domain/purge.js';
import { clearDeletedExternalIds, contactDataRecipients, deletedExternalIdsCsv, deletedOfBatch, owePurgeRecipients } from '../../register/purge-recipients.js';
import type { PurgeBatchRow } from '../../register/purges.js';
import { exportsDirectory } from '../actions/export-file.js';
import { writePrivateFile } from './candidates-file.js';

/**
 * Art 19 after a purge: every provider on the Article 30 register that receives contact data is
 * owed a notice of the deletion, with the CRM ids it must act on in a file of its own beside the
 * candidate list (`PURGE-2026-Q4-recipient-2-hubspot-crm.csv`, 0600): the operator of each provider
 * takes that one file to its bulk delete, and the file goes once the provider is recorded as told.
 * The ids were kept on the deleted items chunk by chunk (so a resumed purge lists each once) and are
 * cleared from the register here: afterwards the files are their only copy.
 *
 * Runs in the transaction that finishes the purge. Should it roll back after the files were
 * written, the next finish writes them again under the same names.
 */
export async function owePurgeRecipientNotices(trx: Knex.Transaction, dataDir: string, batch: PurgeBatchRow, at: Date): Promise<{ owed: number; deleted: number }> {
  const { deleted, withExternalId } = await deletedOfBatch(trx, batch.id);
  const recipients = deleted === 0 ? [] : await contactDataRecipients(trx);
  const notices = [];
  for (const recipient of recipients) {
    const file = withExternalId === 0 ? null : await writePrivateFile(dataDir, recipientFileName(batch.reference, recipient), await deletedExternalIdsCsv(trx, batch.id));
    notices.push({ processorId: recipient.id, owedCount: deleted, listedCount: file?.lines ?? 0, fileName: file?.name ?? null, sha256: file?.sha256 ?? null });
  }
  const owed = await owePurgeRecipients(trx, batch.id, notices, at);
  await clearDeletedExternalIds(trx, batch.id);
  return { owed, deleted };
}

/** Once its provider is recorded as told. Only ever a name this module wrote; a missing file is fine. */
export async function removeRecipientFile(dataDir: string, name: string | null): Promise<void> {
  if (name === null || path.basename(name) !== name || !/^PURGE-[\w-]+-recipient-\d+(-[a-z0-9-]+)?\.csv$/.test(name)) return;
  await fs.rm(path.join(exportsDirectory(dataDir), name), { force: true });
}
