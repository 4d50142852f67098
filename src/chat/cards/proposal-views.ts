import type { Decision, ProposalKind, ProposalStatus } from '../../domain/approvals.js';

/** A proposal and its votes as the request and purge cards show them (the register's rows have more). */
export interface ProposalFacts {
  readonly id: number;
  readonly kind: ProposalKind;
  readonly quorum: number;
  readonly status: ProposalStatus;
  readonly requested_by: string | null;
  /** Heading, description and button noun as proposed. */
  readonly summary: Record<string, unknown>;
  readonly decision_reason: string | null;
}

export interface VoteFacts {
  readonly proposal_id: number;
  readonly member: string;
  readonly decision: Decision;
}
