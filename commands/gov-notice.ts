import { privateReply } from '../src/chat/reply.js';
import { renderNoticeStatus } from '../src/chat/cards/review-lines.js';
import { noticeStatus } from '../src/services/notice.js';
import { mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov notice';

/** Anyone: when the privacy notice was last reviewed is no secret, and staff may need to know. */
export const govNotice: ChatCommand = {
  name: 'gov notice',
  usage: USAGE,
  summary: 'privacy-notice review status: version, last review, next review due, open regulatory changes',
  access: 'anyone',
  async run(ctx, args) {
    if (args.length > 0) {
      return mistake(USAGE, `"${args.join(' ').slice(0, 60)}" is not a /gov notice form: use /gov notice, /gov notice reviewed [version] or /gov notice change <what changed>`);
    }
    return privateReply(renderNoticeStatus(await noticeStatus(ctx.services)));
  },
};
