import type { ProposalKind } from '../../register/proposals.js';
import type { DecisionHandler } from './handler.js';
import { actionDecision, extensionDecision, identityDecision, refusalDecision } from './request-decisions.js';

/** Every kind of proposal has a handler; the compiler checks none is missing. */
export const DECISION_HANDLERS: Record<ProposalKind, DecisionHandler> = {
  identity: identityDecision,
  action: actionDecision,
  extension: extensionDecision,
  refusal: refusalDecision,
  purge: async () => { throw new Error('purge decisions are not handled in this version'); },
};
