import type { Knex } from 'knex';
import { compareDates, formatDateWithWeekday, type IsoDate } from '../domain/dates.js';
import { NOTICE_KINDS, noticeDueBy, type NoticeKind } from '../domain/notices-owed.js';
import { RESTRICTION_LIFT_NOTICE } from '../domain/objection.js';
import type { RequestClock } from '../domain/request-clock.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Actor } from '../chat/actor.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { markNoticeTold, noticesFor, oweNotice, type NoticeRow } from '../register/request-notices.js';
import { lockRequestByRef, type RequestRow } from '../register/requests.js';
import { refreshRequestCard } from './card-messages.js';
import type { ServiceContext } from './context.js';
import { liftObjectionRestriction, type LiftedRestriction } from './objection-restriction.js';
import { clockEnv, loadClock, syncClock, type ClockEnv } from './request-clock.js';
import { unknownRequest } from './request-changes.js';

/**
 * Notices the individual is owed (src/domain/notices-owed.ts): created where the decision is made
 * (an extension approved, a refusal, a rejected identity, a completion, an objection not upheld, an
 * erasure that kept held records), recorded by `/dsr told`, chased by sla-reminders. `owe` may be
 * called with any kind string a later rule adds.
 */
export async function owe(trx: Knex.Transaction, request: RequestRow, kind: NoticeKind | (string & {}), env: ClockEnv, at: Date, dueBy?: IsoDate): Promise<void> {
  const clock = await loadClock(trx, request, env);
  const deadline = dueBy ?? (kind === 'extension' ? clock.firstPeriodEnd : clock.due ?? clock.unextendedDue);
  const inserted = await oweNotice(trx, { request_id: request.id, kind, owed_since: env.today, due_by: noticeDueBy(env.today, deadline) });
  if (inserted) {
    await appendAuditEvent(trx, {
      actor: 'govbot', action: 'request.notice_owed', subject: request.reference, occurredAt: at,
      facts: { kind, due_by: noticeDueBy(env.today, deadline) },
    });
  }
}

export interface ToldInput {
  readonly reference: string;
  readonly kind: NoticeKind;
  readonly on: IsoDate | null;
}

export interface Told {
  readonly reference: string;
  readonly notice: NoticeRow;
  readonly clock: RequestClock;
  /** For the Art 18(3) notice: the restriction it lifted. */
  readonly lifted?: LiftedRestriction;
}

/** `/dsr told`: the individual was told, on `on` (default today). Only what is owed and not yet told. */
export async function recordTold(ctx: ServiceContext, by: Actor, input: ToldInput): Promise<Result<Told>> {
  const now = ctx.clock();
  const env = clockEnv(ctx.config, now);
  const on = input.on ?? env.today;
  const label = NOTICE_KINDS[input.kind].label;
  if (compareDates(on, env.today) > 0) return err(`${on} is in the future (today is ${env.today}): record the day they were told, or leave out --on to mean today.`);
  return ctx.db.transaction(async (trx): Promise<Result<Told>> => {
    const request = await lockRequestByRef(trx, input.reference);
    if (!request) return err(unknownRequest(input.reference));
    const notices = await noticesFor(trx, request.id);
    const notice = notices.find((n) => n.kind === input.kind);
    if (!notice) {
      const owed = notices.filter((n) => n.told_on === null).map((n) => NOTICE_KINDS[n.kind as NoticeKind]?.label ?? n.kind);
      return err(`${request.reference} owes the individual no ${label} notice${owed.length > 0 ? `; still owed: ${owed.join(', ')}` : ': nothing is owed'}. A notice is owed once the committee decides (an extension approved, a refusal, a rejected identity, a completion, an objection not upheld, an erasure that kept records under legal hold).`);
    }
    if (notice.told_on !== null) return err(`That the individual was told of the ${label} of ${request.reference} is already recorded (${notice.told_on}); nothing changed.`);
    if (compareDates(on, notice.owed_since) < 0) {
      return err(`${on} is before the ${label} was decided (${notice.owed_since}): give the day they were told, from ${notice.owed_since} on.`);
    }
    const told = (await markNoticeTold(trx, request.id, input.kind, on, by.key))!;
    const { clock } = await syncClock(trx, request, env);
    await appendAuditEvent(trx, {
      actor: by.key, action: 'request.notice_told', subject: request.reference, occurredAt: now,
      facts: { kind: input.kind, told_on: on, due_by: notice.due_by, late: compareDates(on, notice.due_by) > 0, ...(input.kind === 'extension' ? { extension: clock.extension } : {}) },
    });
    // Told before it is lifted (Art 18(3)): the lift commits with the record of the telling.
    const lifted = input.kind === RESTRICTION_LIFT_NOTICE ? await liftObjectionRestriction(trx, request, by.key, on, now) : null;
    await refreshRequestCard(trx, request.id, env);
    return ok({ reference: request.reference, notice: told, clock, ...(lifted ? { lifted } : {}) });
  });
}

/** The reply's words for a recorded notice. */
export function toldText(t: Told): string {
  const n = t.notice;
  const label = NOTICE_KINDS[n.kind as NoticeKind]?.label ?? n.kind;
  const late = n.told_on !== null && compareDates(n.told_on, n.due_by) > 0;
  const base = `Recorded: the individual was told of the ${label} of ${t.reference} on ${n.told_on ?? ''}${late ? `, after ${formatDateWithWeekday(n.due_by)}` : ', in time'}.`;
  if (t.lifted) {
    const kept = t.lifted.keptRestricted.length;
    return `${base} Restriction of processing lifted on ${t.lifted.lifted.length} register record${t.lifted.lifted.length === 1 ? '' : 's'}${kept > 0 ? `; ${kept} stay${kept === 1 ? 's' : ''} restricted for another request` : ''}.`;
  }
  if (n.kind !== 'extension') return base;
  return t.clock.extension === 'valid'
    ? `${base} The extension stands: due ${formatDateWithWeekday(t.clock.due ?? '')}.`
    : `${base} That was after the first period ended (${t.clock.firstPeriodEnd ?? ''}), so the extension is not valid: the request was due ${formatDateWithWeekday(t.clock.due ?? '')}.`;
}
