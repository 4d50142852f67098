import type { App, webApi } from '@slack/bolt';
import { actor, type Actor } from '../chat/actor.js';
import { castVote } from '../services/cast-vote.js';
import { submitCorrections } from '../services/submit-corrections.js';
import { submitRequest } from '../../commands/dsr-new.js';
import { parseIntakeForm } from '../../commands/forms/intake-form.js';
import { parseCorrectionValues, parseReason, type FieldCheck } from './forms.js';
import type { ServiceContext } from '../services/context.js';
import type { HandlerDeps } from './handler-kit.js';
import { NOT_RECORDED, STILL_RECORDING, type InboxWork } from '../inbox/work.js';
import type { Logger } from '../logger.js';
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

// Each submission's value type is its own; `never` lets one list hold them (check's output is act's input).
const SUBMISSIONS = [intake, rejectReason, rectification] as unknown as readonly Submission<never>[];

export function registerViewSubmissions(bolt: App, deps: HandlerDeps): void {
  for (const submission of SUBMISSIONS) register(bolt, deps, submission);
}

const formKind = (submission: Submission<never>) => `slack-form:${submission.callbackId}`;

/** The work of each recorded submission, for the inbox: the use case, and its outcome told where the form was opened. */
export function formWorks(client: webApi.WebClient, logger: Logger): [string, InboxWork][] {
  const tell = (recorded: RecordedSubmission<unknown>, text: string) => tellUser(client, logger, recorded.userId, recorded.channel ?? undefined, { text });
  return SUBMISSIONS.map((submission) => [formKind(submission), {
    run: async (payload, services) => {
      const recorded = payload as unknown as RecordedSubmission<never>;
      const by = actor('slack', recorded.userId, recorded.channel ? { channelId: recorded.channel } : {});
      await tell(recorded, await submission.act(services, by, recorded.value));
    },
    repeatable: () => submission.repeatable,
    tell: (payload, text) => tell(payload as unknown as RecordedSubmission<unknown>, text),
  }]);
}

/** What the inbox keeps of a valid submission: the checked values, who sent it, and where from. */
interface RecordedSubmission<T> {
  readonly value: T;
  readonly userId: string;
  readonly channel: string | null;
}

function register(bolt: App, deps: HandlerDeps, submission: Submission<never>): void {
  const kind = formKind(submission);
  const tell = (recorded: RecordedSubmission<unknown>, text: string) => tellUser(deps.client, deps.logger, recorded.userId, recorded.channel ?? undefined, { text });
  bolt.view(submission.callbackId, async ({ ack, body, view }) => {
    const context = modalContext(view);
    const checked = submission.check(modalValues(view), context);
    if (!checked.ok) {
      await ack({ response_action: 'errors', errors: fieldErrors(view, checked.errors) });
      return;
    }
    const recorded: RecordedSubmission<unknown> = { value: checked.value, userId: body.user.id, channel: context.channel ?? null };
    const outcome = await deps.record(kind, { ...recorded }, (text) => tell(recorded, text));
    // Not recorded (or not yet known to be): the form stays open with the reason, so nothing typed is lost.
    if (outcome === 'failed') await ack({ response_action: 'errors', errors: fieldErrors(view, { form: NOT_RECORDED }) });
    else if (outcome === 'late') await ack({ response_action: 'errors', errors: fieldErrors(view, { form: STILL_RECORDING }) });
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

