import type { Knex } from 'knex';
import type { ActionKind } from '../../domain/action-plans.js';
import { appendAuditEvent } from '../../register/audit-events.js';
import { completeAction, type ActionRow } from '../../register/actions.js';
import { oweRecipientNotices, type RecipientChange } from '../../register/recipient-notices.js';
import { lockRequest } from '../../register/requests.js';
import { refreshRequestCard } from '../card-messages.js';
import { move } from '../decisions/request-decisions.js';
import { clockEnv } from '../request-clock.js';
import { erase } from './erase.js';
import { contactIdsOf, type ActionEnvironment, type ActionExecutor } from './executor.js';
import { exportData } from './export.js';
import { forwardToController } from './forward.js';
import { restrict, suppress } from './flags.js';
import { upholdObjection } from './objection.js';
import { rectify } from './rectify.js';

export type { ActionEnvironment } from './executor.js';

/** One executor per kind of action; the compiler checks that none is missing. */
export const EXECUTORS: Readonly<Record<ActionKind, ActionExecutor>> = {
  export: exportData,
  rectify,
  erase,
  restrict,
  suppress,
  'uphold-objection': upholdObjection,
  'forward-to-controller': forwardToController,
};

/** The change the recipients of the contact data must be told of (Art 19), or null when none. */
function recipientChange(action: ActionRow): RecipientChange | null {
  switch (action.kind) {
    case 'rectify': return 'rectification';
    case 'erase': return 'erasure';
    case 'restrict': return 'restriction';
    case 'uphold-objection': return action.params.erase === true ? 'erasure' : 'restriction';
    default: return null;
  }
}

export interface ExecutedAction {
  readonly carriedOut: boolean;
  readonly summary: string;
}

/**
 * Carries out one claimed action in the caller's transaction: the register change, the action's
 * result, the request's completion, the audit event and the card update commit together or not at
 * all. The request is locked and re-checked first: a withdrawal may have come in after approval.
 */
export async function executeAction(trx: Knex.Transaction, env: ActionEnvironment, action: ActionRow, now: Date): Promise<ExecutedAction> {
  if (action.request_id === null) throw new Error(`action ${action.id} belongs to no request`);
  const executor = Object.hasOwn(EXECUTORS, action.kind) ? EXECUTORS[action.kind] : undefined;
  if (!executor) throw new Error(`action ${action.id} is of unknown kind "${action.kind}"`);
  const request = await lockRequest(trx, action.request_id);
  const clock = clockEnv(env.config, now);
  if (request.status !== 'action-approved') {
    // Approved but overtaken (withdrawn, closed): record why nothing was done, and do nothing else.
    const summary = `not carried out: request was ${request.status}`;
    await completeAction(trx, action.id, { summary, carried_out: false }, now);
    await appendAuditEvent(trx, {
      actor: 'govbot', action: 'action.skipped', subject: request.reference, occurredAt: now,
      facts: { action_id: action.id, kind: action.kind, request_status: request.status },
    });
    await refreshRequestCard(trx, request.id, clock);
    return { carriedOut: false, summary };
  }
  const outcome = await executor(trx, env, { action, request, contactIds: contactIdsOf(action), now });
  const change = recipientChange(action);
  const owed = change === null ? 0 : await oweRecipientNotices(trx, request.id, change, now);
  await completeAction(trx, action.id, { summary: outcome.summary, carried_out: true, ...outcome.facts, ...(change ? { recipients_owed_count: owed } : {}) }, now);
  await move(trx, request, 'action-executed', now, clock);
  await appendAuditEvent(trx, {
    actor: 'govbot', action: 'action.executed', subject: request.reference, occurredAt: now,
    facts: { action_id: action.id, proposal_id: action.proposal_id, kind: action.kind, ...outcome.facts },
  });
  await refreshRequestCard(trx, request.id, clock);
  return { carriedOut: true, summary: outcome.summary };
}
