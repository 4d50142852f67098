import type { Knex } from 'knex';
import { dateInTimeZone, type IsoDate } from '../domain/dates.js';
import { isOpen, REQUEST_STATUSES } from '../domain/request-states.js';
import { err, ok, type Result } from '../domain/result.js';
import { lockOpenProposals } from '../register/proposals.js';
import { findRequestByRef, lockRequestByRef, type RequestRow } from '../register/requests.js';
import type { ServiceContext } from './context.js';

/**
 * What every change to a request made from chat starts with: the request, locked for the
 * transaction so that a vote, a pause and a close cannot interleave, and still open.
 */
export async function lockOpenRequest(trx: Knex.Transaction, reference: string): Promise<Result<RequestRow>> {
  const request = await lockRequestByRef(trx, reference);
  if (!request) return err(unknownRequest(reference));
  if (!isOpen(request.status)) {
    return err(`${reference} is ${REQUEST_STATUSES[request.status]}, so it can no longer change; log a new request if the individual asks again.`);
  }
  return ok(request);
}

/**
 * The same, for a change that also decides the request's open proposals (closing it, replacing its
 * action). A vote locks its proposal and then the request; taking them in that order here too means
 * a vote and such a change queue behind each other instead of deadlocking.
 */
export async function lockOpenRequestWithProposals(trx: Knex.Transaction, reference: string): Promise<Result<RequestRow>> {
  const request = await findRequestByRef(trx, reference);
  if (!request) return err(unknownRequest(reference));
  await lockOpenProposals(trx, request.id);
  return lockOpenRequest(trx, reference);
}

export function unknownRequest(reference: string): string {
  return `There is no request ${reference}; /dsr list shows the open ones.`;
}

/** The committee's calendar day at `now`: statutory clocks count days where the committee sits. */
export function committeeToday(ctx: ServiceContext, now: Date): IsoDate {
  return dateInTimeZone(now, ctx.config.timezone);
}
