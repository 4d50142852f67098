import type { ProposalKind } from '../../register/proposals.js';
import type { DecisionHandler } from './handler.js';
import { purgeDecision } from './purge-decision.js';
import { actionDecision, extensionDecision, identityDecision, refusalDecision, withdrawalDecision } from './request-decisions.js';

/** Every kind of proposal has a handler; the compiler checks none is missing. */
export const DECISION_HANDLERS: Record<ProposalKind, DecisionHandler> = {
  identity: identityDecision,
  action: actionDecision,
  extension: extensionDecision,
  refusal: refusalDecision,
  purge: purgeDecision,
  withdrawal: withdrawalDecision,
};
