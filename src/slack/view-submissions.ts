import type { App } from '@slack/bolt';
import { actor, type Actor } from '../chat/actor.js';
import { castVote } from '../services/cast-vote.js';
import { submitCorrections } from '../services/submit-corrections.js';
import { submitRequest } from '../../commands/dsr-new.js';
import { parseIntakeForm } from '../../commands/forms/intake-form.js';
import { parseCorrectionValues, parseReason, type FieldCheck } from './forms.js';
import type { ServiceContext } from '../services/context.js';
import type { HandlerDeps } from './handler-kit.js';
import { NOT_RECORDED } from './inbox.js';
import { fieldErrors, modalContext, modalValues } from './modal.js';
import { tellUser } from './replies.js';

/**
 * Submitted modals, by callback_id (the FormSpec id). Mistakes are answered inline, beside the
 * field, and the modal stays open; a valid form is recorded in the inbox, closes (ack), and the
 * outcome follows as an ephemeral message where the form was opened. Slack does not retry view
 * submissions; the inbox acts on each recorded one once (see inbox.ts).
 */
interface Submission<T> {
  readonly callbackId: 'intake' | 'reject-reason' | 'rectification';
  check(values: Record<string, string>, context: Record<string, string>): FieldCheck<T>;
  act(services: ServiceContext, by: Actor, value: T): Promise<string>;
  /** Whether it may run again after an interruption without acting twice. */
  readonly repeatable: boolean;
}

const intake: Submission<Parameters<typeof submitRequest>[1]> = {
  callbackId: 'intake',
  check: (values) => parseIntakeForm(values),
  repeatable: true, // found again by its delivery key
  act: async (services, by, input) => {
    const reply = await submitRequest({ services, actor: by }, input);
    return reply.kind === 'form' ? 'The form could not be handled; try /dsr new.' : reply.text;
  },
};

const rejectReason: Submission<{ proposalId: number; reason: string }> = {
  callbackId: 'reject-reason',
  check: (values, context) => withId(context.proposalId, 'reason', parseReason(values), (proposalId, reason) => ({ proposalId, reason })),
  repeatable: true, // a vote is unique per member
  act: async (services, by, { proposalId, reason }) => {
    const result = await castVote(services, by, { proposalId, decision: 'reject', reason });
    return result.ok ? result.value.message : result.error;
  },
};

const rectification: Submission<{ requestId: number; corrections: Record<string, string> }> = {
  callbackId: 'rectification',
  check: (values, context) => withId(context.requestId, 'email', parseCorrectionValues(values), (requestId, corrections) => ({ requestId, corrections })),
  repeatable: false,
  act: async (services, by, { requestId, corrections }) => {
    const result = await submitCorrections(services, by, requestId, corrections);
    return result.ok ? result.value : result.error;
  },
};

export function registerViewSubmissions(bolt: App, deps: HandlerDeps): void {
  register(bolt, deps, intake);
  register(bolt, deps, rejectReason);
  register(bolt, deps, rectification);
}

/** What the inbox keeps of a valid submission: the checked values, who sent it, and where from. */
interface RecordedSubmission<T> {
  readonly value: T;
  readonly userId: string;
  readonly channel: string | null;
}

function register<T>(bolt: App, deps: HandlerDeps, submission: Submission<T>): void {
  const kind = `slack-form:${submission.callbackId}`;
  const tell = (recorded: RecordedSubmission<T>, text: string) => tellUser(deps.client, deps.logger, recorded.userId, recorded.channel ?? undefined, { text });
  deps.inbox.define(kind, {
    run: async (payload, services) => {
      const recorded = payload as unknown as RecordedSubmission<T>;
      const by = actor('slack', recorded.userId, recorded.channel ? { channelId: recorded.channel } : {});
      await tell(recorded, await submission.act(services, by, recorded.value));
    },
    repeatable: () => submission.repeatable,
    tell: (payload, text) => tell(payload as unknown as RecordedSubmission<T>, text),
  });
  bolt.view(submission.callbackId, async ({ ack, body, view }) => {
    const context = modalContext(view);
    const checked = submission.check(modalValues(view), context);
    if (!checked.ok) {
      await ack({ response_action: 'errors', errors: fieldErrors(view, checked.errors) });
      return;
    }
    const recorded: RecordedSubmission<T> = { value: checked.value, userId: body.user.id, channel: context.channel ?? null };
    const outcome = await deps.record(kind, { ...recorded }, (text) => tell(recorded, text));
    // Not recorded: the form stays open with the reason, so nothing typed is lost.
    if (outcome === 'failed') await ack({ response_action: 'errors', errors: fieldErrors(view, { form: NOT_RECORDED }) });
    else await ack();
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

