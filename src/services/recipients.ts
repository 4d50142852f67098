import { err, ok, type Result } from '../domain/result.js';
import type { Actor } from '../chat/actor.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { findProcessorByName, listProcessors } from '../register/processors.js';
import { markRecipientTold, recipientNoticesFor, type RecipientNoticeRow } from '../register/recipient-notices.js';
import { findRequestByRef, lockRequestByRef } from '../register/requests.js';
import { refreshRequestCard } from './card-messages.js';
import type { ServiceContext } from './context.js';
import { clockEnv } from './request-clock.js';
import { processorSubject } from './processors.js';

/**
 * Art 19: the recipients of the contact data (providers on the Article 30 register that receive
 * it) owed a notice of a rectification, erasure or restriction, and recording that one was told.
 */
export async function recipientsOfRequest(ctx: ServiceContext, reference: string): Promise<Result<readonly RecipientNoticeRow[]>> {
  const request = await findRequestByRef(ctx.db, reference);
  if (!request) return err(`There is no request ${reference}: /dsr list shows the open ones`);
  return ok(await recipientNoticesFor(ctx.db, request.id));
}

export async function recordRecipientTold(ctx: ServiceContext, by: Actor, input: { reference: string; processor: string }): Promise<Result<{ processor: string; already: boolean }>> {
  const now = ctx.clock();
  return ctx.db.transaction(async (trx): Promise<Result<{ processor: string; already: boolean }>> => {
    const request = await lockRequestByRef(trx, input.reference);
    if (!request) return err(`There is no request ${input.reference}: /dsr list shows the open ones`);
    const processor = await findProcessorByName(trx, input.processor.trim());
    if (!processor) {
      const names = (await listProcessors(trx)).map((p) => p.name);
      return err(`"${input.processor.trim().slice(0, 60)}" is not on the register of service providers; its names are: ${names.length > 0 ? names.join(', ') : 'none yet (/gov processors add)'}`);
    }
    const owed = await recipientNoticesFor(trx, request.id);
    if (!owed.some((n) => n.processor_id === processor.id)) {
      return err(`${request.reference} owes ${processor.name} no notice: ${owed.length > 0 ? `the recipients owed are ${owed.map((n) => n.processor).join(', ')}` : 'no rectification, erasure or restriction has been carried out for it'}`);
    }
    const marked = await markRecipientTold(trx, request.id, processor.id, now, by.key);
    if (marked) {
      await appendAuditEvent(trx, {
        actor: by.key, action: 'recipient.told', subject: request.reference, occurredAt: now,
        facts: { processor_id: processor.id, provider: processorSubject(processor) },
      });
      await refreshRequestCard(trx, request.id, clockEnv(ctx.config, now));
    }
    return ok({ processor: processor.name, already: !marked });
  });
}
