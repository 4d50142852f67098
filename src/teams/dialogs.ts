import type { TurnContext } from 'botbuilder';
import type { FormSpec } from '../chat/reply.js';
import { submitCorrections, checkCorrections } from '../services/submit-corrections.js';
import { submitRequest } from '../../commands/dsr-new.js';
import { INTAKE_FORM, parseIntakeForm } from '../../commands/forms/intake-form.js';
import { rectificationForm, rectificationValues } from '../../commands/forms/rectification-form.js';
import { plainText } from './activities.js';
import { VERBS } from './adaptive-card.js';
import { dialogFor, isRecord, readSubmission, type FieldErrors, type FormSubmission } from './form-card.js';
import { actorFor, type TeamsDeps } from './turn-kit.js';

/**
 * Dialogs (task modules): `task/fetch` opens the form a button names (the intake form, or a
 * rectification's corrections); `task/submit` checks it. A mistake re-shows the dialog with the
 * values kept and the error beside its field; a valid form closes and the outcome is shown to the
 * person in its place. A string answer closes the dialog with that message.
 */
type DialogAnswer = ReturnType<typeof dialogFor> | string;

export function isTask(name: 'task/fetch' | 'task/submit') {
  return (context: TurnContext): Promise<boolean> => Promise.resolve(context.activity.type === 'invoke' && context.activity.name === name);
}

export async function onTaskFetch(context: TurnContext, deps: TeamsDeps, data: unknown): Promise<DialogAnswer> {
  return deps.guard<DialogAnswer>('task/fetch', async () => {
    const form = isRecord(data) && data.verb === VERBS.openForm ? formFor(data.form, data.requestId) : null;
    return form ? dialogFor(form) : 'That button names no form govbot knows (the card may be from another installation); nothing was changed.';
  }, async (message) => message);
}

export async function onTaskSubmit(context: TurnContext, deps: TeamsDeps, data: unknown): Promise<DialogAnswer> {
  return deps.guard<DialogAnswer>('task/submit', async () => {
    // A submission Teams delivers twice would log the request twice: the intake has no other guard.
    if (deps.seenBefore(context.activity.id)) return 'Already received; nothing more to do.';
    const submission = readSubmission(data);
    if (!submission) return LOST;
    switch (submission.form) {
      case 'intake': return submitIntake(context, deps, submission);
      case 'rectification': return submitRectification(context, deps, submission);
      default: return LOST;
    }
  }, async (message) => message);
}

const LOST = 'This form lost track of what it was for; close it and press the button on the card again.';

function formFor(form: unknown, requestId: unknown): FormSpec | null {
  if (form === 'intake') return INTAKE_FORM;
  const id = Number(requestId);
  if (form === 'rectification' && Number.isSafeInteger(id) && id > 0) return rectificationForm(id);
  return null;
}

async function submitIntake(context: TurnContext, deps: TeamsDeps, submission: FormSubmission): Promise<DialogAnswer> {
  const parsed = parseIntakeForm(submission.values);
  if (!parsed.ok) return dialogFor(INTAKE_FORM, { values: submission.values, errors: parsed.errors });
  const reply = await submitRequest({ services: deps.services, actor: await actorFor(deps.services, context.activity) }, parsed.value);
  return reply.kind === 'form' ? 'The form could not be handled; try dsr new.' : plainText(reply.text, await deps.names.nameOf(reply.text));
}

async function submitRectification(context: TurnContext, deps: TeamsDeps, submission: FormSubmission): Promise<DialogAnswer> {
  const requestId = Number(submission.context.requestId);
  if (!Number.isSafeInteger(requestId) || requestId <= 0) return LOST;
  const form = rectificationForm(requestId);
  const corrections = rectificationValues(submission.values);
  const errors = correctionErrors(corrections);
  if (errors) return dialogFor(form, { values: submission.values, errors });
  const result = await submitCorrections(deps.services, await actorFor(deps.services, context.activity), requestId, corrections);
  const text = result.ok ? result.value : result.error;
  return plainText(text, await deps.names.nameOf(text));
}

/** The same rules submitCorrections applies, field by field, so each error lands on its own box. */
export function correctionErrors(corrections: Record<string, string>): FieldErrors | null {
  const errors: Record<string, string> = {};
  for (const [field, value] of Object.entries(corrections)) {
    const checked = checkCorrections({ [field]: value });
    if (!checked.ok) errors[field] = checked.error;
  }
  if (Object.keys(corrections).length === 0) errors.form = 'Enter at least one corrected value; leave the others empty.';
  return Object.keys(errors).length > 0 ? errors : null;
}
