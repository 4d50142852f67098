import type { Knex } from 'knex';
import { formatInstant } from '../domain/breach.js';
import {
  checkNotReportable, isSettled, needsLateReason, notifiedAt, outstandingParties, owedParties, regulatorToldLate, type Party,
} from '../domain/breach-notices.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Actor } from '../chat/actor.js';
import { breachNotices } from '../chat/cards/breach-card.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { updateBreach, type BreachPatch, type BreachRow } from '../register/breaches.js';
import { lockBreach, refreshBreachCard } from './breaches.js';
import type { ServiceContext } from './context.js';

/**
 * Recording who has been told of a breach, the reasons for a late report, and a decision not to
 * report (the scheme is in domain/breach-notices.ts). Each change is one transaction: the breach
 * row (locked), its audit event, the card updated in place, and the breach closed once settled.
 */

export interface NoticeInput {
  readonly reference: string;
  readonly party: Party;
  /** When they were told, if not just now (recorded after a phone call, say). */
  readonly toldAt: Date | null;
  readonly lateReason: string | null;
}

export interface BreachChange {
  /** What this command added to the record. */
  readonly recorded: 'notice' | 'late-reason' | 'not-reportable';
  readonly breach: BreachRow;
  /** The regulator was told after the deadline and no reasons for the delay are recorded yet. */
  readonly lateReasonNeeded: boolean;
  readonly outstanding: readonly Party[];
  readonly closedNow: boolean;
}

export async function recordBreachNotice(ctx: ServiceContext, by: Actor, input: NoticeInput): Promise<Result<BreachChange>> {
  const now = ctx.clock();
  const tz = ctx.config.timezone;
  if (input.lateReason !== null && input.party !== 'regulator') {
    return err('Reasons for delay are only recorded for the regulator\'s notice (72-hour deadline); leave out --late-reason');
  }
  return ctx.db.transaction(async (trx): Promise<Result<BreachChange>> => {
    const found = await lockBreach(trx, input.reference);
    if (!found.ok) return found;
    const breach = found.value;
    const state = breachNotices(breach);
    const already = notifiedAt(state, input.party);
    if (already !== null) {
      if (input.party !== 'regulator' || input.lateReason === null) {
        return err(`That ${input.party} of ${breach.reference} were told is already recorded (${formatInstant(already, tz)}); nothing changed`);
      }
      if (!regulatorToldLate(state)) return err(`The regulator was told of ${breach.reference} in time, so no reasons for delay are needed`);
      if (breach.late_reason !== null) return err(`The reasons for the late report of ${breach.reference} are already recorded`);
      return apply(ctx, trx, by, breach, { late_reason: input.lateReason, late_reason_by: by.key }, now,
        { recorded: 'late-reason', action: 'breach.late_reason_recorded', facts: {} });
    }
    const toldAt = input.toldAt ?? now;
    if (toldAt.getTime() > now.getTime()) return err(`${formatInstant(toldAt, tz)} is in the future; give when they were told, or leave out --at to mean now`);
    if (toldAt.getTime() < breach.aware_at.getTime()) {
      return err(`${formatInstant(toldAt, tz)} is before the company became aware of ${breach.reference} (${formatInstant(breach.aware_at, tz)})`);
    }
    const late = input.party === 'regulator' && toldAt.getTime() > breach.deadline_at.getTime();
    if (input.lateReason !== null && !late) {
      return err(`The regulator is being told within the 72 hours (deadline ${formatInstant(breach.deadline_at, tz)}), so no reasons for delay are needed; leave out --late-reason`);
    }
    const patch: BreachPatch = {
      ...noticePatch(input.party, toldAt, by.key),
      ...(input.lateReason !== null ? { late_reason: input.lateReason, late_reason_by: by.key } : {}),
    };
    return apply(ctx, trx, by, breach, patch, now, {
      recorded: 'notice',
      action: 'breach.notified',
      facts: { party: input.party, told_at: toldAt.toISOString(), owed: owedParties(state).includes(input.party), late, late_reason_given: input.lateReason !== null },
    });
  });
}

/** The committee's decision that a breach need not be reported to the regulator, with its reason. */
export async function recordNotReportable(ctx: ServiceContext, by: Actor, input: { reference: string; reason: string }): Promise<Result<BreachChange>> {
  const now = ctx.clock();
  const reason = input.reason.trim();
  if (reason === '') return err('Give the reason the breach is unlikely to result in a risk to anyone, e.g. "the lost file was encrypted and the key is safe"');
  return ctx.db.transaction(async (trx): Promise<Result<BreachChange>> => {
    const found = await lockBreach(trx, input.reference);
    if (!found.ok) return found;
    const allowed = checkNotReportable(breachNotices(found.value), found.value.reference);
    if (!allowed.ok) return allowed;
    return apply(ctx, trx, by, found.value, { not_reportable_reason: reason, not_reportable_by: by.key, not_reportable_at: now }, now,
      { recorded: 'not-reportable', action: 'breach.not_reportable', facts: { reason_given: true } });
  });
}

async function apply(ctx: ServiceContext, trx: Knex.Transaction, by: Actor, breach: BreachRow, patch: BreachPatch, now: Date,
  event: { recorded: BreachChange['recorded']; action: string; facts: Record<string, unknown> }): Promise<Result<BreachChange>> {
  let updated = await updateBreach(trx, breach.id, patch);
  const state = breachNotices(updated);
  const closedNow = updated.status === 'open' && isSettled(state);
  if (closedNow) updated = await updateBreach(trx, breach.id, { status: 'closed', closed_at: now });
  await appendAuditEvent(trx, {
    actor: by.key, action: event.action, subject: breach.reference, occurredAt: now,
    facts: { breach_id: breach.id, ...event.facts, still_to_tell: outstandingParties(state), closed: closedNow },
  });
  await refreshBreachCard(trx, updated, ctx.config.timezone);
  return ok({ recorded: event.recorded, breach: updated, lateReasonNeeded: needsLateReason(state), outstanding: outstandingParties(state), closedNow });
}

function noticePatch(party: Party, at: Date, by: string): BreachPatch {
  switch (party) {
    case 'regulator': return { regulator_notified_at: at, regulator_notified_by: by };
    case 'controllers': return { controllers_notified_at: at, controllers_notified_by: by };
    case 'individuals': return { individuals_notified_at: at, individuals_notified_by: by };
  }
}
