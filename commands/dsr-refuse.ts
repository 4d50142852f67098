import { privateReply } from '../src/chat/reply.js';
import { proposeRefusal, REFUSAL_GROUNDS } from '../src/services/propose-refusal.js';
import { freeText, MAX_FREE_TEXT, mistake, oneOf, requestRef } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/dsr refuse <ref> <unfounded|excessive> <reason>';

/** Members only; the refusal needs APPROVAL_QUORUM other members' votes on the card. */
export const dsrRefuse: ChatCommand = {
  name: 'dsr refuse',
  usage: USAGE,
  summary: 'propose refusing a manifestly unfounded or excessive request, for the committee to approve',
  access: 'member',
  async run(ctx, args) {
    const [refWord, groundsWord, ...rest] = args;
    const ref = requestRef(refWord);
    if (!ref.ok) return mistake(USAGE, ref.error);
    const grounds = oneOf(groundsWord, REFUSAL_GROUNDS, 'ground for refusal');
    if (!grounds.ok) return mistake(USAGE, grounds.error);
    const reason = freeText(rest);
    if (reason === null) return mistake(USAGE, 'Give the reason: the individual must be told why');
    if (reason.length > MAX_FREE_TEXT) return mistake(USAGE, `Keep the reason to ${MAX_FREE_TEXT} characters`);
    const proposed = await proposeRefusal(ctx.services, ctx.actor, { reference: ref.value, grounds: grounds.value, reason });
    if (!proposed.ok) return mistake(USAGE, proposed.error);
    const q = proposed.value.quorum;
    return privateReply(`Refusal of ${ref.value} as manifestly ${grounds.value} proposed: it takes effect if ${q} other member${q === 1 ? '' : 's'} approve it on the card.`);
  },
};
