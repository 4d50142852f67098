import { appendAuditEvent } from '../register/audit-events.js';
import { claimExpiredExports, markExportsDeleted } from '../register/export-files.js';
import { pruneDeliveredPayloads } from '../register/outbox.js';
import { deleteExportFile, exportsDirectory } from '../services/actions/export-file.js';
import type { JobContext, JobDefinition, JobSummary } from './job.js';

/** Export files per transaction: each batch's deletions and its audit event commit together. */
const BATCH = 100;
/** Delivered chat messages keep their payload this long (for a look at a delivery gone wrong), then lose it. */
export const OUTBOX_PAYLOAD_KEEP_MS = 24 * 3_600_000;

/**
 * Nothing personal kept longer than needed (DESIGN §1): every access or portability export is
 * deleted EXPORT_RETENTION_DAYS after it was written, audited by file name (a reference, never a
 * person); and delivered chat messages lose their payloads a day after delivery. A file already
 * gone (deleted by hand, or by an erasure) is not an error. Two runners never take the same file.
 */
export async function expireExports(context: JobContext, now: Date): Promise<JobSummary> {
  const directory = exportsDirectory(context.config.dataDir);
  let deleted = 0;
  let alreadyGone = 0;
  for (;;) {
    const names = await context.db.transaction(async (trx) => {
      const due = await claimExpiredExports(trx, now, BATCH);
      if (due.length === 0) return [];
      const outcomes = [];
      for (const file of due) outcomes.push(await deleteExportFile(directory, file.name));
      await markExportsDeleted(trx, due.map((f) => f.name), now, 'expired');
      await appendAuditEvent(trx, {
        actor: 'govbot', action: 'exports.expired', subject: null, occurredAt: now,
        facts: { files: due.map((f) => f.name), sha256: due.map((f) => f.sha256), already_gone_count: outcomes.filter((o) => o === 'already-gone').length, retention_days: context.config.exportRetentionDays },
      });
      deleted += outcomes.filter((o) => o === 'deleted').length;
      alreadyGone += outcomes.filter((o) => o === 'already-gone').length;
      return due;
    });
    if (names.length < BATCH) break;
  }
  const pruned = await pruneDeliveredPayloads(context.db, new Date(now.getTime() - OUTBOX_PAYLOAD_KEEP_MS));
  return { deleted, already_gone: alreadyGone, outbox_payloads_pruned: pruned };
}

export const expireExportsJob: JobDefinition = {
  name: 'expire-exports',
  schedule: { kind: 'daily', hour: 3, minute: 30 },
  description: 'deletes access and portability exports EXPORT_RETENTION_DAYS after they were written, and the payloads of delivered chat messages',
  catchUpMs: 20 * 3_600_000,
  run: expireExports,
};
