import { looksLikeEmailAddress } from '../domain/audit-chain.js';
import { dateInTimeZone, type IsoDate } from '../domain/dates.js';
import { err, ok, type Result } from '../domain/result.js';
import { nextReviewDue } from '../domain/review-schedule.js';
import type { Actor } from '../chat/actor.js';
import type { ProcessorList } from '../chat/cards/review-lines.js';
import { appendAuditEvent } from '../register/audit-events.js';
import {
  findProcessorByName, insertProcessor, listProcessors, lockProcessorByName, recordProcessorReview, type ProcessorRow,
} from '../register/processors.js';
import type { ServiceContext } from './context.js';

/**
 * The Article 30 register of service providers (privacy notice §5): who holds the company's data
 * for it, why, and the yearly review of their safeguards and data processing agreements.
 */

export const MAX_PROCESSOR_NAME = 100;

export async function listProcessorsFor(ctx: ServiceContext): Promise<ProcessorList> {
  const today = dateInTimeZone(ctx.clock(), ctx.config.timezone);
  return { today, timezone: ctx.config.timezone, processors: await listProcessors(ctx.db) };
}

/** The audit subject of a provider: its register id (its name is a company's, but stays out of keys). */
export function processorSubject(processor: Pick<ProcessorRow, 'id'>): string {
  return `processor:${processor.id}`;
}

/**
 * Adds a provider. Putting it on the register is the due diligence of taking it on, so its first
 * yearly review falls a year from today; "last reviewed" stays empty until a review is recorded.
 */
export async function addProcessor(ctx: ServiceContext, by: Actor, input: { name: string; purpose: string; receivesContactData?: boolean }): Promise<Result<ProcessorRow>> {
  const name = input.name.trim().replace(/\s+/g, ' ');
  const purpose = input.purpose.trim();
  if (name === '') return err('Give the provider\'s name, e.g. "Microsoft 365" (quote a name of several words)');
  if (name.length > MAX_PROCESSOR_NAME) return err(`Keep the name to ${MAX_PROCESSOR_NAME} characters`);
  // The name goes into the permanent audit trail, which holds no one's address.
  if (looksLikeEmailAddress(name)) return err('Name the provider by its company or service, e.g. "Mailchimp", not by an email address: the register and its audit trail keep no one\'s address');
  if (purpose === '') return err(`Say what ${name} does with personal data for the company, e.g. "email and documents"`);
  const now = ctx.clock();
  const today = dateInTimeZone(now, ctx.config.timezone);
  return ctx.db.transaction(async (trx): Promise<Result<ProcessorRow>> => {
    const processor = await insertProcessor(trx, { name, purpose, next_review_on: nextReviewDue(today), created_by: by.key, created_at: now, receives_contact_data: input.receivesContactData ?? true });
    if (processor === null) {
      const existing = await findProcessorByName(trx, name);
      return err(`${existing?.name ?? name} is already on the register (names are matched ignoring case); /gov processors shows it. After a review: /gov processors reviewed ${quoteName(existing?.name ?? name)}`);
    }
    await appendAuditEvent(trx, {
      actor: by.key, action: 'processor.added', subject: processorSubject(processor), occurredAt: now,
      facts: { provider: processor.name, next_review_on: processor.next_review_on, receives_contact_data: processor.receives_contact_data },
    });
    return ok(processor);
  });
}

export interface ProcessorReviewed {
  readonly processor: ProcessorRow;
  readonly previousReviewOn: IsoDate;
  readonly reviewId: number;
}

/** Records today's review of a provider (named in any case) and moves its next review a year on. */
export async function reviewProcessor(ctx: ServiceContext, by: Actor, name: string): Promise<Result<ProcessorReviewed>> {
  const wanted = name.trim().replace(/\s+/g, ' ');
  if (wanted === '') return err('Give the provider\'s name as /gov processors lists it, e.g. "HubSpot CRM"');
  const now = ctx.clock();
  const today = dateInTimeZone(now, ctx.config.timezone);
  return ctx.db.transaction(async (trx): Promise<Result<ProcessorReviewed>> => {
    const found = await lockProcessorByName(trx, wanted);
    if (!found) {
      const known = (await listProcessors(trx)).map((p) => p.name);
      const list = known.length > 0 ? `the register has ${known.join(', ')}` : 'the register is empty';
      return err(`There is no service provider "${wanted.slice(0, MAX_PROCESSOR_NAME)}" on the register (${list}). Add a new one with /gov processors add <name> <purpose>`);
    }
    const { reviewId, processor } = await recordProcessorReview(trx, {
      processorId: found.id, reviewedOn: today, nextReviewOn: nextReviewDue(today), reviewedBy: by.key, note: null,
    });
    await appendAuditEvent(trx, {
      actor: by.key, action: 'processor.reviewed', subject: processorSubject(processor), occurredAt: now,
      facts: { provider: processor.name, review_id: reviewId, reviewed_on: today, previous_review_on: found.next_review_on, next_review_on: processor.next_review_on },
    });
    return ok({ processor, previousReviewOn: found.next_review_on, reviewId });
  });
}

export function quoteName(name: string): string {
  return /\s/.test(name) ? `"${name}"` : name;
}
