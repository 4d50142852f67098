import type { Knex } from 'knex';
import { breachDeadline, validateAwareAt } from '../domain/breach.js';
import { checkRoles, owedParties } from '../domain/breach-notices.js';
import { dateInTimeZone } from '../domain/dates.js';
import { formatBreachRef, parseBreachRef } from '../domain/references.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Actor } from '../chat/actor.js';
import { breachNotices, renderBreachCard } from '../chat/cards/breach-card.js';
import type { BreachListView } from '../chat/cards/breach-views.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { insertBreach, listOpenAndRecentBreaches, lockBreachByRef, type BreachRow } from '../register/breaches.js';
import { complaintsAbout } from '../register/complaints.js';
import { nextSequence } from '../register/reference-counters.js';
import { postCard, updateCard } from './card-messages.js';
import { platformForNewCard } from './committee-channel.js';
import type { ServiceContext } from './context.js';

/**
 * Suspected breaches (DESIGN §2): the report starts the 72-hour clock from awareness and posts the
 * breach card; notices and decisions are recorded in breach-notices.ts. The summary is free text the
 * committee needs on the card, so it lives in the register and never in the audit trail.
 */

export const MAX_BREACH_TEXT = 500;

export interface BreachReport {
  readonly summary: string;
  /** When the company became aware; null means now. */
  readonly awareAt: Date | null;
  /** The company's own data is affected (it is the controller): the regulator's 72 hours apply. */
  readonly ownData: boolean;
  /** Customers' data (the company as processor) is affected: their controllers must be told. */
  readonly controllersAffected: boolean;
  /** A high risk to the individuals: they must be told too. */
  readonly individualsHighRisk: boolean;
}

export async function reportBreach(ctx: ServiceContext, by: Actor, input: BreachReport): Promise<Result<BreachRow>> {
  const now = ctx.clock();
  const timeZone = ctx.config.timezone;
  const summary = input.summary.trim();
  if (summary === '') return err('Describe the suspected breach in a few words, e.g. "laptop with the CRM export lost on a train"');
  if (summary.length > MAX_BREACH_TEXT) return err(`Keep the summary to ${MAX_BREACH_TEXT} characters; the details belong in the incident record`);
  const roles = checkRoles(input);
  if (!roles.ok) return roles;
  const awareAt = validateAwareAt(input.awareAt ?? now, now, timeZone);
  if (!awareAt.ok) return awareAt;
  const breach = await ctx.db.transaction(async (trx) => {
    // Numbered by the year of awareness, as requests are by the year of receipt.
    const year = Number(dateInTimeZone(awareAt.value, timeZone).slice(0, 4));
    const reference = formatBreachRef(year, await nextSequence(trx, 'breach', year));
    const platform = await platformForNewCard(trx, ctx.config, by.platform);
    const row = await insertBreach(trx, {
      reference, summary, aware_at: awareAt.value, deadline_at: breachDeadline(awareAt.value), reported_by: by.key, platform,
      own_data: input.ownData, controllers_affected: input.controllersAffected, individuals_high_risk: input.individualsHighRisk,
    });
    await appendAuditEvent(trx, {
      actor: by.key, action: 'breach.reported', subject: reference, occurredAt: now,
      facts: {
        breach_id: row.id, aware_at: row.aware_at.toISOString(), deadline_at: row.deadline_at.toISOString(),
        own_data: row.own_data, controllers_affected: row.controllers_affected, individuals_high_risk: row.individuals_high_risk,
        owed: owedParties(breachNotices(row)),
      },
    });
    await postCard(trx, platform, renderBreachCard(row, timeZone));
    return row;
  });
  ctx.logger.info({ ref: breach.reference }, 'breach reported');
  return ok(breach);
}

/** The card, re-rendered in place from the row as it now stands. */
export async function refreshBreachCard(trx: Knex.Transaction, breach: BreachRow, timeZone: string): Promise<void> {
  const complaints = (await complaintsAbout(trx, { breachId: breach.id })).map((c) => `${c.reference} (${c.status})`);
  await updateCard(trx, breach.platform, renderBreachCard(breach, timeZone, complaints));
}

/** A breach by reference (any spelling `parseBreachRef` accepts), locked for the transaction. */
export async function lockBreach(trx: Knex.Transaction, reference: string): Promise<Result<BreachRow>> {
  const parsed = parseBreachRef(reference);
  if (!parsed.ok) return parsed;
  const breach = await lockBreachByRef(trx, parsed.value.ref);
  return breach ? ok(breach) : err(`There is no breach ${parsed.value.ref}; /gov breach list shows the open and recent ones`);
}

/** Closed breaches stay on `/gov breach list` this long. */
export const RECENT_DAYS = 30;
export const BREACH_LIST_LIMIT = 50;

export interface BreachList extends BreachListView {
  readonly breaches: readonly BreachRow[];
}

export async function listBreachesFor(ctx: ServiceContext): Promise<BreachList> {
  const now = ctx.clock();
  const since = new Date(now.getTime() - RECENT_DAYS * 86_400_000);
  return { now, timezone: ctx.config.timezone, recentDays: RECENT_DAYS, breaches: await listOpenAndRecentBreaches(ctx.db, since, BREACH_LIST_LIMIT) };
}
