import { RECTIFIABLE_FIELDS, type RectifiableField } from '../domain/action-plans.js';
import { parseEmail } from '../domain/email.js';
import { err, ok, type Result } from '../domain/result.js';
import { storableText } from '../domain/storable-text.js';
import type { Actor } from '../chat/actor.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { findMember } from '../register/committee.js';
import { contactValues } from '../register/subject-data.js';
import { maskEmail, maskName } from '../domain/masking.js';
import { decideProposal, lockOpenProposals, openProposalOfKind } from '../register/proposals.js';
import { lockRequest, updateRequest } from '../register/requests.js';
import { refreshRequestCard } from './card-messages.js';
import { clockEnv } from './request-clock.js';
import type { ServiceContext } from './context.js';
import { proposeAction } from './decisions/request-decisions.js';

/** Longest value accepted for one field, as on the intake form. */
export const MAX_CORRECTION_LENGTH = 200;

/**
 * The corrected values of a rectification request, entered by a committee member once the
 * identity is verified (the "Enter corrections" button). They replace any given before; the open
 * action proposal is superseded by one that names the fields to change (never the values), so
 * votes are only ever cast on the corrections as they now stand.
 */
export async function submitCorrections(ctx: ServiceContext, by: Actor, requestId: number, corrections: Record<string, string>): Promise<Result<string>> {
  const checked = checkCorrections(corrections);
  if (!checked.ok) return checked;
  if (!await findMember(ctx.db, by.platform, by.userId)) {
    return err('Only committee members can enter corrections. Ask a chair to add you with /gov members add.');
  }
  const now = ctx.clock();
  return ctx.db.transaction(async (trx): Promise<Result<string>> => {
    await lockOpenProposals(trx, requestId); // a vote's order: proposal, then request (no deadlock)
    const request = await lockRequest(trx, requestId);
    if (!request) return err('That request does not exist (the card may be from another installation).');
    if (request.type !== 'rectification') return err(`${request.reference} is not a rectification request, so it takes no corrections.`);
    const open = await openProposalOfKind(trx, request.id, 'action');
    if (request.status !== 'identity-verified' || !open) {
      return err(`${request.reference} is not awaiting corrections: they are entered after the identity is verified and before the rectification is approved.`);
    }
    const updated = await updateRequest(trx, request.id, { details: { ...request.details, corrections: checked.value } });
    await decideProposal(trx, open.id, 'superseded', 'corrections entered', now);
    const matched = (updated.details.matchedContactIds as number[] | undefined) ?? [];
    const fields = Object.keys(checked.value).sort() as RectifiableField[];
    const current = await contactValues(trx, matched, fields);
    const proposal = await proposeAction(trx, ctx, updated, now, { by: by.key, description: describeChanges(current, checked.value) });
    await appendAuditEvent(trx, {
      actor: by.key, action: 'request.corrections_entered', subject: request.reference, occurredAt: now,
      // Field names only: the values are the personal data being corrected.
      facts: { fields, superseded_proposal_id: open.id, proposal_id: proposal.id },
    });
    await refreshRequestCard(trx, request.id, clockEnv(ctx.config, now));
    return ok(`Corrections to ${fields.join(', ')} recorded for ${request.reference}; the rectification now awaits approval on its card.`);
  });
}

/**
 * Old → new for each record and field, masked as every card is (CONTRACT section 5): emails and
 * names masked, phone numbers and addresses never shown, only that they change. What the approvers
 * need to see that the correction is the one asked for, and no more.
 */
export function describeChanges(current: ReadonlyArray<{ id: number } & Partial<Record<RectifiableField, string | null>>>, corrections: Partial<Record<RectifiableField, string>>): string {
  const fields = RECTIFIABLE_FIELDS.filter((field) => field in corrections);
  if (current.length === 0) return `No matching register record: nothing would change (${fields.join(', ')} given).`;
  const lines = current.map((row) => `record ${row.id}: ${fields.map((field) => `${field} ${shown(field, row[field] ?? null)} → ${shown(field, corrections[field] ?? null)}`).join('; ')}`);
  return `Set the corrected values (masked): ${lines.join('. ')}.`;
}

function shown(field: RectifiableField, value: string | null): string {
  if (value === null || value === '') return '(blank)';
  if (field === 'email') return maskEmail(value);
  if (field === 'full_name' || field === 'company') return maskName(value);
  return '(not shown)';
}

/** Only the register's personal-data fields, each with a usable value; emails normalised. */
export function checkCorrections(corrections: Record<string, string>): Result<Partial<Record<RectifiableField, string>>> {
  const value: Partial<Record<RectifiableField, string>> = {};
  for (const [field, raw] of Object.entries(corrections)) {
    if (!(RECTIFIABLE_FIELDS as readonly string[]).includes(field)) {
      return err(`"${field.slice(0, 40)}" cannot be corrected here; the fields are ${RECTIFIABLE_FIELDS.join(', ')}.`);
    }
    const storable = storableText(raw);
    if (!storable.ok) return err(`${field} ${storable.error}.`);
    const text = storable.value.trim();
    if (text === '') continue; // an empty box on the form means "no change"
    if (text.length > MAX_CORRECTION_LENGTH) return err(`${field} must be at most ${MAX_CORRECTION_LENGTH} characters.`);
    if (field === 'email') {
      const email = parseEmail(text);
      if (!email.ok) return err(`email: ${email.error}`);
      value.email = email.value;
    } else {
      value[field as RectifiableField] = text;
    }
  }
  if (Object.keys(value).length === 0) {
    return err(`Give at least one corrected value, among ${RECTIFIABLE_FIELDS.join(', ')}.`);
  }
  return ok(value);
}
