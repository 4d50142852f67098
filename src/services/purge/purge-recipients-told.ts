import type { Actor } from '../../chat/actor.js';
import { err, ok, type Result } from '../../domain/result.js';
import { appendAuditEvent } from '../../register/audit-events.js';
import { findProcessorByName, listProcessors } from '../../register/processors.js';
import { markPurgeRecipientTold, purgeRecipientNotices, type PurgeRecipientNoticeRow } from '../../register/purge-recipients.js';
import { findPurgeBatchByRef, lockPurgeBatch } from '../../register/purges.js';
import type { ServiceContext } from '../context.js';
import { processorSubject } from '../processors.js';
import { refreshPurgeReport } from './purge-cards.js';
import { removeRecipientFile } from './purge-recipients.js';

/**
 * `/dsr recipients PURGE-2026-Q4 [told <provider>]`: the recipients of contact data a purge owes an
 * Art 19 notice, and recording one as told. Told, its file of CRM ids is removed (it has served its
 * purpose, and it names people the register has erased) and the report card says who recorded it.
 */
export async function recipientsOfPurge(ctx: ServiceContext, reference: string): Promise<Result<{ status: string; recipients: readonly PurgeRecipientNoticeRow[] }>> {
  const batch = await findPurgeBatchByRef(ctx.db, reference);
  if (!batch) return err(`There is no purge ${reference}: /gov purge shows the latest`);
  return ok({ status: batch.status, recipients: await purgeRecipientNotices(ctx.db, batch.id) });
}

export async function recordPurgeRecipientTold(ctx: ServiceContext, by: Actor, input: { reference: string; processor: string }): Promise<Result<{ processor: string; already: boolean }>> {
  const now = ctx.clock();
  const outcome = await ctx.db.transaction(async (trx): Promise<Result<{ processor: string; already: boolean; file: string | null }>> => {
    const found = await findPurgeBatchByRef(trx, input.reference);
    const batch = found ? await lockPurgeBatch(trx, found.id) : null;
    if (!batch) return err(`There is no purge ${input.reference}: /gov purge shows the latest`);
    const processor = await findProcessorByName(trx, input.processor.trim());
    if (!processor) {
      const names = (await listProcessors(trx)).map((p) => p.name);
      return err(`"${input.processor.trim().slice(0, 60)}" is not on the register of service providers; its names are: ${names.length > 0 ? names.join(', ') : 'none yet (/gov processors add)'}`);
    }
    const owed = await purgeRecipientNotices(trx, batch.id);
    if (!owed.some((n) => n.processor_id === processor.id)) {
      return err(`${batch.reference} owes ${processor.name} no notice: ${owed.length > 0 ? `the recipients owed are ${owed.map((n) => n.processor).join(', ')}` : batch.status === 'done' ? 'no provider receiving contact data was on the register when it finished' : 'nothing has been deleted by it yet'}`);
    }
    const marked = await markPurgeRecipientTold(trx, batch.id, processor.id, now, by.key);
    if (!marked) return ok({ processor: processor.name, already: true, file: null });
    await appendAuditEvent(trx, {
      actor: by.key, action: 'purge.recipient_told', subject: batch.reference, occurredAt: now,
      facts: { batch_id: batch.id, processor_id: processor.id, provider: processorSubject(processor), file_removed: marked.file_name !== null },
    });
    await refreshPurgeReport(trx, ctx.config, batch.id);
    return ok({ processor: processor.name, already: false, file: marked.file_name });
  });
  if (!outcome.ok) return outcome;
  // After commit: a rolled-back record keeps its file.
  await removeRecipientFile(ctx.config.dataDir, outcome.value.file);
  return ok({ processor: outcome.value.processor, already: outcome.value.already });
}
