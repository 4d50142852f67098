import type { Knex } from 'knex';
import type { IsoDate } from '../domain/dates.js';
import { contactsToLift, owesRestrictionLiftNotice, restrictionVerdict, RESTRICTION_LIFT_NOTICE, type ObjectionDecision } from '../domain/objection.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { actionsForRequest } from '../register/actions.js';
import { proposalsForRequest } from '../register/proposals.js';
import { updateRequest, type RequestRow } from '../register/requests.js';
import { liftRestriction, restrictedByOtherRequests } from '../register/restrictions.js';
import { matchedContactIds, objectionOf } from './log-request.js';
import { owe } from './notices-owed.js';
import type { ClockEnv } from './request-clock.js';

/**
 * The restriction an objection to other processing placed at intake (Art 18(1)(d)): when the
 * committee does not uphold the objection, the individual is owed a notice before it is lifted
 * (Art 18(3)); recording that notice as told lifts it, in the same transaction.
 */

/** The rows this objection restricted at intake (all its matched rows for one logged before that was recorded). */
export function restrictedAtIntake(request: RequestRow): number[] {
  const recorded = request.details.restrictedContactIds;
  return Array.isArray(recorded) ? recorded.filter((id): id is number => Number.isSafeInteger(id)) : matchedContactIds(request);
}

/** On an objection not upheld, or closed without being upheld: owe the Art 18(3) notice, if intake restricted anything (once). */
export async function oweRestrictionLift(trx: Knex.Transaction, request: RequestRow, env: ClockEnv, at: Date): Promise<boolean> {
  if (!owesRestrictionLiftNotice(restrictedAtIntake(request))) return false;
  await owe(trx, request, RESTRICTION_LIFT_NOTICE, env, at);
  return true;
}

export interface LiftedRestriction {
  readonly lifted: readonly number[];
  /** Rows another request keeps restricted: left as they are. */
  readonly keptRestricted: readonly number[];
}

/** Upheld only once carried out: an approval overtaken by a withdrawal upheld nothing. */
async function objectionDecision(trx: Knex.Transaction, request: RequestRow): Promise<ObjectionDecision> {
  const actions = await actionsForRequest(trx, request.id);
  if (actions.some((a) => a.kind === 'uphold-objection' && a.status === 'done' && a.result?.carried_out === true)) return 'upheld';
  if ((await proposalsForRequest(trx, request.id)).some((p) => p.kind === 'action' && p.status === 'rejected')) return 'rejected';
  return request.closed_at === null ? 'pending' : 'closed';
}

/**
 * The individual has been told (the `restriction-lift` notice is recorded in this transaction):
 * lift the restriction on the rows intake restricted, except those another request keeps
 * restricted. Audited with ids only. Null when the rule does not allow a lift (nothing changes).
 */
export async function liftObjectionRestriction(trx: Knex.Transaction, request: RequestRow, by: string, toldOn: IsoDate, at: Date): Promise<LiftedRestriction | null> {
  const verdict = restrictionVerdict({ scope: objectionOf(request)?.about ?? null, decision: await objectionDecision(trx, request), told: true });
  if (!verdict.lift) return null;
  const intake = restrictedAtIntake(request);
  const elsewhere = await restrictedByOtherRequests(trx, request.id, intake);
  const lifted = await liftRestriction(trx, contactsToLift(intake, elsewhere), at);
  await updateRequest(trx, request.id, { details: { ...request.details, restrictionLiftedOn: toldOn } });
  await appendAuditEvent(trx, {
    actor: by, action: 'contact.restriction_lifted', subject: request.reference, occurredAt: at,
    facts: { basis: 'Art 18(3)', told_on: toldOn, contact_ids: lifted, kept_restricted_ids: elsewhere },
  });
  return { lifted, keptRestricted: elsewhere };
}
