import { err, ok, type Result } from '../domain/result.js';
import { transition } from '../domain/request-states.js';
import type { Actor } from '../chat/actor.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { insertProposal, openProposalOfKind, type ProposalRow } from '../register/proposals.js';
import { refreshRequestCard } from './card-messages.js';
import { clockEnv } from './request-clock.js';
import type { ServiceContext } from './context.js';
import { lockOpenRequest } from './request-changes.js';

/** The only grounds on which a request may be refused (UK GDPR Art 12(5)). */
export type RefusalGrounds = 'unfounded' | 'excessive';
export const REFUSAL_GROUNDS: readonly RefusalGrounds[] = ['unfounded', 'excessive'];

export interface RefusalInput {
  readonly reference: string;
  readonly grounds: RefusalGrounds;
  readonly reason: string;
}

/**
 * Asks the committee (APPROVAL_QUORUM) to refuse a manifestly unfounded or excessive request.
 * Refusal closes the individual's request, so it needs the same quorum as an erasure; it is only
 * possible before an action is approved (see request-states).
 */
export async function proposeRefusal(ctx: ServiceContext, by: Actor, input: RefusalInput): Promise<Result<ProposalRow>> {
  const now = ctx.clock();
  return ctx.db.transaction(async (trx): Promise<Result<ProposalRow>> => {
    const found = await lockOpenRequest(trx, input.reference);
    if (!found.ok) return found;
    const request = found.value;
    const allowed = transition(request.status, 'refusal-approved');
    if (!allowed.ok) return allowed;
    if (await openProposalOfKind(trx, request.id, 'refusal')) {
      return err(`A refusal of ${request.reference} is already awaiting the committee; vote on its card.`);
    }
    const proposal = await insertProposal(trx, {
      kind: 'refusal', request_id: request.id, quorum: ctx.config.approvalQuorum,
      proposed_by: by.key, requested_by: by.key,
      summary: {
        reference: request.reference, heading: 'Proposed refusal', buttonNoun: 'refusal',
        description: `Refuse the request as manifestly ${input.grounds}: ${input.reason}. The individual must be told why, and of their right to complain to the ICO.`,
        grounds: input.grounds, reason: input.reason, proposedAt: now.toISOString(),
      },
    });
    await appendAuditEvent(trx, {
      actor: by.key, action: 'refusal.proposed', subject: request.reference, occurredAt: now,
      facts: { proposal_id: proposal.id, quorum: proposal.quorum, grounds: input.grounds },
    });
    await refreshRequestCard(trx, request.id, clockEnv(ctx.config, now));
    return ok(proposal);
  });
}
