import { castVote as checkVote, type Decision } from '../domain/approvals.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Actor } from '../chat/actor.js';
import type { Card } from '../chat/card.js';
import { commitWithAuditEvents, deferAuditEvent } from '../register/audit-events.js';
import { isDuplicateVote, recordVoteSql, type ProposalRow } from '../register/proposals.js';
import { lockForVote, type CardPlace, type VoteContext } from '../register/vote-context.js';
import type { ServiceContext } from './context.js';
import { DECISION_HANDLERS } from './decisions/index.js';
import { turns } from './turns.js';

/**
 * Votes counted at once in one thread (a Teams card's clicks are counted as they are answered);
 * the rest wait their turn, first come first served (turns.ts says why). Measured on 2 cores, 500
 * votes on Teams cards from 50 clients, 99th percentile: 341-385 ms with as many at once as the
 * pool has connections (10), 308-317 ms with a pool of 5 or 3, 285-337 ms with 4 votes at once.
 */
export const VOTES_AT_ONCE = 4;
const voting = turns(VOTES_AT_ONCE);

export interface VoteInput {
  readonly proposalId: number;
  readonly decision: Decision;
  readonly reason?: string;
}

export interface VoteOutcome {
  /** What to tell the person who clicked. */
  readonly message: string;
  readonly outcome: 'pending' | 'approved' | 'rejected';
  /** A request's card as the vote left it, and where it was posted: what a Teams invoke answers with. */
  readonly card: { readonly card: Card; readonly postedIn: readonly CardPlace[] } | null;
}

/**
 * One click on an Approve or Reject button. The proposal row is locked for the transaction, so
 * concurrent clicks are counted one after another and quorum is reached exactly once; the unique
 * (proposal, member) key makes a retried delivery of the same click count once. The decision, its
 * card and its audit events are written in the vote's own transaction: a deciding vote (Teams,
 * Slack) is answered once its decision is committed, never before.
 *
 * `orAs`: the same person under another platform id (Teams: the Bot Framework id beside the Entra
 * one). The vote is cast as `orAs` when only that id is on the committee, as actorFor decides,
 * read with the vote's locks rather than in a round trip of its own.
 */
export async function castVote(ctx: ServiceContext, as: Actor, input: VoteInput, orAs: Actor | null = null): Promise<Result<VoteOutcome>> {
  const now = ctx.clock();
  const jobs: string[] = [];
  const result = await voting.run(() => ctx.db.transaction(async (trx): Promise<Result<VoteOutcome>> => {
    // The proposal's lock, its request's, and what the vote is checked against, in one round trip.
    // People, not platform identities: a person linked across Slack and Teams is one member, votes
    // once, and cannot approve from one what they asked for on the other. Read after the locks.
    const locked = await lockForVote(trx, input.proposalId, as.key, orAs?.key ?? null);
    if (!locked) return err('That proposal does not exist (the card may be from another installation).');
    const { proposal, context } = locked;
    const by = orAs !== null && context.voterKey === orAs.key ? orAs : as;
    const verdict = checkVote({
      proposal: { status: proposal.status, quorum: proposal.quorum, requestedBy: requesterPerson(proposal, context) },
      votes: context.votes.map((v) => ({ memberId: v.person, decision: v.decision })),
      voter: { memberId: context.voter.person, isMember: context.member !== null },
      decision: input.decision,
      ...(input.reason === undefined ? {} : { reason: input.reason }),
    });
    if (!verdict.ok) return err(verdict.message);
    const reason = input.reason?.trim() || null;
    // The vote and, when it decides, the proposal's decision: sent by the handler with its first
    // round trip, before anything that reads them.
    const decides = verdict.outcome === 'pending' ? null : verdict.outcome;
    const voteWrite = recordVoteSql({ proposal_id: proposal.id, member: by.key, decision: input.decision, reason }, now, decides);
    // Appended at the end, with whatever the decision records, so the audit chain's lock is taken
    // just before commit rather than held while the card is re-read and re-rendered.
    deferAuditEvent(trx, {
      actor: by.key, action: `vote.${input.decision}`, subject: subjectOf(proposal), occurredAt: now,
      facts: { proposal_id: proposal.id, kind: proposal.kind, tally: verdict.summary },
    });
    const decided = decides === null ? proposal : { ...proposal, status: decides, decision_reason: reason, decided_at: now };
    const handler = DECISION_HANDLERS[proposal.kind];
    const effect = await handler(trx, ctx, { proposal: decided, voteWrite, request: locked.request, history: locked.history, outcome: verdict.outcome, reason, by, now });
    // The writes, the audit events and COMMIT in one round trip: nothing is sent after it.
    await commitWithAuditEvents(trx);
    jobs.push(...effect.kickJobs);
    const message = verdict.outcome === 'pending'
      ? `Your vote is counted: ${verdict.summary}, ${verdict.remaining} more needed.`
      : `Your vote decided it: ${effect.decidedMessage}`;
    return ok({ message, outcome: verdict.outcome, card: effect.card ? { card: effect.card, postedIn: locked.cardPostedIn } : null });
  }).catch((error: unknown) => {
    // Checked under the lock, a member's second vote never gets this far; should one, the unique
    // key refused it and the transaction rolled back with nothing changed.
    if (isDuplicateVote(error)) return err('Your vote was already counted.');
    throw error;
  }));
  // A counted vote changed a card: deliver it now rather than at the next tick.
  if (result.ok) jobs.push('deliver-outbox');
  for (const job of jobs) ctx.kickJob(job);
  return result;
}

/**
 * The requester as a person: the voter's own person when any identity the requester had when the
 * proposal was made, or has now, is one of the voter's.
 */
function requesterPerson(proposal: ProposalRow, context: VoteContext): string | null {
  if (proposal.requested_by === null || context.requester === null) return null;
  const requester = new Set([...(proposal.requester_identities ?? []), ...context.requester.identities]);
  return context.voter.identities.some((identity) => requester.has(identity)) ? context.voter.person : context.requester.person;
}

function subjectOf(proposal: { kind: string; id: number; summary: Record<string, unknown> }): string {
  return String(proposal.summary.reference ?? `proposal ${proposal.id}`);
}
