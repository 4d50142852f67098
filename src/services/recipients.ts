import type { Knex } from 'knex';
import { err, ok, type Result } from '../domain/result.js';
import type { Actor } from '../chat/actor.js';
import { userText } from '../chat/mention.js';
import { findMember } from '../register/committee.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { findProcessorById, findProcessorByName, listProcessors, type ProcessorRow } from '../register/processors.js';
import { markRecipientTold, recipientNoticesFor, type RecipientNoticeRow } from '../register/recipient-notices.js';
import { findRequestByRef, lockRequest, lockRequestByRef, type RequestRow } from '../register/requests.js';
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

export interface RecipientTold {
  readonly reference: string;
  readonly processor: string;
  /** The first record stands: a second (a double click, a retried delivery) changes nothing. */
  readonly already: boolean;
}

/** `/dsr recipients <ref> told <processor>`: the provider named as the register of service providers names it. */
export async function recordRecipientTold(ctx: ServiceContext, by: Actor, input: { reference: string; processor: string }): Promise<Result<RecipientTold>> {
  return ctx.db.transaction(async (trx) => {
    const request = await lockRequestByRef(trx, input.reference);
    if (!request) return err(`There is no request ${input.reference}: /dsr list shows the open ones`);
    const processor = await findProcessorByName(trx, input.processor.trim());
    if (!processor) {
      const names = (await listProcessors(trx)).map((p) => p.name);
      return err(`"${input.processor.trim().slice(0, 60)}" is not on the register of service providers; its names are: ${names.length > 0 ? names.join(', ') : 'none yet (/gov processors add)'}`);
    }
    return markTold(trx, ctx, by, request, processor);
  });
}

/**
 * The card's `Told <provider>` button: the same record as the command, for committee members only
 * (the command's access rule). The card is refreshed through the outbox, delivered at once.
 */
export async function recordRecipientToldByClick(ctx: ServiceContext, by: Actor, input: { requestId: number; processorId: number }): Promise<Result<RecipientTold>> {
  if (!await findMember(ctx.db, by.platform, by.userId)) {
    return err('Only committee members can record a recipient as told; nothing was changed. Ask a chair to add you with /gov members add.');
  }
  const result = await ctx.db.transaction(async (trx): Promise<Result<RecipientTold>> => {
    const request = await lockRequest(trx, input.requestId) as RequestRow | undefined;
    const processor = request ? await findProcessorById(trx, input.processorId) : null;
    if (!request || !processor) return err('That button names a request or a provider govbot does not have (the card may be from another installation); nothing was changed.');
    return markTold(trx, ctx, by, request, processor);
  });
  if (result.ok && !result.value.already) ctx.kickJob('deliver-outbox');
  return result;
}

/** Reply text for a recorded (or already recorded) notice. */
export function recipientToldText(told: RecipientTold): string {
  return told.already
    ? `${userText(told.processor)} was already recorded as told for ${told.reference}; nothing changed.`
    : `Recorded ${userText(told.processor)} as told of the change for ${told.reference}.`;
}

async function markTold(trx: Knex.Transaction, ctx: ServiceContext, by: Actor, request: RequestRow, processor: ProcessorRow): Promise<Result<RecipientTold>> {
  const now = ctx.clock();
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
  return ok({ reference: request.reference, processor: processor.name, already: !marked });
}
