import type { types, ViewOutput, ViewStateValue } from '@slack/bolt';
import type { FormField, FormSpec } from '../chat/reply.js';
import { isIsoDate } from '../domain/dates.js';
import { truncate } from './block-kit.js';

/**
 * FormSpec → Slack modal, and a submitted modal → field values. Each input block's `block_id` is
 * the field id, so per-field errors go straight back as `response_action: errors`. The form's
 * context travels in `private_metadata` (JSON), which Slack returns untouched on submission.
 */
// Slack publishes no limit for inline errors; a hint's is used, since messages may quote what was typed.
export const MODAL_LIMITS = { title: 24, button: 24, label: 2000, hint: 2000, error: 2000, options: 100, optionText: 75, optionValue: 150, metadata: 3000 } as const;

const plain = (text: string, max: number): types.PlainTextElement => ({ type: 'plain_text', text: truncate(text, max), emoji: true });

export function formToModal(form: FormSpec, callbackId: string): types.ModalView {
  const metadata = JSON.stringify(form.context ?? {});
  // Dropping context silently would misroute the submission; a form that big is a programming error.
  if (metadata.length > MODAL_LIMITS.metadata) throw new Error(`form ${form.id}: context is ${metadata.length} characters, over Slack's ${MODAL_LIMITS.metadata}`);
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(form.title, MODAL_LIMITS.title),
    submit: plain(form.submitLabel, MODAL_LIMITS.button),
    close: plain('Cancel', MODAL_LIMITS.button),
    private_metadata: metadata,
    blocks: form.fields.map(inputBlock),
  };
}

function inputBlock(field: FormField): types.InputBlock {
  return {
    type: 'input',
    block_id: field.id,
    label: plain(field.label, MODAL_LIMITS.label),
    optional: field.optional === true,
    ...(field.hint ? { hint: plain(field.hint, MODAL_LIMITS.hint) } : {}),
    element: inputElement(field),
  };
}

function inputElement(field: FormField): types.InputBlockElement {
  const action_id = field.id;
  const initial = field.initial;
  switch (field.type) {
    case 'text':
      return { type: 'plain_text_input', action_id, ...(initial ? { initial_value: initial } : {}) };
    case 'multiline':
      return { type: 'plain_text_input', action_id, multiline: true, ...(initial ? { initial_value: initial } : {}) };
    case 'email':
      return { type: 'email_text_input', action_id, ...(initial ? { initial_value: initial } : {}) };
    case 'date':
      return { type: 'datepicker', action_id, ...(initial && isIsoDate(initial) ? { initial_date: initial } : {}) };
    case 'select': {
      const options = (field.options ?? []).slice(0, MODAL_LIMITS.options).map((o) => ({
        text: plain(o.label, MODAL_LIMITS.optionText),
        value: o.value.slice(0, MODAL_LIMITS.optionValue),
      }));
      const initialOption = options.find((o) => o.value === initial);
      return { type: 'static_select', action_id, placeholder: plain('Choose…', 150), options, ...(initialOption ? { initial_option: initialOption } : {}) };
    }
  }
}

/** The submitted values by field id; fields left empty are absent. */
export function modalValues(view: Pick<ViewOutput, 'state'>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(view.state.values)) {
    for (const state of Object.values(actions)) {
      const value = stateValue(state);
      if (value !== null && value !== '') values[blockId] = value;
    }
  }
  return values;
}

function stateValue(state: ViewStateValue): string | null {
  if (state.selected_option) return state.selected_option.value;
  if (state.selected_date) return state.selected_date;
  return state.value ?? null;
}

/** The form's context back from `private_metadata`; anything that is not a string map is ignored. */
export function modalContext(view: Pick<ViewOutput, 'private_metadata'>): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(view.private_metadata || '{}');
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/**
 * Per-field errors for `response_action: errors`. Slack refuses the whole answer when an error
 * names a block the modal lacks, so such an error is shown on the first input instead.
 */
export function fieldErrors(view: Pick<ViewOutput, 'blocks'>, errors: Readonly<Record<string, string>>): Record<string, string> {
  const inputs = view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id).filter((id): id is string => Boolean(id));
  const shown: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) {
    const target = inputs.includes(field) ? field : inputs[0];
    if (target === undefined) continue;
    // Messages can quote a forged 100 KB value back: cut them to what Slack will show beside a field.
    shown[target] = truncate(shown[target] ? `${shown[target]} ${message}` : message, MODAL_LIMITS.error);
  }
  return shown;
}
