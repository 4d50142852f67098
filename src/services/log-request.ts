import { planAction } from '../domain/action-plans.js';
import { addDays, dateInTimeZone, type IsoDate } from '../domain/dates.js';
import { statutoryDueDate } from '../domain/deadlines.js';
import { maskEmail } from '../domain/masking.js';
import { formatRequestRef } from '../domain/references.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Channel, RequestType } from '../domain/request-types.js';
import { suppressionHash } from '../domain/suppression.js';
import type { Actor } from '../chat/actor.js';
import { renderRequestCard } from '../chat/cards/request-card.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { findContactsByEmail } from '../register/contacts.js';
import { insertProposal } from '../register/proposals.js';
import { nextSequence } from '../register/reference-counters.js';
import { findRecentRequestBySubject, insertRequest, type RequestRow } from '../register/requests.js';
import { postCard } from './card-messages.js';
import { platformForNewCard } from './committee-channel.js';
import type { ServiceContext } from './context.js';
import { loadRequestView } from './request-view.js';

export interface NewRequestInput {
  readonly type: RequestType;
  readonly email: string;
  readonly fullName: string | null;
  readonly receivedOn: IsoDate | null;
  readonly via: Channel;
  readonly agent: string | null;
  readonly controller: string | null;
  readonly corrections?: Record<string, string>;
}

/** A second request from the same subject within this many days is flagged as possibly repetitive. */
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

  const subjectHmac = suppressionHash(ctx.pepper, input.email);
  const contacts = await findContactsByEmail(ctx.db, input.email);
  const contactIds = contacts.map((c) => c.id);
  const repeat = await findRecentRequestBySubject(ctx.db, subjectHmac, addDays(receivedOn, -REPEAT_WINDOW_DAYS));

  const request = await ctx.db.transaction(async (trx) => {
    const year = Number(receivedOn.slice(0, 4));
    const reference = formatRequestRef(year, await nextSequence(trx, 'request', year));
    const platform = await platformForNewCard(trx, ctx.config, by.platform);
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
      due_on: statutoryDueDate({ receivedOn, region: ctx.config.bankHolidayRegion }),
      possible_repeat_of: repeat?.id ?? null,
      requested_by: by.key,
      details: {
        platform,
        matchedContactIds: contactIds,
        maskedSubject: maskEmail(input.email),
        ...(input.corrections && Object.keys(input.corrections).length > 0 ? { corrections: input.corrections } : {}),
      },
    });
    await trx('identity_checks').insert({ request_id: row.id });
    await insertProposal(trx, {
      kind: 'identity',
      request_id: row.id,
      quorum: ctx.config.identityQuorum,
      proposed_by: 'govbot',
      requested_by: by.key,
      summary: {
        reference,
        heading: 'Identity check',
        buttonNoun: 'identity',
        description: input.agent
          ? 'Confirm the individual\'s identity and the agent\'s written authority to act for them. Pause the clock with /dsr pause <ref> identity while evidence is awaited.'
          : 'Confirm the individual\'s identity from what they sent. Pause the clock with /dsr pause <ref> identity while evidence is awaited.',
      },
    });
    await postCard(trx, platform, renderRequestCard(await loadRequestView(trx, row.id)));
    // Last: the audit chain's lock is held from here to commit, so keep that stretch short.
    await appendAuditEvent(trx, {
      actor: by.key,
      action: 'request.logged',
      subject: reference,
      occurredAt: now,
      facts: {
        type: input.type, received_on: receivedOn, due_on: row.due_on, via: input.via,
        agent: input.agent !== null, controller_named: input.controller !== null,
        contact_ids: contactIds, possible_repeat_of_ref: repeat?.reference ?? null,
      },
    });
    return row;
  });
  ctx.logger.info({ ref: request.reference, type: request.type }, 'request logged');
  return ok(request);
}

/** The action proposal that follows a verified identity (see cast-vote.ts); `heldContactIds` among the matched rows. */
export function actionPlanFor(request: RequestRow, heldContactIds: readonly number[] = []) {
  return planAction({
    type: request.type,
    contactIds: matchedContactIds(request),
    controller: request.controller,
    corrections: request.details.corrections as Record<string, string> | undefined,
    heldContactIds,
  });
}

export function matchedContactIds(request: RequestRow): number[] {
  return (request.details.matchedContactIds as number[] | undefined) ?? [];
}
