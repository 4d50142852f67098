import { RECTIFIABLE_FIELDS, type RectifiableField } from '../../domain/action-plans.js';
import { isValidEmail } from '../../domain/email.js';
import { replaceActionParams } from '../../register/actions.js';
import { updateRequest } from '../../register/requests.js';
import { contactValues, correctContacts } from '../../register/subject-data.js';
import { previousValueDigest } from '../../domain/suppression.js';
import { describeRecords, type ActionExecutor } from './executor.js';

/**
 * Rectification: sets only the corrected fields, as recorded on the request, on the approved rows.
 * Afterwards the corrected values live in the register alone: the request's and the action's copies
 * are dropped (field names kept), so that a later erasure or deletion review reaches every copy.
 */
export const rectify: ActionExecutor = async (trx, env, { action, request, contactIds, now }) => {
  const fields = correctionsOf(request.details.corrections);
  // In the form's order, not jsonb's (which sorts keys by length).
  const names = RECTIFIABLE_FIELDS.filter((field) => field in fields);
  if (names.length === 0) throw new Error('no corrected values are recorded on the request: enter them with the card\'s "Enter corrections" button, then approve again');
  // What each field held, as a keyed digest: the trail proves the change without keeping the values.
  const before = await contactValues(trx, contactIds, names);
  // One digest per field, in the order of `fields` in the facts (field names as keys would read as personal data).
  const previous = before.map((row) => ({ contact_id: row.id, digests: names.map((field) => previousValueDigest(env.pepper, field, row[field] ?? null)) }));
  const changed = await correctContacts(trx, contactIds, fields, now);
  const { corrections: _dropped, ...details } = request.details;
  await updateRequest(trx, request.id, { details });
  await replaceActionParams(trx, action.id, { contactIds: [...contactIds], correctedFields: names });
  return {
    summary: `Rectified ${names.join(', ')} on ${describeRecords(changed)}; the corrected values are in the register, not shown here.`,
    facts: { contact_ids: changed, fields: names, changed_count: changed.length, previous_value_digests: previous },
  };
};

/** The corrections as the intake form stored them; a blank value clears an optional field. */
function correctionsOf(value: unknown): Partial<Record<RectifiableField, string | null>> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error('the corrections recorded on the request are malformed');
  const fields: Partial<Record<RectifiableField, string | null>> = {};
  for (const [key, raw] of Object.entries(value)) {
    // The messages name the field, never the value: they end up on the card and in the log.
    if (!(RECTIFIABLE_FIELDS as readonly string[]).includes(key)) throw new Error(`the corrections name "${key}", which is not a field that can be corrected (${RECTIFIABLE_FIELDS.join(', ')})`);
    if (typeof raw !== 'string') throw new Error(`the corrected ${key} is not text`);
    const text = raw.trim();
    if (key === 'email' && !isValidEmail(text.toLowerCase())) throw new Error('the corrected email is not a valid address: enter it again with the card\'s button');
    fields[key as RectifiableField] = text === '' ? null : text;
  }
  return fields;
}
