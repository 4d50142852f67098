import { parseIsoDate } from '../../src/domain/dates.js';
import { parseEmail } from '../../src/domain/email.js';
import { parseObjectionScope } from '../../src/domain/objection.js';
import { CHANNELS, REQUEST_TYPES, REQUEST_TYPE_NAMES, parseChannel, parseRequestType } from '../../src/domain/request-types.js';
import { storableText } from '../../src/domain/storable-text.js';
import type { FormSpec } from '../../src/chat/reply.js';
import type { NewRequestInput } from '../../src/services/log-request.js';

/** The intake form (Slack modal, Teams dialog): the same fields as `/dsr new`, checked the same way. */
export const INTAKE_FORM: FormSpec = {
  id: 'intake',
  title: 'New data subject request',
  submitLabel: 'Log request',
  fields: [
    { id: 'type', label: 'Type of request', type: 'select', options: REQUEST_TYPE_NAMES.map((t) => ({ value: t, label: REQUEST_TYPES[t] })) },
    { id: 'email', label: "Individual's email address", type: 'email' },
    { id: 'full_name', label: "Individual's full name", type: 'text', optional: true },
    { id: 'received', label: 'Date received', type: 'date', optional: true, hint: 'Leave empty for today.' },
    { id: 'via', label: 'Received by', type: 'select', optional: true, options: CHANNELS.map((c) => ({ value: c, label: c })), hint: 'Default: email.' },
    { id: 'agent', label: 'Made on their behalf by (agent)', type: 'text', optional: true, hint: 'Only if someone else asked for them: proof of authority will be needed.' },
    { id: 'controller', label: 'Customer who controls this data', type: 'text', optional: true, hint: 'Only if the data is processed for a customer: the request goes to them.' },
    {
      id: 'objection', label: 'The objection is to (objection)', type: 'select', optional: true,
      options: [
        { value: 'marketing', label: 'Direct marketing' },
        { value: 'other', label: 'Other processing: referee or case-study use, profiling' },
        { value: 'other-erase', label: 'Other processing, and erase my data if upheld' },
      ],
      hint: 'Needed for an objection: marketing is absolute; other processing is restricted at once while the committee decides.',
    },
    { id: 'corrections', label: 'Corrected values (rectification)', type: 'multiline', optional: true, hint: 'One per line, e.g. full_name=Jane Smith' },
  ],
};

export const MAX_TEXT = 200;
/**
 * UK GDPR and the Data Protection Act 2018 began on this day: the statutory clocks govbot keeps
 * start no earlier. It also keeps a typo (0001-01-01) from reaching dates Postgres cannot store.
 */
export const EARLIEST_RECEIPT = '2018-05-25';

export type FieldErrors = Record<string, string>;

/** Checks a submitted intake form; errors are per field, so the platform can show them inline. */
export function parseIntakeForm(submitted: Readonly<Record<string, string | undefined>>): { ok: true; value: NewRequestInput } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const { values, unstorable } = storableValues(submitted);
  const text = (id: string) => {
    const value = values[id]?.trim() ?? '';
    if (value.length > MAX_TEXT) errors[id] = `At most ${MAX_TEXT} characters, please.`;
    return value === '' ? null : value;
  };
  const type = parseRequestType(values.type ?? '');
  if (!type.ok) errors.type = type.error;
  const email = parseEmail(values.email ?? '');
  if (!email.ok) errors.email = email.error;
  const received = values.received?.trim() ? parseIsoDate(values.received.trim()) : null;
  if (received && !received.ok) errors.received = received.error;
  else if (received && received.value < EARLIEST_RECEIPT) errors.received = `${received.value} is before ${EARLIEST_RECEIPT}, when UK GDPR's clocks began: give the day the request arrived.`;
  const via = values.via?.trim() ? parseChannel(values.via.trim()) : null;
  if (via && !via.ok) errors.via = via.error;
  const corrections = parseCorrections(values.corrections ?? '');
  if (!corrections.ok) errors.corrections = corrections.error;
  const objectionWord = values.objection?.trim() ?? '';
  const erase = /-erase$/.test(objectionWord);
  const objection = type.ok && type.value === 'objection' ? parseObjectionScope(objectionWord.replace(/-erase$/, '')) : null;
  if (objection && !objection.ok) errors.objection = objection.error;
  const fullName = text('full_name');
  const agent = text('agent');
  const controller = text('controller');
  Object.assign(errors, unstorable);
  if (Object.keys(errors).length > 0 || !type.ok || !email.ok || !corrections.ok) return { ok: false, errors };
  return {
    ok: true,
    value: {
      type: type.value,
      email: values.email!.trim(),
      fullName,
      receivedOn: received && received.ok ? received.value : null,
      via: via && via.ok ? via.value : 'email',
      agent,
      controller,
      corrections: corrections.value,
      ...(objection && objection.ok ? { objection: { about: objection.value, erase: erase && objection.value === 'other' } } : {}),
    },
  };
}

/** Each box well-formed; one holding what Postgres cannot store is refused beside that box. */
function storableValues(submitted: Readonly<Record<string, string | undefined>>): { values: Record<string, string | undefined>; unstorable: FieldErrors } {
  const values: Record<string, string | undefined> = {};
  const unstorable: FieldErrors = {};
  for (const { id } of INTAKE_FORM.fields) {
    const raw = submitted[id];
    if (raw === undefined) continue;
    const checked = storableText(raw);
    if (checked.ok) values[id] = checked.value;
    else unstorable[id] = `This ${checked.error}.`;
  }
  return { values, unstorable };
}

const CORRECTABLE = ['email', 'full_name', 'phone', 'address', 'company'];

/** `field=value` lines for rectification; only the register's personal-data fields. */
export function parseCorrections(text: string): { ok: true; value: Record<string, string> } | { ok: false; error: string } {
  const value: Record<string, string> = {};
  for (const line of text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
    const match = /^([a-z_]+)\s*=\s*(.*)$/.exec(line);
    if (!match || !CORRECTABLE.includes(match[1]!)) {
      return { ok: false, error: `"${line.slice(0, 40)}" is not field=value with a field among ${CORRECTABLE.join(', ')}` };
    }
    if (match[2]!.length === 0 || match[2]!.length > MAX_TEXT) return { ok: false, error: `${match[1]} needs a value of 1 to ${MAX_TEXT} characters` };
    if (match[1] === 'email' && !parseEmail(match[2]!).ok) return { ok: false, error: `email "${match[2]!.slice(0, 40)}" is not a valid email address` };
    value[match[1]!] = match[2]!;
  }
  return { ok: true, value };
}
