import type { Knex } from 'knex';
import { planAction } from '../domain/action-plans.js';
import { addDays, dateInTimeZone, type IsoDate } from '../domain/dates.js';
import { maskEmail } from '../domain/masking.js';
import { formatRequestRef } from '../domain/references.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Channel, RequestType } from '../domain/request-types.js';
import { needsGroundsDecision, parseObjectionScope, type ObjectionScope } from '../domain/objection.js';
import { normaliseEmail, phoneSuppressionHash, suppressionHash } from '../domain/suppression.js';
import { suppressionEntries } from '../register/suppression-list.js';
import { oweRecipientNotices } from '../register/recipient-notices.js';
import { restrictContacts } from '../register/restrictions.js';
import type { Actor } from '../chat/actor.js';
import { renderRequestCard } from '../chat/cards/request-card.js';
import { appendAuditEvent, auditAppendCall, checkedAuditEvent, type NewAuditEvent } from '../register/audit-events.js';
import { insertIntake, intakeLookups } from '../register/intake.js';
import { outboxValues } from '../register/outbox.js';
import { insertProposal, requesterIdentities, type ProposalRow } from '../register/proposals.js';
import { findRequestByDeliveryKey, insertRequest, type NewRequest, type RequestRow } from '../register/requests.js';
import { cardPost, postCard } from './card-messages.js';
import { COMMITTEE_CHANNEL_KEYS, platformForNewCardAmong } from './committee-channel.js';
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
  const processorRoute = input.controller !== null;
  // The common intake (an identity check, nothing restricted) is written in one statement, its card
  // rendered beforehand from the rows it will write, with ids taken by the lookups.
  const oneStatement = !processorRoute && !restrictNow;
  const year = Number(receivedOn.slice(0, 4));
  const found = await intakeLookups(ctx.db, {
    year, email: normaliseEmail(input.email), subjectHmac, type: input.type, repeatSince: addDays(receivedOn, -REPEAT_WINDOW_DAYS),
    requestedBy: by.key, settingKeys: COMMITTEE_CHANNEL_KEYS, preassignIds: oneStatement,
  });
  const reference = formatRequestRef(year, found.sequence);
  try {
    const contactIds = found.contacts.map((c) => c.id);
    // Intake checks every identifier against the suppression list: the email (read with the
    // lookups), and the matched rows' phones, whose keyed hashes need the pepper first.
    const phoneHashes = found.contacts.map((c) => (c.phone === null ? null : phoneSuppressionHash(ctx.pepper, c.phone))).filter((h): h is string => h !== null);
    const suppressed = [...found.suppressed, ...phoneHashes.length > 0 ? await suppressionEntries(ctx.db, phoneHashes) : []]
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map((e) => ({ kind: e.kind, reason: e.reason, tag: e.tag, sourceRef: e.sourceRef }));
    const env = clockEnv(ctx.config, now);
    // A new request has no history yet: its clock runs from receipt (or, processor route, to forwarding).
    const clock = requestClock({
      receivedOn, type: input.type, region: env.region, waits: [], extension: null, closedOn: null, today: env.today,
      processor: processorRoute ? { forwardWithinDays: ctx.config.forwardWithinDays, forwardedOn: null } : null,
    });
    const platform = platformForNewCardAmong(ctx.config, by.platform, found.settings);
    const fields = (restricted: readonly number[]): NewRequest => ({
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
      possible_repeat_of: found.repeat?.id ?? null,
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
    const audit = (row: RequestRow, restricted: readonly number[]): NewAuditEvent => ({
      actor: by.key,
      action: 'request.logged',
      subject: reference,
      occurredAt: now,
      facts: {
        type: input.type, received_on: receivedOn, due_on: row.due_on, via: input.via, processor_route: processorRoute,
        agent: input.agent !== null, controller_named: input.controller !== null,
        contact_ids: contactIds, possible_repeat_of_ref: found.repeat?.reference ?? null,
        ...(objection ? { objection_about: objection.about, erase_asked: objection.erase, restricted_ids: restricted } : {}),
      },
    });

    let request: RequestRow;
    if (oneStatement && found.ids) {
      const ids = found.ids;
      const row: RequestRow = {
        ...fields([]), id: ids.request, paused_days: 0, forwarded_on: null, clock_model: 2, extended: false, extension_reason: null,
        status: 'received', status_reason: null, created_at: now, closed_at: null, relevant_on: clock.relevantDay,
      };
      const proposal = { id: ids.proposal, ...identityProposal(ctx, by, row, input.agent !== null), request_id: row.id, requester_identities: requesterIdentities(by.key, found.requesterGroup) };
      const proposalRow: ProposalRow = { purge_batch_id: null, status: 'open', decision_reason: null, decided_at: null, created_at: now, ...proposal };
      const card = renderRequestCard(newRequestView(row, proposalRow, found.repeat?.reference ?? null, env));
      request = await insertIntake(ctx.db, {
        request: { ...fields([]), id: row.id },
        proposal: { ...proposal, summary: JSON.stringify(proposal.summary) },
        outbox: outboxValues(cardPost(platform, card)),
        audit: auditAppendCall(checkedAuditEvent(audit(row, []))),
      });
    } else {
      request = await ctx.db.transaction(async (trx) => {
        // Only the rows this objection restricts are lifted if it is not upheld (Art 18(3)): a row
        // already restricted on another basis stays so.
        const restricted = restrictNow ? await restrictContacts(trx, contactIds, now) : [];
        const row = await insertRequest(trx, fields(restricted));
        // A restriction carried out under Art 18 is told to each recipient of the contact data (Art 19).
        if (restricted.length > 0) await oweRecipientNotices(trx, row.id, 'restriction', now);
        if (processorRoute) {
          // Art 28(3)(e): the controller checks identity and answers; the company passes the request on at once.
          await proposeAction(trx, ctx, row, now);
        } else {
          await trx('identity_checks').insert({ request_id: row.id });
          await insertProposal(trx, { ...identityProposal(ctx, by, row, input.agent !== null), request_id: row.id });
        }
        // Recipients owed a notice, or the proposed forwarding, are on the card: read them with the rest.
        await postCard(trx, platform, renderRequestCard(await loadRequestView(trx, row.id, env)));
        // Last: the audit chain's lock is held from here to commit, so keep that stretch short.
        await appendAuditEvent(trx, audit(row, restricted));
        return row;
      });
    }
    ctx.logger.info({ ref: request.reference, type: request.type }, 'request logged');
    return ok(request);
  } catch (error) {
    await recordUnusedReference(ctx, by, reference, now);
    throw error;
  }
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

/** The identity check the committee votes on first (IDENTITY_QUORUM), as proposals.ts inserts it. */
function identityProposal(ctx: ServiceContext, by: Actor, request: Pick<RequestRow, 'reference'>, agent: boolean) {
  return {
    kind: 'identity' as const,
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
  };
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
