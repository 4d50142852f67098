import { err, ok, type Result } from '../domain/result.js';
import type { Actor } from '../chat/actor.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { openPause, type PauseKind } from '../register/pauses.js';
import { markIdentityEvidence, type RequestRow } from '../register/requests.js';
import { refreshRequestCard } from './card-messages.js';
import type { ServiceContext } from './context.js';
import { committeeToday, lockOpenRequest } from './request-changes.js';

export const PAUSE_KINDS: Readonly<Record<PauseKind, string>> = {
  identity: 'identity evidence',
  authority: "the agent's proof of authority",
  clarification: 'clarification',
  fee: 'a fee',
};

export interface PauseInput {
  readonly reference: string;
  readonly kind: PauseKind;
  readonly note: string | null;
}

/**
 * Stops the statutory clock from today while the committee waits for information (Art 12A). The due
 * date does not move yet: the paused days are only known, and added, when the clock restarts.
 */
export async function pauseRequest(ctx: ServiceContext, by: Actor, input: PauseInput): Promise<Result<RequestRow>> {
  const now = ctx.clock();
  const today = committeeToday(ctx, now);
  return ctx.db.transaction(async (trx): Promise<Result<RequestRow>> => {
    const found = await lockOpenRequest(trx, input.reference);
    if (!found.ok) return found;
    const request = found.value;
    const waitsForIdentity = input.kind === 'identity' || input.kind === 'authority';
    if (waitsForIdentity && request.status !== 'received') {
      // Once the committee has accepted identity (and authority with it) there is nothing left to ask for.
      return err(`${request.reference} has its identity check decided already, so the clock cannot stop for ${PAUSE_KINDS[input.kind]}; pause for clarification or a fee instead.`);
    }
    const opened = await openPause(trx, { request_id: request.id, kind: input.kind, note: input.note, paused_on: today, paused_by: by.key });
    if (!opened) return err(`The clock of ${request.reference} is already paused; resume it with /dsr resume ${request.reference} when the information arrives.`);
    if (waitsForIdentity) await markIdentityEvidence(trx, request.id, 'pending', 'evidence-requested');
    await appendAuditEvent(trx, {
      actor: by.key, action: 'request.paused', subject: request.reference, occurredAt: now,
      // The note is free text that may name the individual: it stays on the pause row, not in the chain.
      facts: { kind: input.kind, paused_on: today, note_given: input.note !== null },
    });
    await refreshRequestCard(trx, request.id);
    return ok(request);
  });
}
