import { compareDates, type IsoDate } from '../domain/dates.js';
import type { RequestClock } from '../domain/request-clock.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Actor } from '../chat/actor.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { closePause, pausesFor, type PauseKind } from '../register/pauses.js';
import { markIdentityEvidence } from '../register/requests.js';
import { refreshRequestCard } from './card-messages.js';
import type { ServiceContext } from './context.js';
import { clockEnv, syncClock } from './request-clock.js';
import { lockOpenRequest } from './request-changes.js';

export interface Resumed {
  readonly reference: string;
  readonly kind: PauseKind;
  readonly askedOn: IsoDate;
  readonly arrivedOn: IsoDate;
  /** The due date before (null if the clock had not started or stood still). */
  readonly previousDueOn: IsoDate | null;
  readonly clock: RequestClock;
}

/**
 * Records the arrival of what was asked for, on `on` (default today): identity, authority or a fee
 * start the clock afresh that day; a clarification ends the stop, that day included (Art 12A).
 * Not in the future, and not before it was asked for.
 */
export async function resumeRequest(ctx: ServiceContext, by: Actor, reference: string, on: IsoDate | null): Promise<Result<Resumed>> {
  const now = ctx.clock();
  const env = clockEnv(ctx.config, now);
  const arrived = on ?? env.today;
  if (compareDates(arrived, env.today) > 0) {
    return err(`${arrived} is in the future (today is ${env.today}): record the day it actually arrived, or leave out --on to mean today.`);
  }
  return ctx.db.transaction(async (trx): Promise<Result<Resumed>> => {
    const found = await lockOpenRequest(trx, reference);
    if (!found.ok) return found;
    const request = found.value;
    const open = (await pausesFor(trx, request.id)).find((p) => p.resumed_on === null);
    if (!open) return err(`${reference} is not waiting for anything, so there is nothing to resume. Record what you ask for with /dsr pause ${reference} <identity|authority|clarification|fee>.`);
    if (compareDates(arrived, open.paused_on) < 0) {
      return err(`${arrived} is before ${open.kind} was asked for (${open.paused_on}): it cannot have arrived before it was asked for. Give the day it arrived, from ${open.paused_on} on.`);
    }
    await closePause(trx, request.id, arrived, by.key);
    if (open.kind === 'identity' || open.kind === 'authority') await markIdentityEvidence(trx, request.id, 'evidence-requested', 'pending');
    const synced = await syncClock(trx, request, env);
    const clock = synced.clock;
    await appendAuditEvent(trx, {
      actor: by.key, action: 'request.resumed', subject: reference, occurredAt: now,
      facts: {
        kind: open.kind, asked_on: open.paused_on, arrived_on: arrived, relevant_on: clock.relevantDay,
        stopped_days: clock.stoppedDays, due_on: clock.due, previous_due_on: request.due_on,
      },
    });
    await refreshRequestCard(trx, request.id, env);
    return ok({ reference, kind: open.kind, askedOn: open.paused_on, arrivedOn: arrived, previousDueOn: request.due_on, clock });
  });
}
