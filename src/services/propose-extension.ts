import { checkExtension } from '../domain/deadlines.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Actor } from '../chat/actor.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { pausesFor } from '../register/pauses.js';
import { insertProposal, openProposalOfKind, type ProposalRow } from '../register/proposals.js';
import { refreshRequestCard } from './card-messages.js';
import type { ServiceContext } from './context.js';
import { closedPausedDays } from './request-clock.js';
import { committeeToday, lockOpenRequest } from './request-changes.js';

export interface ExtensionInput {
  readonly reference: string;
  /** Why the request is complex or numerous: told to the individual, so it is kept verbatim. */
  readonly reason: string;
}

/**
 * Asks the committee (APPROVAL_QUORUM) to extend the deadline by two further months. Only within
 * the first month, once per request, and one proposal at a time; the due date moves on approval
 * (extensionDecision), not here.
 */
export async function proposeExtension(ctx: ServiceContext, by: Actor, input: ExtensionInput): Promise<Result<ProposalRow & { extendedDueOn: string }>> {
  const now = ctx.clock();
  const today = committeeToday(ctx, now);
  return ctx.db.transaction(async (trx): Promise<Result<ProposalRow & { extendedDueOn: string }>> => {
    const found = await lockOpenRequest(trx, input.reference);
    if (!found.ok) return found;
    const request = found.value;
    if (request.extended) return err(`${request.reference} is already extended (due ${request.due_on}); the law allows one extension of up to two months.`);
    if (await openProposalOfKind(trx, request.id, 'extension')) {
      return err(`An extension of ${request.reference} is already awaiting the committee; vote on its card.`);
    }
    // An open pause is not counted yet, so the first month may end later than this says, never earlier.
    const pausedDays = closedPausedDays(await pausesFor(trx, request.id));
    const allowed = checkExtension({ receivedOn: request.received_on, region: ctx.config.bankHolidayRegion, pausedDays }, today);
    if (!allowed.ok) return allowed;
    const proposal = await insertProposal(trx, {
      kind: 'extension', request_id: request.id, quorum: ctx.config.approvalQuorum,
      proposed_by: by.key, requested_by: by.key,
      summary: {
        reference: request.reference, heading: 'Proposed extension', buttonNoun: 'extension',
        description: `Extend the deadline by two months, to ${allowed.value}, because: ${input.reason}. The individual must be told, with the reasons, by ${request.due_on}.`,
        reason: input.reason, extendedDueOn: allowed.value, proposedAt: now.toISOString(),
      },
    });
    await appendAuditEvent(trx, {
      actor: by.key, action: 'extension.proposed', subject: request.reference, occurredAt: now,
      facts: { proposal_id: proposal.id, quorum: proposal.quorum, extended_due_on: allowed.value },
    });
    await refreshRequestCard(trx, request.id);
    return ok({ ...proposal, extendedDueOn: allowed.value });
  });
}
