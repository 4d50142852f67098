import { extensionRefused } from '../domain/request-clock.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Actor } from '../chat/actor.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { insertProposal, openProposalOfKind, type ProposalRow } from '../register/proposals.js';
import { refreshRequestCard } from './card-messages.js';
import type { ServiceContext } from './context.js';
import { clockEnv, loadClock } from './request-clock.js';
import { lockOpenRequest } from './request-changes.js';

export interface ExtensionInput {
  readonly reference: string;
  /** Why the request is complex or numerous: told to the individual, so it is kept verbatim. */
  readonly reason: string;
}

/**
 * Asks the committee (APPROVAL_QUORUM) to extend the deadline by two further months. Only within
 * the first period (a stop for clarification moves its end; an open one counts up to today), once
 * per request, and one proposal at a time; the due date moves on approval (extensionDecision).
 */
export async function proposeExtension(ctx: ServiceContext, by: Actor, input: ExtensionInput): Promise<Result<ProposalRow & { extendedDueOn: string }>> {
  const now = ctx.clock();
  const env = clockEnv(ctx.config, now);
  return ctx.db.transaction(async (trx): Promise<Result<ProposalRow & { extendedDueOn: string }>> => {
    const found = await lockOpenRequest(trx, input.reference);
    if (!found.ok) return found;
    const request = found.value;
    if (await openProposalOfKind(trx, request.id, 'extension')) {
      return err(`An extension of ${request.reference} is already awaiting the committee; vote on its card.`);
    }
    const clock = await loadClock(trx, request, env);
    const refused = extensionRefused(clock, env.today);
    if (refused !== null) return err(`${request.reference}: ${refused}.`);
    const extendedDue = clock.extendedDue ?? '';
    const proposal = await insertProposal(trx, {
      kind: 'extension', request_id: request.id, quorum: ctx.config.approvalQuorum,
      proposed_by: by.key, requested_by: by.key,
      summary: {
        reference: request.reference, heading: 'Proposed extension', buttonNoun: 'extension',
        description: `Extend the deadline by up to two months, to ${extendedDue}, because: ${input.reason}. Valid only if the individual is told, with the reasons, by ${clock.firstPeriodEnd ?? ''} (the end of the first period).`,
        reason: input.reason, extendedDueOn: extendedDue, proposedAt: now.toISOString(),
      },
    });
    await appendAuditEvent(trx, {
      actor: by.key, action: 'extension.proposed', subject: request.reference, occurredAt: now,
      facts: { proposal_id: proposal.id, quorum: proposal.quorum, extended_due_on: extendedDue },
    });
    await refreshRequestCard(trx, request.id, env);
    return ok({ ...proposal, extendedDueOn: extendedDue });
  });
}
