/**
 * The committee's voting rules (DESIGN §3 "Votes", CONTRACT §5). Pure: the caller loads the
 * proposal and its votes inside a transaction, asks `castVote`, and stores the vote and the new
 * status together; the unique (proposal, member) key in the register is the real guard against
 * a double click racing itself, this function is the explanation the clicker gets.
 */

export type ProposalKind = 'identity' | 'action' | 'extension' | 'refusal' | 'purge' | 'withdrawal';
export type ProposalStatus = 'open' | 'approved' | 'rejected' | 'superseded' | 'cancelled';
export type Decision = 'approve' | 'reject';
export type Outcome = 'pending' | 'approved' | 'rejected';

export interface Vote {
  readonly memberId: string;
  readonly decision: Decision;
}

export interface Proposal {
  readonly status: ProposalStatus;
  /** Distinct approvals needed (IDENTITY_QUORUM, APPROVAL_QUORUM or 1, see request-types). */
  readonly quorum: number;
  /** Who asked for the action, when a person did (null for the scheduled purge sweep). */
  readonly requestedBy: string | null;
}

export interface VoteInput {
  readonly proposal: Proposal;
  readonly votes: readonly Vote[];
  readonly voter: { readonly memberId: string; readonly isMember: boolean };
  readonly decision: Decision;
  readonly reason?: string;
}

export type VoteRefusal = 'not-member' | 'self-approval' | 'already-voted' | 'decided' | 'reason-required';

export interface Tally {
  readonly outcome: Outcome;
  /** Member ids, in voting order, each once. */
  readonly approvals: readonly string[];
  readonly rejections: readonly string[];
  /** Approvals needed in total (the quorum): render as `${approvals.length} of ${needed} approvals`. */
  readonly needed: number;
  /** Approvals still missing; 0 once approved. */
  readonly remaining: number;
  /** "1 of 2 approvals". */
  readonly summary: string;
}

export type VoteResult = ({ ok: true } & Tally) | { ok: false; code: VoteRefusal; message: string };

const DECIDED_MESSAGES: Readonly<Record<Exclude<ProposalStatus, 'open'>, string>> = {
  approved: 'This has already been approved, so votes no longer change it.',
  rejected: 'This has already been rejected, so votes no longer change it. Make a new proposal if it should be reconsidered.',
  superseded: 'This proposal was replaced by a newer one; vote on the latest card instead.',
  cancelled: 'This proposal was cancelled, so there is nothing to vote on.',
};

/** Counts votes: each member once (their first vote), any rejection decides. */
export function tally(votes: readonly Vote[], quorum: number): Tally {
  if (!Number.isInteger(quorum) || quorum < 1) throw new RangeError(`quorum must be a whole number of at least 1, got ${quorum}`);
  const seen = new Set<string>();
  const approvals: string[] = [];
  const rejections: string[] = [];
  for (const vote of votes) {
    if (seen.has(vote.memberId)) continue;
    seen.add(vote.memberId);
    (vote.decision === 'approve' ? approvals : rejections).push(vote.memberId);
  }
  const outcome: Outcome = rejections.length > 0 ? 'rejected' : approvals.length >= quorum ? 'approved' : 'pending';
  const remaining = outcome === 'approved' ? 0 : quorum - approvals.length;
  const summary = `${approvals.length} of ${quorum} approval${quorum === 1 ? '' : 's'}`;
  return { outcome, approvals, rejections, needed: quorum, remaining, summary };
}

/**
 * Checks one vote against the rules and returns the tally it leads to. Checks run in this order:
 * membership; a repeat vote ('already-voted', which callers treat as harmless, so that a retried
 * delivery of the deciding click does not read as an error); a decided proposal; self-approval;
 * a rejection without a reason.
 *
 * Self-rejection is allowed: the rule exists so nobody can push through an action they asked for,
 * and rejecting one's own proposal only stops it (it still needs a reason, which is recorded).
 */
export function castVote(input: VoteInput): VoteResult {
  const { proposal, votes, voter, decision } = input;
  const refuse = (code: VoteRefusal, message: string): VoteResult => ({ ok: false, code, message });
  if (!voter.isMember) {
    return refuse('not-member', 'Only committee members can vote. Ask a chair to add you with /gov members add.');
  }
  const previous = votes.find((v) => v.memberId === voter.memberId);
  if (previous) {
    return refuse('already-voted', `You already voted to ${previous.decision}; each member votes once, so your vote stands as it was.`);
  }
  if (proposal.status !== 'open') return refuse('decided', DECIDED_MESSAGES[proposal.status]);
  if (decision === 'approve' && proposal.requestedBy !== null && proposal.requestedBy === voter.memberId) {
    return refuse('self-approval', 'You asked for this, so you cannot approve it: another committee member must.');
  }
  const reason = input.reason?.trim() ?? '';
  if (decision === 'reject' && reason === '') {
    return refuse('reason-required', 'A rejection needs a reason, because one rejection decides the proposal. Reject again and say why (for example "identity document has expired").');
  }
  return { ok: true, ...tally([...votes, { memberId: voter.memberId, decision }], proposal.quorum) };
}

