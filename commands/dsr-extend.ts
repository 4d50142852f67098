import { privateReply } from '../src/chat/reply.js';
import { proposeExtension } from '../src/services/propose-extension.js';
import { freeText, MAX_FREE_TEXT, mistake, requestRef } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/dsr extend <ref> <reason>';

/** Members only; the extension itself needs APPROVAL_QUORUM other members' votes on the card. */
export const dsrExtend: ChatCommand = {
  name: 'dsr extend',
  usage: USAGE,
  summary: 'propose the up-to-two-month extension, for the committee to approve',
  access: 'member',
  async run(ctx, args) {
    const [refWord, ...rest] = args;
    const ref = requestRef(refWord);
    if (!ref.ok) return mistake(USAGE, ref.error);
    const reason = freeText(rest);
    if (reason === null) return mistake(USAGE, 'Give the reason (why the request is complex or numerous): the individual must be told it');
    if (reason.length > MAX_FREE_TEXT) return mistake(USAGE, `Keep the reason to ${MAX_FREE_TEXT} characters`);
    const proposed = await proposeExtension(ctx.services, ctx.actor, { reference: ref.value, reason });
    if (!proposed.ok) return mistake(USAGE, proposed.error);
    const p = proposed.value;
    return privateReply(`Extension of ${ref.value} proposed: due ${p.extendedDueOn} if ${p.quorum} other member${p.quorum === 1 ? '' : 's'} approve it on the card.`);
  },
};
