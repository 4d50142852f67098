import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { actor, type Actor } from '../chat/actor.js';
import type { ServiceContext } from '../services/context.js';
import { castVote } from '../services/cast-vote.js';
import { acknowledgeComplaintByClick } from '../services/complaints.js';
import { recipientToldText, recordRecipientToldByClick } from '../services/recipients.js';
import { rectificationForm } from '../../commands/forms/rectification-form.js';
import { ACTIONS } from './block-kit.js';
import { rejectReasonForm } from './forms.js';
import type { HandlerDeps } from './handler-kit.js';
import { NOT_RECORDED } from './inbox.js';
import { openForm, respondPrivately, respondTo } from './replies.js';
import { SLACK_TIMEOUT_MS } from './slack-port.js';

/**
 * Buttons on cards. The action_id names the verb (`vote_approve:12`); the value carries the id.
 * Approve votes at once; Reject and "Enter corrections" open a form first (its trigger_id lasts
 * 3 seconds, so the modal opens before any database work). A click Slack delivers twice counts
 * once: votes have a unique (proposal, member) key.
 */
const verb = (name: string) => new RegExp(`^${name}(:|$)`);

export function registerBlockActions(bolt: App, deps: HandlerDeps): void {
  // Votes and acknowledgements go through the inbox: recorded before the ack, done after it.
  // Both may run again after an interruption: a vote is unique per member, an acknowledgement once.
  recordedClick(bolt, deps, ACTIONS.approve, async (services, by, id) => {
    const result = await castVote(services, by, { proposalId: id, decision: 'approve' });
    return result.ok ? result.value.message : result.error;
  }, idFrom);
  recordedClick(bolt, deps, ACTIONS.acknowledge, async (services, by, id) => {
    const result = await acknowledgeComplaintByClick(services, by, id);
    return result.ok ? result.value.message : result.error;
  }, idFrom);
  // "Told <provider>" (Art 19) likewise: recording a provider as told twice changes nothing.
  recordedClick(bolt, deps, ACTIONS.recipientTold, async (services, by, [requestId, processorId]) => {
    const result = await recordRecipientToldByClick(services, by, { requestId, processorId });
    return result.ok ? recipientToldText(result.value) : result.error;
  }, idPairFrom);

  bolt.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: verb(ACTIONS.reject) }, async ({ ack, body, action, respond }) => {
    await ack();
    await deps.guard(ACTIONS.reject, async () => {
      const proposalId = idFrom(action.value);
      if (proposalId === null) return respondPrivately(respond, BROKEN_BUTTON);
      await openForm(deps.client, body.trigger_id, rejectReasonForm(proposalId), body.channel?.id);
    }, (text) => respondPrivately(respond, text));
  });

  bolt.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: verb(`${ACTIONS.openForm}:rectification`) }, async ({ ack, body, action, respond }) => {
    await ack();
    await deps.guard(ACTIONS.openForm, async () => {
      const requestId = idFrom(action.value);
      if (requestId === null) return respondPrivately(respond, BROKEN_BUTTON);
      await openForm(deps.client, body.trigger_id, rectificationForm(requestId), body.channel?.id);
    }, (text) => respondPrivately(respond, text));
  });

}

const BROKEN_BUTTON = 'That button carries no valid id (the card may be from another installation); nothing was changed.';

/** What the inbox keeps of a click. */
interface RecordedClick {
  readonly value: string | null;
  readonly userId: string;
  readonly channelId: string | null;
  readonly responseUrl: string;
}

function recordedClick<T>(bolt: App, deps: HandlerDeps, name: string, act: (services: ServiceContext, by: Actor, id: T) => Promise<string>, parse: (value: string | undefined) => T | null): void {
  const kind = `slack-click:${name}`;
  const tell = (click: RecordedClick, text: string) => respondPrivately(respondTo(click.responseUrl, SLACK_TIMEOUT_MS), text);
  deps.inbox.define(kind, {
    run: async (payload, services) => {
      const click = payload as unknown as RecordedClick;
      const id = parse(click.value ?? undefined);
      if (id === null) return tell(click, BROKEN_BUTTON);
      const by = actor('slack', click.userId, click.channelId ? { channelId: click.channelId } : {});
      await tell(click, await act(services, by, id));
    },
    repeatable: () => true,
    tell: (payload, text) => tell(payload as unknown as RecordedClick, text),
  });
  bolt.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: verb(name) }, async ({ ack, body, action, respond }) => {
    const click: RecordedClick = { value: action.value ?? null, userId: body.user.id, channelId: body.channel?.id ?? null, responseUrl: body.response_url };
    const outcome = await deps.record(kind, { ...click }, (text) => respondPrivately(respond, text));
    await ack();
    if (outcome === 'failed') await respondPrivately(respond, NOT_RECORDED).catch(() => undefined);
  });
}

/** `12:3`: a request's id and a provider's. */
function idPairFrom(value: string | undefined): [number, number] | null {
  const ids = (value ?? '').split(':').map((part) => idFrom(part));
  const [first, second] = ids;
  return ids.length === 2 && first !== null && second !== null && first !== undefined && second !== undefined ? [first, second] : null;
}

function idFrom(value: string | undefined): number | null {
  const id = Number(value);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
