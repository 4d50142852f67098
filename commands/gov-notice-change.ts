import { privateReply } from '../src/chat/reply.js';
import { recordRegulatoryChange } from '../src/services/notice.js';
import { freeText, MAX_FREE_TEXT, mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov notice change <what changed>';

/** Members only: a regulatory change makes the notice review due now and tells the committee at once. */
export const govNoticeChange: ChatCommand = {
  name: 'gov notice change',
  usage: USAGE,
  summary: 'record a regulatory change: the privacy-notice review becomes due now',
  access: 'member',
  async run(ctx, args) {
    const description = freeText(args);
    if (description === null) return mistake(USAGE, 'Say what changed, e.g. /gov notice change ICO guidance on legitimate interests updated');
    if (description.length > MAX_FREE_TEXT) return mistake(USAGE, `Keep it to ${MAX_FREE_TEXT} characters`);
    const recorded = await recordRegulatoryChange(ctx.services, ctx.actor, description);
    if (!recorded.ok) return mistake(USAGE, recorded.error);
    return privateReply(`Recorded regulatory change #${recorded.value.id}: the privacy notice review is due now, and the committee channel has been told. Once reviewed: /gov notice reviewed <version>.`);
  },
};
