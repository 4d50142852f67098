import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { Recorded } from '../inbox/recorder.js';
import { actor, type Actor } from '../chat/actor.js';
import type { ServiceContext } from '../services/context.js';
import { castVote } from '../services/cast-vote.js';
import { acknowledgeComplaintByClick } from '../services/complaints.js';
import { recipientToldText, recordRecipientToldByClick } from '../services/recipients.js';
import { rectificationForm } from '../../commands/forms/rectification-form.js';
import { ACTIONS } from './block-kit.js';
import { rejectReasonForm } from './forms.js';
import type { HandlerDeps } from './handler-kit.js';
import { NOT_RECORDED, STILL_RECORDING, type InboxWork } from '../inbox/work.js';
import { openForm, respondPrivately, respondTo } from './replies.js';
import { SLACK_TIMEOUT_MS } from './slack-port.js';

/**
 * Buttons on cards. The action_id names the verb (`vote_approve:12`); the value carries the id.
 * Approve votes at once; Reject and "Enter corrections" open a form first (its trigger_id lasts
 * 3 seconds, so the modal opens before any database work). A click Slack delivers twice counts
 * once: votes have a unique (proposal, member) key.
 */
const verb = (name: string) => new RegExp(`^${name}(:|$)`);

/** The clicks recorded in the inbox (src/inbox) before their ack, done after it. */
const RECORDED_CLICKS: readonly ClickSpec[] = [
  // Both may run again after an interruption: a vote is unique per member, an acknowledgement once.
  clickSpec(ACTIONS.approve, async (services, by, id) => {
    const result = await castVote(services, by, { proposalId: id, decision: 'approve' });
    return result.ok ? result.value.message : result.error;
  }, idFrom),
  clickSpec(ACTIONS.acknowledge, async (services, by, id) => {
    const result = await acknowledgeComplaintByClick(services, by, id);
    return result.ok ? result.value.message : result.error;
  }, idFrom),
  // "Told <provider>" (Art 19) likewise: recording a provider as told twice changes nothing.
  clickSpec(ACTIONS.recipientTold, async (services, by, [requestId, processorId]) => {
    const result = await recordRecipientToldByClick(services, by, { requestId, processorId });
    return result.ok ? recipientToldText(result.value) : result.error;
  }, idPairFrom),
];

export function registerBlockActions(bolt: App, deps: HandlerDeps): void {
  for (const spec of RECORDED_CLICKS) recordedClick(bolt, deps, spec.name);

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
export interface RecordedClick {
  readonly value: string | null;
  readonly userId: string;
  readonly channelId: string | null;
  readonly responseUrl: string;
}

/** A recorded click's work: the outcome's text for the clicker, or null for a button without a valid id. */
interface ClickSpec {
  readonly name: string;
  act(services: ServiceContext, by: Actor, value: string | undefined): Promise<string | null>;
}

function clickSpec<T>(name: string, act: (services: ServiceContext, by: Actor, id: T) => Promise<string>, parse: (value: string | undefined) => T | null): ClickSpec {
  return {
    name,
    act: async (services, by, value) => {
      const id = parse(value);
      return id === null ? null : act(services, by, id);
    },
  };
}

const clickKind = (name: string) => `slack-click:${name}`;
const RECORDED_VERBS: readonly (readonly [RegExp, string])[] = RECORDED_CLICKS.map((spec) => [verb(spec.name), clickKind(spec.name)]);
const tellClicker = (click: RecordedClick, text: string) => respondPrivately(respondTo(click.responseUrl, SLACK_TIMEOUT_MS), text);

/** The work of each recorded click, for the inbox. */
export function clickWorks(): [string, InboxWork][] {
  return RECORDED_CLICKS.map((spec) => [clickKind(spec.name), {
    run: async (payload, services) => {
      const click = payload as unknown as RecordedClick;
      const by = actor('slack', click.userId, click.channelId ? { channelId: click.channelId } : {});
      await tellClicker(click, await spec.act(services, by, click.value ?? undefined) ?? BROKEN_BUTTON);
    },
    repeatable: () => true,
    tell: (payload, text) => tellClicker(payload as unknown as RecordedClick, text),
  }]);
}

function recordedClick(bolt: App, deps: HandlerDeps, name: string): void {
  bolt.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: verb(name) }, async ({ ack, body, action, respond }) => {
    const click: RecordedClick = { value: action.value ?? null, userId: body.user.id, channelId: body.channel?.id ?? null, responseUrl: body.response_url };
    const outcome = await deps.record(clickKind(name), { ...click }, (text) => respondPrivately(respond, text));
    await ack();
    await afterClickAck(outcome, respond);
  });
}

/** After the (empty) ack of a recorded click: a click not known to be recorded is told so, privately. */
export async function afterClickAck(outcome: Recorded | 'late', respond: RespondFn): Promise<void> {
  if (outcome === 'failed') await respondPrivately(respond, NOT_RECORDED).catch(() => undefined);
  else if (outcome === 'late') await respondPrivately(respond, STILL_RECORDING).catch(() => undefined);
}

/** The recorded click an action_id names (`vote_approve:12`), by the inbox kind of its work; null for any other. */
export function recordedClickKind(actionId: string): string | null {
  return RECORDED_VERBS.find(([name]) => name.test(actionId))?.[1] ?? null;
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
