import type { Knex } from 'knex';
import { acknowledgementDue, outcomeDue, type ComplaintChannel } from '../domain/complaints.js';
import { addDays, dateInTimeZone, type IsoDate } from '../domain/dates.js';
import { normaliseEmail, parseEmail } from '../domain/email.js';
import { maskEmail } from '../domain/masking.js';
import { formatComplaintRef, parseBreachRef, parseComplaintRef, parseRequestRef } from '../domain/references.js';
import { err, ok, type Result } from '../domain/result.js';
import { suppressionHash } from '../domain/suppression.js';
import { complaintLine, renderComplaintCard, renderComplaintDetail } from '../chat/cards/complaint-card.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { lockBreachByRef } from '../register/breaches.js';
import { findMember, type Platform } from '../register/committee.js';
import type { Actor } from '../chat/actor.js';
import {
  complaintsAbout, findComplaintByRef, getComplaint, insertComplaint, listComplaints, lockComplaintById, lockComplaintByRef,
  updateComplaint, type ComplaintRow, type ComplaintWithAbout,
} from '../register/complaints.js';
import type { Db } from '../register/database.js';
import { nextSequence } from '../register/reference-counters.js';
import { findRequestByRef } from '../register/requests.js';
import { postCard, refreshRequestCard, updateCard } from './card-messages.js';
import { platformForNewCard } from './committee-channel.js';
import { clockEnv } from './request-clock.js';
import type { ServiceContext } from './context.js';
import { refreshBreachCard } from './breaches.js';

/**
 * The complaints register (DPA 2018 s.164A): logged from chat or the public form, acknowledged
 * within 30 days, the outcome told without undue delay. Each change writes the register, the audit
 * event (ids and dates, never the complainant or their words) and the card, in one transaction.
 */

export const MAX_COMPLAINT_TEXT = 4000;
export const MAX_NAME = 200;

/** Who logged it: a committee member in chat, or the public form (key `public web form`). */
export interface ComplaintOrigin {
  readonly key: string;
  readonly platform: Platform;
}

export interface NewComplaintInput {
  readonly email: string;
  readonly name: string | null;
  readonly summary: string;
  readonly receivedOn: IsoDate | null;
  readonly via: ComplaintChannel;
  /** A request (`DSR-…`) or breach (`BR-…`) reference it is about. */
  readonly about: string | null;
  /**
   * The public form: link `about` only to the complainant's own request (same email), and otherwise
   * keep the reference they gave in the summary, so the answer never tells whether a reference exists.
   */
  readonly aboutOwnOnly?: boolean;
}

export async function logComplaint(ctx: ServiceContext, by: ComplaintOrigin, input: NewComplaintInput): Promise<Result<ComplaintRow>> {
  const now = ctx.clock();
  const today = dateInTimeZone(now, ctx.config.timezone);
  const email = parseEmail(normaliseEmail(input.email));
  if (!email.ok) return email;
  const summary = input.summary.trim();
  if (summary === '') return err('Say what the complaint is about, in a few words');
  if (summary.length > MAX_COMPLAINT_TEXT) return err(`Keep the complaint to ${MAX_COMPLAINT_TEXT} characters`);
  const name = input.name?.trim() || null;
  if (name !== null && name.length > MAX_NAME) return err(`Keep the name to ${MAX_NAME} characters`);
  const receivedOn = input.receivedOn ?? today;
  if (receivedOn > today) return err(`the date of receipt ${receivedOn} is in the future: give the day the complaint arrived, e.g. --received ${today}`);

  const complainantHmac = suppressionHash(ctx.pepper, email.value);
  let text = summary;
  const complaint = await ctx.db.transaction(async (trx) => {
    let about: Result<About> = ok({ requestId: null, breachId: null, ref: null });
    if (input.about !== null && input.aboutOwnOnly) {
      const own = await findOwnRequest(trx, input.about, complainantHmac);
      if (own) about = ok(own);
      else text = `${summary}\n(Reference given on the form: ${input.about.trim()})`;
    } else if (input.about !== null) {
      about = await findAbout(trx, input.about);
    }
    if (!about.ok) return about;
    const year = Number(receivedOn.slice(0, 4));
    const reference = formatComplaintRef(year, await nextSequence(trx, 'complaint', year));
    const platform = await platformForNewCard(trx, ctx.config, by.platform);
    const row = await insertComplaint(trx, {
      reference, received_on: receivedOn, received_via: input.via,
      complainant_email: email.value, complainant_name: name, complainant_hmac: complainantHmac,
      masked_complainant: maskEmail(email.value), summary: text,
      about_request_id: about.value.requestId, about_breach_id: about.value.breachId,
      ack_due_on: acknowledgementDue(receivedOn), outcome_due_on: outcomeDue(receivedOn, ctx.config.complaintResponseDays),
      logged_by: by.key, platform,
    });
    await postCard(trx, platform, renderComplaintCard({ ...row, about_ref: about.value.ref }, today));
    await refreshAbout(trx, ctx, about.value);
    await appendAuditEvent(trx, {
      actor: by.key, action: 'complaint.logged', subject: reference, occurredAt: now,
      facts: { complaint_id: row.id, received_on: receivedOn, via: input.via, ack_due_on: row.ack_due_on, outcome_due_on: row.outcome_due_on, about: about.value.ref },
    });
    return ok(row);
  });
  if (complaint.ok) ctx.logger.info({ ref: complaint.value.reference, via: input.via }, 'complaint logged');
  return complaint;
}

interface About { requestId: number | null; breachId: number | null; ref: string | null }

async function findAbout(trx: Knex.Transaction, text: string): Promise<Result<About>> {
  const word = text.trim();
  if (/^dsr-/i.test(word)) {
    const ref = parseRequestRef(word);
    if (!ref.ok) return ref;
    const request = await findRequestByRef(trx as unknown as Db, ref.value.ref);
    return request ? ok({ requestId: request.id, breachId: null, ref: request.reference }) : err(`There is no request ${ref.value.ref}; /dsr list all shows them`);
  }
  if (/^br-/i.test(word)) {
    const ref = parseBreachRef(word);
    if (!ref.ok) return ref;
    const breach = await trx('breaches').where({ reference: ref.value.ref }).first<{ id: number } | undefined>('id');
    return breach ? ok({ requestId: null, breachId: breach.id, ref: ref.value.ref }) : err(`There is no breach ${ref.value.ref}; /gov breach list shows them`);
  }
  return err(`--about takes a request or breach reference, e.g. --about DSR-2026-0001 or --about BR-2026-001, not "${word.slice(0, 40)}"`);
}

async function findOwnRequest(trx: Knex.Transaction, text: string, complainantHmac: string): Promise<About | null> {
  const ref = parseRequestRef(text);
  if (!ref.ok) return null;
  const request = await findRequestByRef(trx as unknown as Db, ref.value.ref);
  return request && request.subject_hmac === complainantHmac ? { requestId: request.id, breachId: null, ref: request.reference } : null;
}

/** The request or breach card lists the complaints about it: re-render it. */
async function refreshAbout(trx: Knex.Transaction, ctx: ServiceContext, about: About): Promise<void> {
  if (about.requestId !== null) await refreshRequestCard(trx, about.requestId, clockEnv(ctx.config, ctx.clock()));
  if (about.breachId !== null) {
    const breach = await trx('breaches').where({ id: about.breachId }).first('reference');
    const locked = await lockBreachByRef(trx, breach.reference);
    if (locked) await refreshBreachCard(trx, locked, ctx.config.timezone);
  }
}

export type ComplaintTarget = { readonly reference: string } | { readonly id: number };

export interface ComplaintChange {
  readonly complaint: ComplaintWithAbout;
  readonly message: string;
}

/** Records the acknowledgement (`on`, default today); a second one changes nothing and says when it was. */
export async function acknowledgeComplaint(ctx: ServiceContext, by: { key: string }, target: ComplaintTarget, on: IsoDate | null = null): Promise<Result<ComplaintChange>> {
  const now = ctx.clock();
  const today = dateInTimeZone(now, ctx.config.timezone);
  const day = on ?? today;
  if (day > today) return err(`${day} is in the future: give the day the complainant was sent the acknowledgement, e.g. --on ${today}`);
  return ctx.db.transaction(async (trx) => {
    const locked = await lockTarget(trx, target);
    if (!locked.ok) return locked;
    const complaint = locked.value;
    if (complaint.acknowledged_on !== null) {
      return err(`${complaint.reference} was already acknowledged on ${complaint.acknowledged_on}; nothing was changed`);
    }
    if (day < complaint.received_on) return err(`${day} is before ${complaint.reference} was received (${complaint.received_on}); give the day the acknowledgement was sent`);
    const updated = await updateComplaint(trx, complaint.id, { acknowledged_on: day, acknowledged_by: by.key, status: 'acknowledged' });
    const view = await getComplaint(trx, updated.id);
    await updateCard(trx, updated.platform, renderComplaintCard(view, today));
    await appendAuditEvent(trx, {
      actor: by.key, action: 'complaint.acknowledged', subject: updated.reference, occurredAt: now,
      facts: { complaint_id: updated.id, acknowledged_on: day, ack_due_on: updated.ack_due_on, late: day > updated.ack_due_on },
    });
    const late = day > updated.ack_due_on ? ` That was after ${updated.ack_due_on}, the 30-day date.` : '';
    return ok({ complaint: view, message: `Recorded: ${updated.reference} acknowledged on ${day}.${late} The outcome is due by ${updated.outcome_due_on}: /gov complaint outcome ${updated.reference} <what the complainant was told>.` });
  });
}

export interface OutcomeInput {
  readonly reference: string;
  readonly outcome: string;
  readonly inquiries: string | null;
}

/** Records what the complainant was told and closes the complaint; an unacknowledged one is acknowledged by the same letter. */
export async function recordComplaintOutcome(ctx: ServiceContext, by: { key: string }, input: OutcomeInput): Promise<Result<ComplaintChange>> {
  const now = ctx.clock();
  const today = dateInTimeZone(now, ctx.config.timezone);
  const outcome = input.outcome.trim();
  if (outcome === '') return err('Say what the complainant was told');
  if (outcome.length > MAX_COMPLAINT_TEXT || (input.inquiries?.length ?? 0) > MAX_COMPLAINT_TEXT) return err(`Keep the outcome and the inquiries to ${MAX_COMPLAINT_TEXT} characters each`);
  return ctx.db.transaction(async (trx) => {
    const locked = await lockTarget(trx, { reference: input.reference });
    if (!locked.ok) return locked;
    const complaint = locked.value;
    if (complaint.status === 'closed') return err(`${complaint.reference} is closed: its outcome was recorded on ${complaint.outcome_on}; nothing was changed`);
    const acknowledged = complaint.acknowledged_on === null ? { acknowledged_on: today, acknowledged_by: by.key } : {};
    const updated = await updateComplaint(trx, complaint.id, {
      ...acknowledged, outcome, inquiries: input.inquiries?.trim() || null, outcome_on: today, outcome_by: by.key, status: 'closed',
    });
    const view = await getComplaint(trx, updated.id);
    await updateCard(trx, updated.platform, renderComplaintCard(view, today));
    await appendAuditEvent(trx, {
      actor: by.key, action: 'complaint.outcome-recorded', subject: updated.reference, occurredAt: now,
      facts: { complaint_id: updated.id, outcome_on: today, outcome_due_on: updated.outcome_due_on, late: today > updated.outcome_due_on, acknowledged_now: complaint.acknowledged_on === null, inquiries_recorded: updated.inquiries !== null },
    });
    return ok({ complaint: view, message: `Recorded the outcome of ${updated.reference}, told on ${today}; the complaint is closed.` });
  });
}

async function lockTarget(trx: Knex.Transaction, target: ComplaintTarget): Promise<Result<ComplaintRow>> {
  if ('id' in target) {
    const row = await lockComplaintById(trx, target.id);
    return row ? ok(row) : err('That complaint is not in the register (the card may be from another installation); nothing was changed');
  }
  const parsed = parseComplaintRef(target.reference);
  if (!parsed.ok) return parsed;
  const row = await lockComplaintByRef(trx, parsed.value.ref);
  return row ? ok(row) : err(`There is no complaint ${parsed.value.ref}; /gov complaint list shows them`);
}

/** Closed complaints stay on `/gov complaint list` this long. */
export const RECENT_DAYS = 30;

export async function listComplaintLines(ctx: ServiceContext): Promise<string[]> {
  const today = dateInTimeZone(ctx.clock(), ctx.config.timezone);
  const rows = await listComplaints(ctx.db, addDays(today, -RECENT_DAYS), 50);
  return rows.map((c) => complaintLine(c, today));
}

export async function describeComplaint(ctx: ServiceContext, reference: string): Promise<Result<string>> {
  const parsed = parseComplaintRef(reference);
  if (!parsed.ok) return parsed;
  const row = await findComplaintByRef(ctx.db, parsed.value.ref);
  if (!row) return err(`There is no complaint ${parsed.value.ref}; /gov complaint list shows them`);
  return ok(renderComplaintDetail(row, dateInTimeZone(ctx.clock(), ctx.config.timezone)));
}

/** "CMP-2026-001 (open)": the complaints about a request or breach, for its card and `/dsr show`. */
export async function complaintRefsAbout(db: Db | Knex.Transaction, about: { requestId: number } | { breachId: number }): Promise<string[]> {
  return (await complaintsAbout(db, about)).map((c) => `${c.reference} (${c.status})`);
}

/** The card's `Acknowledge complaint` button: committee members only, like the command. */
export async function acknowledgeComplaintByClick(ctx: ServiceContext, by: Actor, complaintId: number): Promise<Result<ComplaintChange>> {
  if (!await findMember(ctx.db, by.platform, by.userId)) {
    return err('Only committee members can acknowledge a complaint; nothing was changed. Ask a chair to add you with /gov members add.');
  }
  const result = await acknowledgeComplaint(ctx, by, { id: complaintId });
  if (result.ok) ctx.kickJob('deliver-outbox');
  return result;
}
