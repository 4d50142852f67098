import type { Knex } from 'knex';
import { approvalsNeeded } from '../../domain/request-types.js';
import { isOpen, transition, type RequestEvent } from '../../domain/request-states.js';
import { checkExtension, statutoryDueDate } from '../../domain/deadlines.js';
import { dateInTimeZone } from '../../domain/dates.js';
import { appendAuditEvent } from '../../register/audit-events.js';
import { queueAction } from '../../register/actions.js';
import { pausesFor } from '../../register/pauses.js';
import { cancelOpenProposals, decideProposal, insertProposal, type ProposalRow } from '../../register/proposals.js';
import { lockRequest, updateRequest, type RequestRow } from '../../register/requests.js';
import { refreshRequestCard } from '../card-messages.js';
import type { ServiceContext } from '../context.js';
import { heldContactIds } from '../../register/subject-data.js';
import { actionPlanFor, matchedContactIds, objectionToOther } from '../log-request.js';
import { closedPausedDays } from '../request-clock.js';
import type { DecisionEffect, DecisionHandler, DecisionInput } from './handler.js';

const none: readonly string[] = [];

/** Shared shape: pending votes refresh the card; a decision closes the proposal, then `apply`. */
function requestDecision(apply: (trx: Knex.Transaction, ctx: ServiceContext, request: RequestRow, input: DecisionInput) => Promise<DecisionEffect>): DecisionHandler {
  return async (trx, ctx, input) => {
    const request = await lockRequest(trx, input.proposal.request_id!);
    if (input.outcome === 'pending') {
      await refreshRequestCard(trx, request.id);
      return { decidedMessage: '', kickJobs: none };
    }
    await decideProposal(trx, input.proposal.id, input.outcome, input.reason, input.now);
    await appendAuditEvent(trx, {
      actor: input.by.key, action: `proposal.${input.outcome}`, subject: request.reference, occurredAt: input.now,
      facts: { proposal_id: input.proposal.id, kind: input.proposal.kind },
    });
    const effect = await apply(trx, ctx, request, input);
    await refreshRequestCard(trx, request.id);
    return effect;
  };
}

export async function move(trx: Knex.Transaction, request: RequestRow, event: RequestEvent, at: Date, patch: Partial<RequestRow> = {}): Promise<RequestRow> {
  const next = transition(request.status, event);
  if (!next.ok) throw new Error(`${request.reference}: ${next.error}`);
  // A closed request has nothing left to vote on: its other open proposals lapse with it.
  if (!isOpen(next.value)) await cancelOpenProposals(trx, request.id, `request ${next.value}`, at);
  return updateRequest(trx, request.id, { ...patch, status: next.value, ...(isOpen(next.value) ? {} : { closed_at: at }) });
}

export async function proposeAction(trx: Knex.Transaction, ctx: ServiceContext, request: RequestRow, at: Date): Promise<ProposalRow> {
  const plan = actionPlanFor(request, await heldContactIds(trx, matchedContactIds(request)));
  const needsCorrections = plan.kind === 'rectify' && Object.keys((plan.params.corrections as object | undefined) ?? {}).length === 0;
  return insertProposal(trx, {
    kind: 'action', request_id: request.id, proposed_by: 'govbot', requested_by: request.requested_by,
    quorum: request.controller ? 1 : approvalsNeeded(request.type, ctx.config.approvalQuorum, objectionToOther(request)),
    summary: { reference: request.reference, heading: `Proposed ${plan.buttonNoun}`, buttonNoun: plan.buttonNoun, description: plan.description, kind: plan.kind, needsCorrections, proposedAt: at.toISOString() },
  });
}

export const identityDecision = requestDecision(async (trx, ctx, request, input) => {
  await trx('identity_checks').where({ request_id: request.id }).update({ status: input.outcome === 'approved' ? 'approved' : 'rejected', decided_at: input.now, evidence_note: input.reason });
  if (input.outcome === 'rejected') {
    await move(trx, request, 'identity-rejected', input.now, { status_reason: input.reason });
    return { decidedMessage: `identity rejected; ${request.reference} is closed.`, kickJobs: none };
  }
  const verified = await move(trx, request, 'identity-approved', input.now);
  await proposeAction(trx, ctx, verified, input.now);
  return { decidedMessage: `identity approved; the proposed action for ${request.reference} now awaits the committee.`, kickJobs: none };
});

export const actionDecision = requestDecision(async (trx, _ctx, request, input) => {
  if (input.outcome === 'rejected' && objectionToOther(request)) {
    await updateRequest(trx, request.id, { status_reason: `Objection not upheld: compelling legitimate grounds (${input.reason}). Tell the individual these grounds and their right to complain to the ICO and to a judicial remedy (Art 12(4)), record it with /dsr told ${request.reference} outcome, then close with /dsr close ${request.reference} completed. Processing stays restricted until they are told (Art 18(3)).` });
    return { decidedMessage: `objection not upheld; tell the individual the grounds, then close ${request.reference}.`, kickJobs: none };
  }
  if (input.outcome === 'rejected') {
    await updateRequest(trx, request.id, { status_reason: `Proposed action rejected: ${input.reason}. Refuse with /dsr refuse, or close with /dsr close.` });
    return { decidedMessage: `action rejected; ${request.reference} stays open for the committee to decide what next.`, kickJobs: none };
  }
  const plan = actionPlanFor(request);
  await queueAction(trx, { proposal_id: input.proposal.id, request_id: request.id, kind: plan.kind, params: plan.params });
  await move(trx, request, 'action-approved', input.now);
  return { decidedMessage: `approved; govbot is carrying it out now and will update the card.`, kickJobs: ['execute-actions'] };
});

export const extensionDecision = requestDecision(async (trx, ctx, request, input) => {
  if (input.outcome === 'rejected') return { decidedMessage: `extension rejected; the due date stays ${request.due_on}.`, kickJobs: none };
  const pausedDays = closedPausedDays(await pausesFor(trx, request.id));
  // The extension must be decided within the first month (Art 12(3)); approval after it is too late.
  const inTime = checkExtension({ receivedOn: request.received_on, region: ctx.config.bankHolidayRegion, pausedDays }, dateInTimeZone(input.now, ctx.config.timezone));
  if (!inTime.ok || !isOpen(request.status)) {
    await trx('proposals').where({ id: input.proposal.id }).update({ status: 'cancelled', decision_reason: inTime.ok ? 'request closed' : inTime.error });
    return { decidedMessage: `the extension cannot take effect: ${inTime.ok ? 'the request is closed' : inTime.error}. The due date stays ${request.due_on}.`, kickJobs: none };
  }
  const due = statutoryDueDate({ receivedOn: request.received_on, region: ctx.config.bankHolidayRegion, pausedDays, extended: true });
  await updateRequest(trx, request.id, { extended: true, extension_reason: String(input.proposal.summary.reason ?? ''), due_on: due });
  await appendAuditEvent(trx, { actor: input.by.key, action: 'request.extended', subject: request.reference, occurredAt: input.now, facts: { due_on: due } });
  return { decidedMessage: `extension approved; ${request.reference} is now due ${due}. Tell the individual, with the reasons, within the first month.`, kickJobs: none };
});

export const refusalDecision = requestDecision(async (trx, _ctx, request, input) => {
  if (input.outcome === 'rejected') return { decidedMessage: `refusal rejected; ${request.reference} goes on.`, kickJobs: none };
  const grounds = String(input.proposal.summary.grounds ?? '');
  await move(trx, request, 'refusal-approved', input.now, { status_reason: `refused as manifestly ${grounds}: ${String(input.proposal.summary.reason ?? '')}` });
  return { decidedMessage: `refusal approved; ${request.reference} is closed. Tell the individual why, and of their right to complain to the ICO.`, kickJobs: none };
});
