import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { actor } from '../chat/actor.js';
import { castVote } from '../services/cast-vote.js';
import { acknowledgeComplaintByClick } from '../services/complaints.js';
import { recipientToldText, recordRecipientToldByClick } from '../services/recipients.js';
import { rectificationForm } from '../../commands/forms/rectification-form.js';
import { ACTIONS } from './block-kit.js';
import { rejectReasonForm } from './forms.js';
import type { HandlerDeps } from './handler-kit.js';
import { openForm, respondPrivately } from './replies.js';

/**
 * Buttons on cards. The action_id names the verb (`vote_approve:12`); the value carries the id.
 * Approve votes at once; Reject and "Enter corrections" open a form first (its trigger_id lasts
 * 3 seconds, so the modal opens before any database work). A click Slack delivers twice counts
 * once: votes have a unique (proposal, member) key.
 */
const verb = (name: string) => new RegExp(`^${name}(:|$)`);

export function registerBlockActions(bolt: App, deps: HandlerDeps): void {
  bolt.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: verb(ACTIONS.approve) }, async ({ ack, body, action, respond }) => {
    await ack();
    const tell = (text: string) => respondPrivately(respond, text);
    await deps.guard(ACTIONS.approve, async () => {
      const proposalId = idFrom(action.value);
      if (proposalId === null) return tell(BROKEN_BUTTON);
      const by = actor('slack', body.user.id, body.channel ? { channelId: body.channel.id } : {});
      const result = await castVote(deps.services, by, { proposalId, decision: 'approve' });
      await tell(result.ok ? result.value.message : result.error);
    }, tell);
  });

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

  bolt.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: verb(ACTIONS.acknowledge) }, async ({ ack, body, action, respond }) => {
    await ack();
    const tell = (text: string) => respondPrivately(respond, text);
    await deps.guard(ACTIONS.acknowledge, async () => {
      const complaintId = idFrom(action.value);
      if (complaintId === null) return tell(BROKEN_BUTTON);
      const by = actor('slack', body.user.id, body.channel ? { channelId: body.channel.id } : {});
      const result = await acknowledgeComplaintByClick(deps.services, by, complaintId);
      await tell(result.ok ? result.value.message : result.error);
    }, tell);
  });

  bolt.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: verb(ACTIONS.recipientTold) }, async ({ ack, body, action, respond }) => {
    await ack();
    const tell = (text: string) => respondPrivately(respond, text);
    await deps.guard(ACTIONS.recipientTold, async () => {
      const ids = (action.value ?? '').split(':').map(idFrom);
      const [requestId, processorId] = ids;
      if (ids.length !== 2 || !requestId || !processorId) return tell(BROKEN_BUTTON);
      const by = actor('slack', body.user.id, body.channel ? { channelId: body.channel.id } : {});
      const result = await recordRecipientToldByClick(deps.services, by, { requestId, processorId });
      await tell(result.ok ? recipientToldText(result.value) : result.error);
    }, tell);
  });
}

const BROKEN_BUTTON = 'That button carries no valid id (the card may be from another installation); nothing was changed.';

function idFrom(value: string | undefined): number | null {
  const id = Number(value);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
