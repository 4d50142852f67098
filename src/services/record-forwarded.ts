import { compareDates, type IsoDate } from '../domain/dates.js';
import type { RequestClock } from '../domain/request-clock.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Actor } from '../chat/actor.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { cancelOpenProposals } from '../register/proposals.js';
import { updateRequest } from '../register/requests.js';
import { refreshRequestCard } from './card-messages.js';
import type { ServiceContext } from './context.js';
import { move } from './decisions/request-decisions.js';
import { clockEnv, syncClock } from './request-clock.js';
import { lockOpenRequestWithProposals } from './request-changes.js';

export interface Forwarded {
  readonly reference: string;
  readonly controller: string;
  readonly on: IsoDate;
  readonly clock: RequestClock;
}

/**
 * `/dsr forwarded`: a processor-route request was passed to its controller (Art 28(3)(e)) on `on`
 * (default today). That completes the company's part: the forwarding proposal lapses, the request
 * closes, and the reminders stop.
 */
export async function recordForwarded(ctx: ServiceContext, by: Actor, reference: string, on: IsoDate | null): Promise<Result<Forwarded>> {
  const now = ctx.clock();
  const env = clockEnv(ctx.config, now);
  const day = on ?? env.today;
  if (compareDates(day, env.today) > 0) return err(`${day} is in the future (today is ${env.today}): record the day it was passed on, or leave out --on to mean today.`);
  return ctx.db.transaction(async (trx): Promise<Result<Forwarded>> => {
    const found = await lockOpenRequestWithProposals(trx, reference);
    if (!found.ok) return found;
    const request = found.value;
    if (request.controller === null) {
      return err(`${reference} is not a processor-route request: it is the company's own to answer (logged without --controller), so there is no controller to forward it to.`);
    }
    if (compareDates(day, request.received_on) < 0) return err(`${day} is before ${reference} was received (${request.received_on}).`);
    const withDate = await updateRequest(trx, request.id, { forwarded_on: day });
    const cancelled = await cancelOpenProposals(trx, request.id, 'forwarding recorded with /dsr forwarded', now);
    const closed = await move(trx, withDate, 'forwarded', now, env, { status_reason: `passed to the controller on ${day}` });
    const { clock } = await syncClock(trx, closed, env);
    await appendAuditEvent(trx, {
      actor: by.key, action: 'request.forwarded', subject: reference, occurredAt: now,
      facts: { forwarded_on: day, target: clock.due, late: clock.closedInTime === false, cancelled_proposal_ids: cancelled },
    });
    await refreshRequestCard(trx, request.id, env);
    return ok({ reference, controller: request.controller, on: day, clock });
  });
}
