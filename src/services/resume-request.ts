import type { IsoDate } from '../domain/dates.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Actor } from '../chat/actor.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { closePause, pausesFor, type PauseKind } from '../register/pauses.js';
import { markIdentityEvidence, updateRequest } from '../register/requests.js';
import { refreshRequestCard } from './card-messages.js';
import type { ServiceContext } from './context.js';
import { dueDateWithPauses } from './request-clock.js';
import { committeeToday, lockOpenRequest } from './request-changes.js';

export interface Resumed {
  readonly reference: string;
  readonly kind: PauseKind;
  readonly pausedOn: IsoDate;
  readonly resumedOn: IsoDate;
  /** Days this pause added: from the day the information was asked for to the day it came, both included. */
  readonly days: number;
  readonly previousDueOn: IsoDate;
  readonly dueOn: IsoDate;
}

/** Restarts the clock today: the pause closes and the due date moves by its days (DESIGN §2). */
export async function resumeRequest(ctx: ServiceContext, by: Actor, reference: string): Promise<Result<Resumed>> {
  const now = ctx.clock();
  const today = committeeToday(ctx, now);
  return ctx.db.transaction(async (trx): Promise<Result<Resumed>> => {
    const found = await lockOpenRequest(trx, reference);
    if (!found.ok) return found;
    const request = found.value;
    const pause = await closePause(trx, request.id, today, by.key);
    if (!pause) return err(`The clock of ${reference} is running, not paused, so there is nothing to resume. Pause it with /dsr pause ${reference} <identity|authority|clarification|fee>.`);
    const clock = dueDateWithPauses(request, await pausesFor(trx, request.id), ctx.config.bankHolidayRegion);
    await updateRequest(trx, request.id, { due_on: clock.dueOn, paused_days: clock.pausedDays });
    if (pause.kind === 'identity' || pause.kind === 'authority') {
      await markIdentityEvidence(trx, request.id, 'evidence-requested', 'pending');
    }
    // A pause starting the day an earlier one ended shares that day: the clock cannot stop twice.
    const days = clock.pausedDays - request.paused_days;
    await appendAuditEvent(trx, {
      actor: by.key, action: 'request.resumed', subject: reference, occurredAt: now,
      facts: { kind: pause.kind, paused_on: pause.paused_on, resumed_on: today, days, paused_days: clock.pausedDays, due_on: clock.dueOn },
    });
    await refreshRequestCard(trx, request.id);
    return ok({ reference, kind: pause.kind, pausedOn: pause.paused_on, resumedOn: today, days, previousDueOn: request.due_on, dueOn: clock.dueOn });
  });
}
