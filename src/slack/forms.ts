import type { FormSpec } from '../chat/reply.js';
import { RECTIFIABLE_FIELDS } from '../domain/action-plans.js';
import { storableText } from '../domain/storable-text.js';
import { checkCorrections } from '../services/submit-corrections.js';
import { rectificationValues } from '../../commands/forms/rectification-form.js';

/**
 * The reason form behind every Reject button, and the inline checks for the forms a card opens.
 * Checks run before the modal closes, so a mistake is shown beside the field it concerns.
 */
export const MAX_REASON = 1000;

export type FieldCheck<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

export function rejectReasonForm(proposalId: number): FormSpec {
  return {
    id: 'reject-reason',
    title: 'Reject',
    submitLabel: 'Reject',
    fields: [{ id: 'reason', label: 'Why? (recorded with the decision)', type: 'multiline', hint: 'Any Reject decides the proposal; the reason is shown on the card.' }],
    context: { proposalId: String(proposalId) },
  };
}

export function parseReason(values: Readonly<Record<string, string>>): FieldCheck<string> {
  const storable = storableText(values.reason ?? '');
  if (!storable.ok) return { ok: false, errors: { reason: `The reason ${storable.error}.` } };
  const reason = storable.value.trim();
  if (reason === '') return { ok: false, errors: { reason: 'Give a reason: it is recorded with the decision and shown on the card.' } };
  if (reason.length > MAX_REASON) return { ok: false, errors: { reason: `At most ${MAX_REASON} characters, please.` } };
  return { ok: true, value: reason };
}

/**
 * The filled-in boxes of the rectification form, checked field by field with the same rules
 * submitCorrections applies, so each error lands on its own box.
 */
export function parseCorrectionValues(values: Readonly<Record<string, string>>): FieldCheck<Record<string, string>> {
  const corrections = rectificationValues(values);
  const errors: Record<string, string> = {};
  for (const [field, value] of Object.entries(corrections)) {
    const checked = checkCorrections({ [field]: value });
    if (!checked.ok) errors[field] = checked.error;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  if (Object.keys(corrections).length === 0) {
    return { ok: false, errors: { [RECTIFIABLE_FIELDS[0]]: 'Enter at least one corrected value; leave the others empty.' } };
  }
  return { ok: true, value: corrections };
}
