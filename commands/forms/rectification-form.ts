import { RECTIFIABLE_FIELDS } from '../../src/domain/action-plans.js';
import type { FormSpec } from '../../src/chat/reply.js';

const LABELS: Readonly<Record<(typeof RECTIFIABLE_FIELDS)[number], string>> = {
  email: 'Corrected email address',
  full_name: 'Corrected full name',
  phone: 'Corrected phone number',
  address: 'Corrected postal address',
  company: 'Corrected company',
};

/**
 * The form behind a rectification card's "Enter corrections" button: one optional box per field
 * the register holds; empty boxes mean "no change". The submission goes to `submitCorrections`
 * with `context.requestId`, which checks the values and answers what was wrong.
 */
export function rectificationForm(requestId: number): FormSpec {
  return {
    id: 'rectification',
    title: 'Enter corrections',
    submitLabel: 'Save corrections',
    fields: RECTIFIABLE_FIELDS.map((id) => ({ id, label: LABELS[id], type: id === 'email' ? 'email' : 'text', optional: true })),
    context: { requestId: String(requestId) },
  };
}

/** The submitted boxes that were filled in, as `submitCorrections` takes them. */
export function rectificationValues(values: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const corrections: Record<string, string> = {};
  for (const field of RECTIFIABLE_FIELDS) {
    const value = values[field]?.trim();
    if (value) corrections[field] = value;
  }
  return corrections;
}
