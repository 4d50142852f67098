import type { Knex } from 'knex';
import { planAction } from '../domain/action-plans.js';
import { addDays, dateInTimeZone, type IsoDate } from '../domain/dates.js';
import { maskEmail } from '../domain/masking.js';
import { formatRequestRef } from '../domain/references.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Channel, RequestType } from '../domain/request-types.js';
import { needsGroundsDecision, parseObjectionScope, type ObjectionScope } from '../domain/objection.js';
import { phoneSuppressionHash, suppressionHash } from '../domain/suppression.js';
import { suppressionEntries } from '../register/suppression-list.js';
import { oweRecipientNotices } from '../register/recipient-notices.js';
import { restrictContacts } from '../register/restrictions.js';
import type { Actor } from '../chat/actor.js';
import { renderRequestCard } from '../chat/cards/request-card.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { findContactsByEmail } from '../register/contacts.js';
import { insertProposal, type ProposalRow } from '../register/proposals.js';
import { takeSequence } from '../register/reference-counters.js';
import { findRecentRequestBySubject, findRequestByDeliveryKey, insertRequest, type RequestRow } from '../register/requests.js';
import { postCard } from './card-messages.js';
import { platformForNewCard } from './committee-channel.js';
import type { ServiceContext } from './context.js';
import { proposeAction } from './decisions/request-decisions.js';
import { requestClock } from '../domain/request-clock.js';
import { clockEnv } from './request-clock.js';
import { loadRequestView, newRequestView } from './request-view.js';

export interface NewRequestInput {
  readonly type: RequestType;
  readonly email: string;
  readonly fullName: string | null;
  readonly receivedOn: IsoDate | null;
  readonly via: Channel;
  readonly agent: string | null;
  readonly controller: string | null;
  readonly corrections?: Record<string, string>;
  /** For an objection: what it is about, and whether the individual asked for erasure too. */
  readonly objection?: { readonly about: ObjectionScope; readonly erase: boolean } | null;
}

/** A second request of the same type from the same subject within this many days is flagged as possibly repetitive. */
export const REPEAT_WINDOW_DAYS = 90;

/**
 * Intake: the request, its identity check and the card to the committee, in one transaction. The
 * subject is matched to register records by email; the clock starts on the day of receipt.
 */
export async function logRequest(ctx: ServiceContext, by: Actor, input: NewRequestInput): Promise<Result<RequestRow>> {
  const now = ctx.clock();
  const today = dateInTimeZone(now, ctx.config.timezone);
  const receivedOn = input.receivedOn ?? today;
  if (receivedOn > today) return err(`the date of receipt ${receivedOn} is in the future: give the day the request arrived, e.g. --received ${today}`);
  const objection = input.type === 'objection' ? input.objection ?? null : null;
  if (input.type === 'objection' && objection === null) {
    const missing = parseObjectionScope('');
    return err(missing.ok ? 'say what the objection is about' : missing.error);
  }
  // An objection to other processing restricts it at once, while the committee decides (Art 18(1)(d)).
  const restrictNow = objection !== null && needsGroundsDecision(objection.about) && input.controller === null;
  if (ctx.delivery?.again) {
    // The same delivery again (work interrupted, perhaps after its intake committed): the request it logged.
    const logged = await findRequestByDeliveryKey(ctx.db, ctx.delivery.key);
    if (logged) return ok(logged);
  }

  const subjectHmac = suppressionHash(ctx.pepper, input.email);
  const contacts = await findContactsByEmail(ctx.db, input.email);
  const contactIds = contacts.map((c) => c.id);
  // Intake checks every identifier against the suppression list: the email, and the matched rows' phones.
  const phoneHashes = contacts.map((c) => (c.phone === null ? null : phoneSuppressionHash(ctx.pepper, c.phone))).filter((h): h is string => h !== null);
  const suppressed = (await suppressionEntries(ctx.db, [subjectHmac, ...phoneHashes]))
    .map((e) => ({ kind: e.kind, reason: e.reason, tag: e.tag, sourceRef: e.sourceRef }));
  const repeat = await findRecentRequestBySubject(ctx.db, subjectHmac, input.type, addDays(receivedOn, -REPEAT_WINDOW_DAYS));

  const env = clockEnv(ctx.config, now);
  const processorRoute = input.controller !== null;
  // A new request has no history yet: its clock runs from receipt (or, processor route, to forwarding).
  const clock = requestClock({
    receivedOn, type: input.type, region: env.region, waits: [], extension: null, closedOn: null, today: env.today,
    processor: processorRoute ? { forwardWithinDays: ctx.config.forwardWithinDays, forwardedOn: null } : null,
  });
  const year = Number(receivedOn.slice(0, 4));
  const reference = formatRequestRef(year, await takeSequence(ctx.db, 'request', year));
  const request = await ctx.db.transaction(async (trx) => {
    const platform = await platformForNewCard(trx, ctx.config, by.platform);
    // Only the rows this objection restricts are lifted if it is not upheld (Art 18(3)): a row
    // already restricted on another basis stays so.
    const restricted = restrictNow ? await restrictContacts(trx, contactIds, now) : [];
    const row = await insertRequest(trx, {
      reference,
      type: input.type,
      subject_email: input.email.trim(),
      subject_name: input.fullName,
      subject_hmac: subjectHmac,
      contact_id: contactIds[0] ?? null,
      received_via: input.via,
      agent_name: input.agent,
      controller: input.controller,
      received_on: receivedOn,
      due_on: clock.due,
      relevant_on: clock.relevantDay,
      possible_repeat_of: repeat?.id ?? null,
      requested_by: by.key,
      delivery_key: ctx.delivery?.key ?? null,
      details: {
        platform,
        matchedContactIds: contactIds,
        maskedSubject: maskEmail(input.email),
        // The forwarding target is fixed when the request arrives, whatever the setting later.
        ...(processorRoute ? { forwardWithinDays: ctx.config.forwardWithinDays } : {}),
        ...(input.corrections && Object.keys(input.corrections).length > 0 ? { corrections: input.corrections } : {}),
        ...(objection ? { objection: { about: objection.about, erase: objection.erase } } : {}),
        ...(restrictNow ? { restrictedContactIds: restricted } : {}),
        ...(suppressed.length > 0 ? { suppressed } : {}),
      },
    });
    // A restriction carried out under Art 18 is told to each recipient of the contact data (Art 19).
    if (restricted.length > 0) await oweRecipientNotices(trx, row.id, 'restriction', now);
    let view;
    if (processorRoute) {
      // Art 28(3)(e): the controller checks identity and answers; the company passes the request on at once.
      await proposeAction(trx, ctx, row, now);
      view = await loadRequestView(trx, row.id, env);
    } else {
      await trx('identity_checks').insert({ request_id: row.id });
      const proposal = await proposeIdentityCheck(trx, ctx, by, row, input.agent !== null);
      // Recipients owed a notice of the restriction are on the card: read them with the rest.
      view = restricted.length > 0 ? await loadRequestView(trx, row.id, env) : newRequestView(row, proposal, repeat?.reference ?? null, env);
    }
    await postCard(trx, platform, renderRequestCard(view));
    // Last: the audit chain's lock is held from here to commit, so keep that stretch short.
    await appendAuditEvent(trx, {
      actor: by.key,
      action: 'request.logged',
      subject: reference,
      occurredAt: now,
      facts: {
        type: input.type, received_on: receivedOn, due_on: row.due_on, via: input.via, processor_route: processorRoute,
        agent: input.agent !== null, controller_named: input.controller !== null,
        contact_ids: contactIds, possible_repeat_of_ref: repeat?.reference ?? null,
        ...(objection ? { objection_about: objection.about, erase_asked: objection.erase, restricted_ids: restricted } : {}),
      },
    });
    return row;
  }).catch(async (error: unknown) => {
    await recordUnusedReference(ctx, by, reference, now);
    throw error;
  });
  ctx.logger.info({ ref: request.reference, type: request.type }, 'request logged');
  return ok(request);
}

/**
 * The intake that took `reference` failed, so the number stays unused: say so in the audit chain,
 * so the gap it leaves in the register is accounted for. Best effort: the register may be the
 * reason the intake failed, and then the log line is what remains.
 */
async function recordUnusedReference(ctx: ServiceContext, by: Actor, reference: string, now: Date): Promise<void> {
  try {
    await ctx.db.transaction((trx) => appendAuditEvent(trx, { actor: by.key, action: 'request.reference_unused', subject: reference, occurredAt: now, facts: {} }));
  } catch (error) {
    ctx.logger.warn({ ref: reference, err: (error as Error)?.message }, 'an intake failed after taking its reference, and the unused number could not be recorded');
  }
  ctx.logger.warn({ ref: reference }, 'an intake failed after taking its reference; the number is left unused');
}

/** The action proposal that follows a verified identity (see cast-vote.ts); `heldContactIds` among the matched rows. */
export function actionPlanFor(request: RequestRow, heldContactIds: readonly number[] = []) {
  return planAction({
    reference: request.reference,
    type: request.type,
    contactIds: matchedContactIds(request),
    controller: request.controller,
    corrections: request.details.corrections as Record<string, string> | undefined,
    heldContactIds,
    ...(objectionToOther(request) ? { objectionToOther: { erase: objectionOf(request)?.erase === true } } : {}),
  });
}

/** The identity check the committee votes on first (IDENTITY_QUORUM). */
async function proposeIdentityCheck(trx: Knex.Transaction, ctx: ServiceContext, by: Actor, request: RequestRow, agent: boolean): Promise<ProposalRow> {
  return insertProposal(trx, {
    kind: 'identity',
    request_id: request.id,
    quorum: ctx.config.identityQuorum,
    proposed_by: 'govbot',
    requested_by: by.key,
    summary: {
      reference: request.reference,
      heading: 'Identity check',
      buttonNoun: 'identity',
      description: agent
        ? `Confirm the individual's identity and the agent's written authority to act for them. If you must ask for either: /dsr pause ${request.reference} identity (or authority); the clock then starts afresh, day one, on the day it arrives.`
        : `Confirm the individual's identity from what they sent. If you must ask for more: /dsr pause ${request.reference} identity; the clock then starts afresh, day one, on the day it arrives.`,
    },
  });
}

export function objectionOf(request: RequestRow): { about: ObjectionScope; erase: boolean } | null {
  const objection = request.details.objection as { about?: unknown; erase?: unknown } | undefined;
  if (!objection || (objection.about !== 'marketing' && objection.about !== 'other')) return null;
  return { about: objection.about, erase: objection.erase === true };
}

/** An objection the committee decides on compelling grounds (Art 21(1)), not a marketing opt-out. */
export function objectionToOther(request: RequestRow): boolean {
  return request.type === 'objection' && needsGroundsDecision(objectionOf(request)?.about);
}

export function matchedContactIds(request: RequestRow): number[] {
  return (request.details.matchedContactIds as number[] | undefined) ?? [];
}
