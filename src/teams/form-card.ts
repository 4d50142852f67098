import type { FormField, FormSpec } from '../chat/reply.js';
import { isIsoDate } from '../domain/dates.js';
import { adaptiveCard, ADAPTIVE_CARD_CONTENT_TYPE, escapeMarkdown, openFormAction, textBlock, VERBS, type AdaptiveCard, type AdaptiveElement } from './adaptive-card.js';

/**
 * FormSpec → the Adaptive Card a Teams dialog (task module) shows, and a dialog's submission →
 * field values and the form's context. Each input's id is the field id, so per-field errors go
 * back beside the field; the form's id and context ride in the submit button's data, which Teams
 * returns with the values.
 */
export type FieldErrors = Readonly<Record<string, string>>;

const RESERVED = new Set(['verb', 'form', 'context', 'msteams']);

export function formToAdaptiveCard(form: FormSpec, state: { values?: Readonly<Record<string, string>>; errors?: FieldErrors } = {}): AdaptiveCard {
  const errors = state.errors ?? {};
  const body: AdaptiveElement[] = [];
  const fieldIds = new Set(form.fields.map((f) => f.id));
  // An error about something that is not a field (the form lost its context) still has to show.
  const general = Object.entries(errors).filter(([id]) => !fieldIds.has(id)).map(([, message]) => message);
  if (general.length > 0) body.push(errorBlock(general.join(' ')));
  for (const field of form.fields) {
    // Collisions would let a typed value overwrite the routing data; a programming error.
    if (RESERVED.has(field.id)) throw new Error(`form ${form.id}: field id "${field.id}" is reserved`);
    body.push(inputElement(field, state.values?.[field.id]));
    if (field.hint) body.push(textBlock(escapeMarkdown(field.hint), { isSubtle: true, size: 'Small', spacing: 'None' }));
    const error = errors[field.id];
    if (error) body.push(errorBlock(error));
  }
  return adaptiveCard(body, {
    actions: [{ type: 'Action.Submit', title: form.submitLabel, data: { verb: VERBS.submitForm, form: form.id, context: form.context ?? {} } }],
  });
}

function errorBlock(message: string): AdaptiveElement {
  return textBlock(escapeMarkdown(message), { color: 'Attention', size: 'Small', spacing: 'Small' });
}

function inputElement(field: FormField, submitted: string | undefined): AdaptiveElement {
  const value = submitted ?? field.initial;
  const common = { id: field.id, label: field.label, isRequired: field.optional !== true, errorMessage: `${field.label} is needed.` };
  switch (field.type) {
    case 'text':
      return { type: 'Input.Text', ...common, maxLength: 200, ...(value ? { value } : {}) };
    case 'multiline':
      return { type: 'Input.Text', ...common, isMultiline: true, maxLength: 2000, ...(value ? { value } : {}) };
    case 'email':
      return { type: 'Input.Text', ...common, style: 'Email', maxLength: 200, ...(value ? { value } : {}) };
    case 'date':
      return { type: 'Input.Date', ...common, ...(value && isIsoDate(value) ? { value } : {}) };
    case 'select':
      return {
        type: 'Input.ChoiceSet', ...common, style: 'compact', placeholder: 'Choose…',
        choices: (field.options ?? []).map((o) => ({ title: o.label, value: o.value })),
        ...(value ? { value } : {}),
      };
  }
}

/** What `task/fetch` answers: the form in a dialog. */
export function dialogFor(form: FormSpec, state: { values?: Readonly<Record<string, string>>; errors?: FieldErrors } = {}) {
  return {
    title: form.title,
    width: 'medium',
    height: 'large',
    card: { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: formToAdaptiveCard(form, state) },
  } as const;
}

export interface FormSubmission {
  readonly form: string;
  readonly context: Record<string, string>;
  /** The typed values by field id, trimmed; empty boxes are absent. */
  readonly values: Record<string, string>;
}

/** A `task/submit` payload; anything that is not a string (or a number) is ignored. */
export function readSubmission(data: unknown): FormSubmission | null {
  if (!isRecord(data) || typeof data.form !== 'string') return null;
  const values: Record<string, string> = {};
  for (const [key, raw] of Object.entries(data)) {
    if (RESERVED.has(key)) continue;
    const value = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : '';
    if (value !== '') values[key] = value;
  }
  const context: Record<string, string> = {};
  if (isRecord(data.context)) {
    for (const [key, raw] of Object.entries(data.context)) if (typeof raw === 'string') context[key] = raw;
  }
  return { form: data.form, context, values };
}

/** A message can't open a dialog in Teams, so `dsr new` answers with a card whose button does. */
export function openFormCard(form: FormSpec): AdaptiveCard {
  return adaptiveCard([textBlock(`**${escapeMarkdown(form.title)}**`), textBlock('Press the button to fill in the form.', { isSubtle: true })], {
    actions: [openFormAction(`Open: ${form.title}`.slice(0, 75), formName(form), form.context ?? {})],
  });
}

function formName(form: FormSpec): 'intake' | 'rectification' {
  if (form.id === 'reject-reason') throw new Error('the reject reason is typed on the card in Teams, not in a dialog');
  return form.id;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
