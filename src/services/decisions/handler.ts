import type { Knex } from 'knex';
import type { Actor } from '../../chat/actor.js';
import type { Card } from '../../chat/card.js';
import type { PauseRow } from '../../register/pauses.js';
import type { ProposalRow } from '../../register/proposals.js';
import type { NoticeRow } from '../../register/request-notices.js';
import type { RequestRow } from '../../register/requests.js';
import type { ServiceContext } from '../context.js';

export interface DecisionInput {
  /** As decided (status, reason, time) when the vote decides: what `voteWrite` writes. */
  readonly proposal: ProposalRow;
  /**
   * The vote and, when it decides, the proposal's decision, as statements with their values written
   * in: the handler sends them first, with its first round trip (or on their own), before anything
   * that reads the votes or the proposal's status.
   */
  readonly voteWrite: string;
  /** The proposal's request, row-locked by the vote; null for a proposal of no request. */
  readonly request: RequestRow | null;
  /** The request's waits and notices as read under that lock, what its clock is computed from. */
  readonly history: { readonly pauses: readonly PauseRow[]; readonly notices: readonly NoticeRow[] };
  /** 'pending' when the vote did not decide: the handler then only refreshes the card. */
  readonly outcome: 'pending' | 'approved' | 'rejected';
  readonly reason: string | null;
  readonly by: Actor;
  readonly now: Date;
}

export interface DecisionEffect {
  readonly decidedMessage: string;
  /** Jobs to start right after commit (execute-actions, so nobody waits for the next tick). */
  readonly kickJobs: readonly string[];
  /** The request's card as the vote left it (queued in its transaction); none for other cards. */
  readonly card?: Card;
}

/**
 * What a vote sets off for one kind of proposal, inside the vote's transaction. Deferred audit
 * events and writes (audit-events.ts) are flushed by the vote after the handler returns.
 */
export type DecisionHandler = (trx: Knex.Transaction, ctx: ServiceContext, input: DecisionInput) => Promise<DecisionEffect>;
