import { err, ok, type Result } from '../domain/result.js';
import { transition, type RequestStatus } from '../domain/request-states.js';
import type { Actor } from '../chat/actor.js';
import { appendAuditEvent } from '../register/audit-events.js';
import type { Knex } from 'knex';
import { pausesFor } from '../register/pauses.js';
import { cancelOpenProposals, insertProposal, openProposalOfKind } from '../register/proposals.js';
import type { RequestRow } from '../register/requests.js';
import { refreshRequestCard } from './card-messages.js';
import type { ServiceContext } from './context.js';
import { move } from './decisions/request-decisions.js';
import { clockEnv, type ClockEnv } from './request-clock.js';
import { lockOpenRequestWithProposals } from './request-changes.js';

export type CloseOutcome = 'completed' | 'withdrawn';
export const CLOSE_OUTCOMES: readonly CloseOutcome[] = ['completed', 'withdrawn'];

export interface CloseInput {
  readonly reference: string;
  readonly outcome: CloseOutcome;
  readonly note: string | null;
}

export interface Closed {
  readonly reference: string;
  readonly status: RequestStatus;
  readonly cancelledProposals: readonly number[];
  /** Set when withdrawal needs the committee: the approvals it needs. */
  readonly withdrawalProposed?: { readonly quorum: number };
}

/**
 * Closes a request by hand: withdrawn by the individual at any open stage, or completed once the
 * identity is verified (request-states). Whatever was still awaiting a vote is cancelled in the same
 * transaction, so no card keeps buttons for a closed request.
 */
export async function closeRequest(ctx: ServiceContext, by: Actor, input: CloseInput): Promise<Result<Closed>> {
  const now = ctx.clock();
  const env = clockEnv(ctx.config, now);
  return ctx.db.transaction(async (trx): Promise<Result<Closed>> => {
    const found = await lockOpenRequestWithProposals(trx, input.reference);
    if (!found.ok) return found;
    const request = found.value;
    const event = input.outcome === 'completed' ? 'closed-completed' : 'withdrawn';
    const allowed = transition(request.status, event);
    if (!allowed.ok) {
      return err(input.outcome === 'completed' && request.status === 'received'
        ? `${request.reference} cannot be closed as completed before its identity is verified: approve the identity on its card first, or close it as withdrawn.`
        : allowed.error);
    }
    // An approved action was a quorum decision: one member cannot undo it alone. Withdrawing it
    // becomes a proposal needing the quorum that approved it (1 lets the member withdraw at once).
    if (input.outcome === 'withdrawn' && request.status === 'action-approved') {
      const proposed = await proposeWithdrawal(trx, request, by, input.note, now, env);
      if (proposed) return ok({ reference: request.reference, status: request.status, cancelledProposals: [], withdrawalProposed: { quorum: proposed.quorum } });
    }
    // Whatever was still awaited stays unanswered in the history: it did not arrive, so it must not
    // start the clock afresh (the closed clock reads "closed before the clock started").
    const pause = (await pausesFor(trx, request.id)).find((p) => p.resumed_on === null) ?? null;
    const cancelled = await cancelOpenProposals(trx, request.id, `request closed as ${input.outcome}`, now);
    const fromStatus = request.status;
    const closed = await move(trx, request, event, now, env, { status_reason: input.note ?? `closed as ${input.outcome}` });
    await appendAuditEvent(trx, {
      actor: by.key, action: 'request.closed', subject: request.reference, occurredAt: now,
      facts: { outcome: input.outcome, from_status: fromStatus, cancelled_proposal_ids: cancelled, awaiting_when_closed: pause?.kind ?? null, note_given: input.note !== null },
    });
    await refreshRequestCard(trx, request.id, env);
    return ok({ reference: request.reference, status: closed.status, cancelledProposals: cancelled });
  });
}

/** A withdrawal proposal when the approved action needed more than one approval; null otherwise. */
async function proposeWithdrawal(trx: Knex.Transaction, request: RequestRow, by: Actor, note: string | null, now: Date, env: ClockEnv): Promise<{ quorum: number } | null> {
  const approved = await trx('proposals').where({ request_id: request.id, kind: 'action', status: 'approved' }).orderBy('id', 'desc').first<{ quorum: number } | undefined>('quorum');
  const quorum = approved?.quorum ?? 1;
  if (quorum <= 1) return null;
  const open = await openProposalOfKind(trx, request.id, 'withdrawal');
  if (open) return { quorum: open.quorum };
  const proposal = await insertProposal(trx, {
    kind: 'withdrawal', request_id: request.id, proposed_by: by.key, requested_by: by.key, quorum,
    summary: { reference: request.reference, heading: 'Proposed withdrawal', buttonNoun: 'withdrawal', description: 'The approved action would not run and the request would close as withdrawn.', note: note ?? 'withdrawn', proposedAt: now.toISOString() },
  });
  await appendAuditEvent(trx, { actor: by.key, action: 'withdrawal.proposed', subject: request.reference, occurredAt: now, facts: { proposal_id: proposal.id, quorum } });
  await refreshRequestCard(trx, request.id, env);
  return { quorum };
}
