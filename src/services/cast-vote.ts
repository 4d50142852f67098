import { castVote as checkVote, type Decision } from '../domain/approvals.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Actor } from '../chat/actor.js';
import { appendAuditEvent } from '../register/audit-events.js';
import type { Knex } from 'knex';
import { findMemberAmong } from '../register/committee.js';
import { identitiesOf, personOf, personsOf } from '../register/persons.js';
import { insertVote, lockProposal, votesFor, type ProposalRow } from '../register/proposals.js';
import type { ServiceContext } from './context.js';
import { DECISION_HANDLERS } from './decisions/index.js';

export interface VoteInput {
  readonly proposalId: number;
  readonly decision: Decision;
  readonly reason?: string;
}

export interface VoteOutcome {
  /** What to tell the person who clicked. */
  readonly message: string;
  readonly outcome: 'pending' | 'approved' | 'rejected';
}

/**
 * One click on an Approve or Reject button. The proposal row is locked for the transaction, so
 * concurrent clicks are counted one after another and quorum is reached exactly once; the unique
 * (proposal, member) key makes a retried delivery of the same click count once.
 */
export async function castVote(ctx: ServiceContext, by: Actor, input: VoteInput): Promise<Result<VoteOutcome>> {
  const now = ctx.clock();
  const jobs: string[] = [];
  const result = await ctx.db.transaction(async (trx): Promise<Result<VoteOutcome>> => {
    const proposal = await lockProposal(trx, input.proposalId);
    if (!proposal) return err('That proposal does not exist (the card may be from another installation).');
    // People, not platform identities: a person linked across Slack and Teams is one member, votes
    // once, and cannot approve from one what they asked for on the other.
    const voter = await voterOf(trx, by.key);
    const member = await findMemberAmong(trx, voter.identities);
    const rows = await votesFor(trx, [proposal.id]);
    const persons = await personsOf(trx, rows.map((v) => v.member));
    const votes = rows.map((v) => ({ memberId: persons.get(v.member)!, decision: v.decision }));
    const verdict = checkVote({
      proposal: { status: proposal.status, quorum: proposal.quorum, requestedBy: await requesterPerson(trx, proposal, voter) },
      votes,
      voter: { memberId: voter.person, isMember: member !== null },
      decision: input.decision,
      ...(input.reason === undefined ? {} : { reason: input.reason }),
    });
    if (!verdict.ok) return err(verdict.message);
    const reason = input.reason?.trim() || null;
    if (!await insertVote(trx, { proposal_id: proposal.id, member: by.key, decision: input.decision, reason }, now)) {
      return err('Your vote was already counted.');
    }
    await appendAuditEvent(trx, {
      actor: by.key, action: `vote.${input.decision}`, subject: subjectOf(proposal), occurredAt: now,
      facts: { proposal_id: proposal.id, kind: proposal.kind, tally: verdict.summary },
    });
    const handler = DECISION_HANDLERS[proposal.kind];
    const effect = await handler(trx, ctx, { proposal, outcome: verdict.outcome, reason, by, now });
    jobs.push(...effect.kickJobs);
    const message = verdict.outcome === 'pending'
      ? `Your vote is counted: ${verdict.summary}, ${verdict.remaining} more needed.`
      : `Your vote decided it: ${effect.decidedMessage}`;
    return ok({ message, outcome: verdict.outcome });
  });
  // A counted vote changed a card: deliver it now rather than at the next tick.
  if (result.ok) jobs.push('deliver-outbox');
  for (const job of jobs) ctx.kickJob(job);
  return result;
}

async function voterOf(trx: Knex.Transaction, key: string): Promise<{ person: string; identities: string[] }> {
  return { person: await personOf(trx, key), identities: await identitiesOf(trx, key) };
}

/**
 * The requester as a person: the voter's own person when any identity the requester had when the
 * proposal was made, or has now, is one of the voter's.
 */
async function requesterPerson(trx: Knex.Transaction, proposal: ProposalRow, voter: { person: string; identities: string[] }): Promise<string | null> {
  if (proposal.requested_by === null) return null;
  const requester = new Set([...(proposal.requester_identities ?? []), ...await identitiesOf(trx, proposal.requested_by)]);
  return voter.identities.some((identity) => requester.has(identity)) ? voter.person : personOf(trx, proposal.requested_by);
}

function subjectOf(proposal: { kind: string; id: number; summary: Record<string, unknown> }): string {
  return String(proposal.summary.reference ?? `proposal ${proposal.id}`);
}
