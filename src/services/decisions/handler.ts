import type { Knex } from 'knex';
import type { Actor } from '../../chat/actor.js';
import type { ProposalRow } from '../../register/proposals.js';
import type { ServiceContext } from '../context.js';

export interface DecisionInput {
  readonly proposal: ProposalRow;
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
}

/** What a vote sets off for one kind of proposal, inside the vote's transaction. */
export type DecisionHandler = (trx: Knex.Transaction, ctx: ServiceContext, input: DecisionInput) => Promise<DecisionEffect>;
