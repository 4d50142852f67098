import type { App } from '@slack/bolt';
import { actor, type Actor } from '../chat/actor.js';
import { castVote } from '../services/cast-vote.js';
import { submitCorrections } from '../services/submit-corrections.js';
import { submitRequest } from '../../commands/dsr-new.js';
import { parseIntakeForm } from '../../commands/forms/intake-form.js';
import { parseCorrectionValues, parseReason, type FieldCheck } from './forms.js';
import type { HandlerDeps } from './handler-kit.js';
import { fieldErrors, modalContext, modalValues } from './modal.js';
import { tellUser } from './replies.js';

/**
 * Submitted modals, by callback_id (the FormSpec id). Mistakes are answered inline, beside the
 * field, and the modal stays open; a valid form closes at once (ack) and the outcome follows as an
 * ephemeral message where the form was opened. Slack does not retry view submissions, so a
 * submission is acted on exactly once; the intake has no other duplicate guard.
 */
interface Submission<T> {
  readonly callbackId: 'intake' | 'reject-reason' | 'rectification';
  check(values: Record<string, string>, context: Record<string, string>): FieldCheck<T>;
  act(deps: HandlerDeps, by: Actor, value: T): Promise<string>;
}

const intake: Submission<Parameters<typeof submitRequest>[1]> = {
  callbackId: 'intake',
  check: (values) => parseIntakeForm(values),
  act: async (deps, by, input) => {
    const reply = await submitRequest({ services: deps.services, actor: by }, input);
    return reply.kind === 'form' ? 'The form could not be handled; try /dsr new.' : reply.text;
  },
};

const rejectReason: Submission<{ proposalId: number; reason: string }> = {
  callbackId: 'reject-reason',
  check: (values, context) => withId(context.proposalId, 'reason', parseReason(values), (proposalId, reason) => ({ proposalId, reason })),
  act: async (deps, by, { proposalId, reason }) => {
    const result = await castVote(deps.services, by, { proposalId, decision: 'reject', reason });
    return result.ok ? result.value.message : result.error;
  },
};

const rectification: Submission<{ requestId: number; corrections: Record<string, string> }> = {
  callbackId: 'rectification',
  check: (values, context) => withId(context.requestId, 'email', parseCorrectionValues(values), (requestId, corrections) => ({ requestId, corrections })),
  act: async (deps, by, { requestId, corrections }) => {
    const result = await submitCorrections(deps.services, by, requestId, corrections);
    return result.ok ? result.value : result.error;
  },
};

export function registerViewSubmissions(bolt: App, deps: HandlerDeps): void {
  register(bolt, deps, intake);
  register(bolt, deps, rejectReason);
  register(bolt, deps, rectification);
}

function register<T>(bolt: App, deps: HandlerDeps, submission: Submission<T>): void {
  bolt.view(submission.callbackId, async ({ ack, body, view }) => {
    const context = modalContext(view);
    const checked = submission.check(modalValues(view), context);
    if (!checked.ok) {
      await ack({ response_action: 'errors', errors: fieldErrors(view, checked.errors) });
      return;
    }
    await ack();
    const channel = context.channel;
    const by = actor('slack', body.user.id, channel ? { channelId: channel } : {});
    const tell = (text: string) => tellUser(deps.client, deps.logger, body.user.id, channel, { text });
    await deps.guard(submission.callbackId, async () => {
      await tell(await submission.act(deps, by, checked.value));
    }, tell);
  });
}

/** A form's target id comes back from private_metadata; a form without one cannot be acted on. */
function withId<V, T>(raw: string | undefined, field: string, checked: FieldCheck<V>, build: (id: number, value: V) => T): FieldCheck<T> {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) {
    return { ok: false, errors: { [field]: 'This form lost track of what it was for; close it and press the button on the card again.' } };
  }
  return checked.ok ? { ok: true, value: build(id, checked.value) } : checked;
}

