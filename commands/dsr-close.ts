import { privateReply } from '../src/chat/reply.js';
import { CLOSE_OUTCOMES, closeRequest } from '../src/services/close-request.js';
import { freeText, MAX_FREE_TEXT, mistake, oneOf, requestRef } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/dsr close <ref> <completed|withdrawn> [note]';

/** Members only: closing ends the committee's handling of the request. */
export const dsrClose: ChatCommand = {
  name: 'dsr close',
  usage: USAGE,
  summary: 'close a request as completed or withdrawn (open proposals are cancelled)',
  access: 'member',
  async run(ctx, args) {
    const [refWord, outcomeWord, ...rest] = args;
    const ref = requestRef(refWord);
    if (!ref.ok) return mistake(USAGE, ref.error);
    const outcome = oneOf(outcomeWord, CLOSE_OUTCOMES, 'way to close');
    if (!outcome.ok) return mistake(USAGE, outcome.error);
    const note = freeText(rest);
    if (note !== null && note.length > MAX_FREE_TEXT) return mistake(USAGE, `Keep the note to ${MAX_FREE_TEXT} characters`);
    const closed = await closeRequest(ctx.services, ctx.actor, { reference: ref.value, outcome: outcome.value, note });
    if (!closed.ok) return mistake(USAGE, closed.error);
    const proposed = closed.value.withdrawalProposed;
    if (proposed) return privateReply(`${ref.value}'s action was approved by the committee, so withdrawing it needs ${proposed.quorum} approvals too: the withdrawal is on its card for the other members to approve.`);
    const n = closed.value.cancelledProposals.length;
    return privateReply(`${ref.value} is closed as ${outcome.value}.${n > 0 ? ` ${n} open proposal${n === 1 ? ' was' : 's were'} cancelled.` : ''}`);
  },
};
