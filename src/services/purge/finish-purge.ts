import type { Knex } from 'knex';
import type { Config } from '../../config.js';
import { sumOf, tallyPurge } from '../../domain/purge-tally.js';
import { appendAuditEvent } from '../../register/audit-events.js';
import { purgeItemCounts } from '../../register/purge-items.js';
import { clearTallies, talliedCounts } from '../../register/purge-tallies.js';
import { lockPurgeBatch, updatePurgeBatch } from '../../register/purges.js';
import { postPurgeReport } from './purge-cards.js';
import { owePurgeRecipientNotices } from './purge-recipients.js';

/**
 * Closes a running purge once no item is pending: batch done, its figures kept, the audit event,
 * the card updated and the report posted, in one transaction. The batch row lock serialises two
 * runners finishing at once: the second finds it done and does nothing. A runner whose chunks are
 * still in flight sees their items pending and leaves the finishing to whichever commits last.
 * Returns the candidate list's file name when this call finished the batch (the caller removes it).
 */
export async function finishPurge(trx: Knex.Transaction, config: Config, batchId: number, at: Date): Promise<{ file: string | null } | null> {
  const batch = await lockPurgeBatch(trx, batchId);
  if (!batch || batch.status !== 'running') return null;
  // Summed from the tally its start and chunks kept (else one pass over the items): the counts
  // also say whether any item is still pending.
  const itemCounts = await talliedCounts(trx, batchId) ?? await purgeItemCounts(trx, batchId);
  if (itemCounts.some((c) => c.status === 'pending')) return null;
  const tally = tallyPurge(itemCounts);
  const durationMs = batch.started_at ? at.getTime() - batch.started_at.getTime() : null;
  const counts = { deleted: tally.deleted, skipped: tally.skipped, kept_back: tally.keptBack, suppressed: tally.suppressed, do_not_contact: tally.doNotContact, duration_ms: durationMs };
  await updatePurgeBatch(trx, batchId, { status: 'done', finished_at: at, counts });
  // Art 19: each recipient of contact data owed a notice, with its file of CRM ids to delete.
  const recipients = await owePurgeRecipientNotices(trx, config.dataDir, batch, sumOf(tally.deleted), at);
  await clearTallies(trx, batchId);
  await appendAuditEvent(trx, {
    actor: 'govbot', action: 'purge.done', subject: batch.reference, occurredAt: at,
    facts: { batch_id: batchId, deleted_count: sumOf(tally.deleted), skipped_count: sumOf(tally.skipped), ...counts, recipients_owed_count: recipients.owed },
  });
  await postPurgeReport(trx, config, batchId, itemCounts);
  return { file: batch.candidate_file };
}
