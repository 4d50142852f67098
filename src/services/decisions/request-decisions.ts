import type { Knex } from 'knex';
import { approvalsNeeded } from '../../domain/request-types.js';
import { isOpen, transition, type RequestEvent } from '../../domain/request-states.js';
import { extensionRefused } from '../../domain/request-clock.js';
import { appendAuditEvent, deferAuditEvent, deferWrite } from '../../register/audit-events.js';
import { queueAction } from '../../register/actions.js';
import { cancelOpenProposals, insertProposal, insertProposalSql, sendStatements, type NewProposal, type ProposalRow } from '../../register/proposals.js';
import { decideIdentityCheckSql, updateRequest, updateRequestStatusSql, type RequestRow } from '../../register/requests.js';
import { refreshRequestCardAtFlush } from '../card-messages.js';
import type { ServiceContext } from '../context.js';
import { heldContactIds } from '../../register/subject-data.js';
import { actionPlanFor, matchedContactIds, objectionToOther } from '../log-request.js';
import { owe } from '../notices-owed.js';
import { oweRestrictionLift } from '../objection-restriction.js';
import { clockColumns, clockEnv, clockOf, loadClock, syncClock, type ClockEnv, type ClockHistory } from '../request-clock.js';
import type { DecisionEffect, DecisionHandler, DecisionInput } from './handler.js';

const none: readonly string[] = [];

/** `writesFirst`: statements (values written in) sent with the card's read, before it: one round trip for both. */
type Applied = DecisionEffect & { readonly writesFirst?: readonly string[] };
type Apply = (trx: Knex.Transaction, ctx: ServiceContext, request: RequestRow, input: DecisionInput, env: ClockEnv) => Promise<Applied>;

/**
 * Shared shape: a pending vote is written with its card's read. A decision is audited, then
 * `apply`: the vote and the proposal's decision are sent first, on their own, since `apply` may
 * read or change the request's proposals; when `withCard` says the outcome's `apply` only writes
 * what its `writesFirst` hold, they are sent with those instead, in the card's one round trip.
 * The request was locked by the vote.
 */
function requestDecision(apply: Apply, withCard: (input: DecisionInput) => boolean = () => false): DecisionHandler {
  return async (trx, ctx, input) => {
    const request = input.request;
    if (!request) throw new Error(`proposal ${input.proposal.id} names no request`);
    const env = clockEnv(ctx.config, input.now);
    if (input.outcome === 'pending') {
      return { decidedMessage: '', kickJobs: none, card: await refreshRequestCardAtFlush(trx, request.id, env, [input.voteWrite]) };
    }
    // Appended with the vote's own event at the end of the transaction (cast-vote.ts commits them).
    deferAuditEvent(trx, {
      actor: input.by.key, action: `proposal.${input.outcome}`, subject: request.reference, occurredAt: input.now,
      facts: { proposal_id: input.proposal.id, kind: input.proposal.kind },
    });
    const voteWithCard = withCard(input);
    if (!voteWithCard) await sendStatements(trx, [input.voteWrite]);
    const { writesFirst = [], ...effect } = await apply(trx, ctx, request, input, env);
    const card = await refreshRequestCardAtFlush(trx, request.id, env, voteWithCard ? [input.voteWrite, ...writesFirst] : writesFirst);
    return { ...effect, card };
  };
}

/** What the individual is owed a notice of when a request reaches each closed status (Art 12(3)–(4)). */
const NOTICE_ON_CLOSE: Partial<Record<RequestRow['status'], string>> = {
  completed: 'outcome', refused: 'refusal', 'identity-rejected': 'identity-rejected',
};

/**
 * `history`: the request's waits and notices as already read under its lock. An open request's
 * move then writes its status and its clock in one statement; a closing one owes notices and
 * cancels proposals first, so its clock is read again after them.
 */
export async function move(trx: Knex.Transaction, request: RequestRow, event: RequestEvent, at: Date, env: ClockEnv, patch: Partial<RequestRow> = {}, history?: ClockHistory): Promise<RequestRow> {
  const next = transition(request.status, event);
  if (!next.ok) throw new Error(`${request.reference}: ${next.error}`);
  if (history && isOpen(next.value)) {
    const moved = movedOpen(request, event, env, history, patch);
    return updateRequest(trx, request.id, { ...patch, status: moved.status, due_on: moved.due_on, relevant_on: moved.relevant_on, paused_days: moved.paused_days });
  }
  // A closed request has nothing left to vote on: its other open proposals lapse with it.
  if (!isOpen(next.value)) await cancelOpenProposals(trx, request.id, `request ${next.value}`, at);
  const notice = NOTICE_ON_CLOSE[next.value];
  // Owed before the status changes, so it is due by the clock of the open request. The controller
  // answers a processor-route request, so the company owes its individual nothing there.
  if (notice !== undefined && request.controller === null) await owe(trx, request, notice, env, at);
  // An objection closed without being upheld (withdrawn, refused, identity not confirmed, or closed
  // after a rejection) leaves a restriction that goes once the individual is told (Art 18(3)).
  if (!isOpen(next.value) && event !== 'action-executed' && objectionToOther(request)) await oweRestrictionLift(trx, request, env, at);
  const moved = await updateRequest(trx, request.id, { ...patch, status: next.value, ...(isOpen(next.value) ? {} : { closed_at: at }) });
  return (await syncClock(trx, moved, env)).request;
}

/**
 * The request as `move` leaves it when it stays open, from its waits and notices already read
 * under its lock: its status and its clock's copy, nothing written. Pure.
 */
export function movedOpen(request: RequestRow, event: RequestEvent, env: ClockEnv, history: ClockHistory, patch: Partial<RequestRow> = {}): RequestRow {
  const next = transition(request.status, event);
  if (!next.ok) throw new Error(`${request.reference}: ${next.error}`);
  if (!isOpen(next.value)) throw new Error(`${request.reference}: ${event} closes it; move() owes its notices first`);
  const values = { ...request, ...patch, status: next.value };
  return { ...values, ...clockColumns(clockOf(values, history.pauses, history.notices, env)) };
}

/**
 * `correctedBy`: the member who entered a rectification's corrections. They asked for those values,
 * so they count as its requester, beside whoever logged the request; `description` then shows the
 * change itself (old → new, masked).
 */
export async function proposeAction(trx: Knex.Transaction, ctx: ServiceContext, request: RequestRow, at: Date, corrected?: { by: string; description: string }): Promise<ProposalRow> {
  return insertProposal(trx, await actionProposal(trx, ctx, request, at, corrected));
}

/** The proposal proposeAction inserts. */
async function actionProposal(trx: Knex.Transaction, ctx: ServiceContext, request: RequestRow, at: Date, corrected?: { by: string; description: string }): Promise<NewProposal> {
  const plan = actionPlanFor(request, await heldContactIds(trx, matchedContactIds(request)));
  const needsCorrections = plan.kind === 'rectify' && Object.keys((plan.params.corrections as object | undefined) ?? {}).length === 0;
  return {
    kind: 'action', request_id: request.id, proposed_by: 'govbot',
    requested_by: corrected?.by ?? request.requested_by, also_requested_by: corrected ? request.requested_by : null,
    quorum: request.controller ? 1 : approvalsNeeded(request.type, ctx.config.approvalQuorum, objectionToOther(request)),
    summary: { reference: request.reference, heading: request.controller ? `Forward to ${request.controller}` : `Proposed ${plan.buttonNoun}`, buttonNoun: plan.buttonNoun, description: corrected?.description ?? plan.description, kind: plan.kind, needsCorrections, proposedAt: at.toISOString() },
  };
}

export const identityDecision = requestDecision(async (trx, ctx, request, input, env) => {
  // Nothing in the vote reads the check again: written with the vote's audit events.
  deferWrite(trx, decideIdentityCheckSql(request.id, input.outcome === 'approved' ? 'approved' : 'rejected', input.now, input.reason));
  if (input.outcome === 'rejected') {
    await move(trx, request, 'identity-rejected', input.now, env, { status_reason: input.reason });
    return { decidedMessage: `identity rejected; ${request.reference} is closed. Tell the individual why, and of their right to complain to the ICO, then /dsr told ${request.reference} identity-rejected.`, kickJobs: none };
  }
  // The request's new status and clock, and the action's proposal, are written with the vote and
  // the card's read (the card shows them): one round trip.
  const verified = movedOpen(request, 'identity-approved', env, input.history);
  const proposal = insertProposalSql(await actionProposal(trx, ctx, verified, input.now));
  return {
    decidedMessage: `identity approved; the proposed action for ${request.reference} now awaits the committee.`, kickJobs: none,
    writesFirst: [updateRequestStatusSql(request.id, verified), proposal],
  };
}, (input) => input.outcome === 'approved');

export const actionDecision = requestDecision(async (trx, _ctx, request, input, env) => {
  if (input.outcome === 'rejected' && objectionToOther(request)) {
    const lift = await oweRestrictionLift(trx, request, env, input.now);
    const telling = lift
      ? `Tell the individual these grounds, their right to complain to the ICO and to a judicial remedy (Art 12(4)), and that the restriction of processing will be lifted; record it with /dsr told ${request.reference} restriction-lift, which lifts it (until then it stays, Art 18(3)). Then close with /dsr close ${request.reference} completed.`
      : `Tell the individual these grounds and their right to complain to the ICO and to a judicial remedy (Art 12(4)), then close with /dsr close ${request.reference} completed. No register record was restricted, so there is nothing to lift.`;
    await updateRequest(trx, request.id, { status_reason: `Objection not upheld: compelling legitimate grounds (${input.reason}). ${telling}` });
    return { decidedMessage: `objection not upheld; tell the individual the grounds${lift ? ` and that the restriction will be lifted (/dsr told ${request.reference} restriction-lift)` : ''}, then close ${request.reference}.`, kickJobs: none };
  }
  if (input.outcome === 'rejected') {
    await updateRequest(trx, request.id, { status_reason: `Proposed action rejected: ${input.reason}. Refuse with /dsr refuse ${request.reference} <unfounded|excessive> <reason>, or close with /dsr close ${request.reference} <completed|withdrawn> [note].` });
    return { decidedMessage: `action rejected; ${request.reference} stays open for the committee to decide what next.`, kickJobs: none };
  }
  const plan = actionPlanFor(request);
  await queueAction(trx, { proposal_id: input.proposal.id, request_id: request.id, kind: plan.kind, params: plan.params });
  await move(trx, request, request.controller !== null ? 'forward-approved' : 'action-approved', input.now, env, {}, input.history);
  return { decidedMessage: `approved; govbot is carrying it out now and will update the card.`, kickJobs: ['execute-actions'] };
});

export const extensionDecision = requestDecision(async (trx, _ctx, request, input, env) => {
  if (input.outcome === 'rejected') return { decidedMessage: `extension rejected; the due date stays ${request.due_on ?? 'as it was'}.`, kickJobs: none };
  // The extension must be decided, and told, within the first period (Art 12(3)); approval after it is too late.
  const allowed = extensionRefused(await loadClock(trx, request, env), env.today);
  if (allowed !== null || !isOpen(request.status)) {
    const why = allowed ?? 'the request is closed';
    await trx('proposals').where({ id: input.proposal.id }).update({ status: 'cancelled', decision_reason: why });
    return { decidedMessage: `the extension cannot take effect: ${why}. The due date stays ${request.due_on ?? 'as it was'}.`, kickJobs: none };
  }
  const extended = await updateRequest(trx, request.id, { extended: true, extension_reason: String(input.proposal.summary.reason ?? '') });
  const { clock } = await syncClock(trx, extended, env);
  await owe(trx, extended, 'extension', env, input.now);
  await appendAuditEvent(trx, { actor: input.by.key, action: 'request.extended', subject: request.reference, occurredAt: input.now, facts: { due_on: clock.extendedDue, notice_by: clock.firstPeriodEnd } });
  return { decidedMessage: `extension approved; ${request.reference} is due ${clock.extendedDue ?? ''} if the individual is told, with the reasons, by ${clock.firstPeriodEnd ?? ''} (the end of the first period): then /dsr told ${request.reference} extension.`, kickJobs: none };
});

/** A withdrawal after an approved action (close-request.ts): approved, the request is withdrawn. */
export const withdrawalDecision = requestDecision(async (trx, _ctx, request, input, env) => {
  if (input.outcome === 'rejected') return { decidedMessage: `withdrawal rejected; ${request.reference} goes on as approved.`, kickJobs: none };
  if (!isOpen(request.status)) return { decidedMessage: `${request.reference} is already ${request.status}; the withdrawal changes nothing.`, kickJobs: none };
  await move(trx, request, 'withdrawn', input.now, env, { status_reason: String(input.proposal.summary.note ?? 'withdrawn') });
  return { decidedMessage: `withdrawal approved; ${request.reference} is closed as withdrawn and its action will not run.`, kickJobs: none };
});

export const refusalDecision = requestDecision(async (trx, _ctx, request, input, env) => {
  if (input.outcome === 'rejected') return { decidedMessage: `refusal rejected; ${request.reference} goes on.`, kickJobs: none };
  const grounds = String(input.proposal.summary.grounds ?? '');
  await move(trx, request, 'refusal-approved', input.now, env, { status_reason: `refused as manifestly ${grounds}: ${String(input.proposal.summary.reason ?? '')}` });
  return { decidedMessage: `refusal approved; ${request.reference} is closed. Tell the individual why, and of their right to complain to the ICO and to a judicial remedy, then /dsr told ${request.reference} refusal.`, kickJobs: none };
});
