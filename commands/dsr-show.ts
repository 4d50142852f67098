import { privateReply } from '../src/chat/reply.js';
import { renderRequestDetail } from '../src/chat/cards/request-detail.js';
import { describeRequest } from '../src/services/describe-request.js';
import { mistake, requestRef } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/dsr show <ref>';

/** Members only, like the list: the timeline shows who decided what about an individual. */
export const dsrShow: ChatCommand = {
  name: 'dsr show',
  usage: USAGE,
  summary: 'one request: timeline, clock, identity, proposals and votes, actions',
  access: 'member',
  async run(ctx, args) {
    if (args.length > 1) return mistake(USAGE, `Give one reference, not "${args.join(' ')}"`);
    const ref = requestRef(args[0]);
    if (!ref.ok) return mistake(USAGE, ref.error);
    const described = await describeRequest(ctx.services, ref.value);
    if (!described.ok) return mistake(USAGE, described.error);
    return privateReply(renderRequestDetail(described.value));
  },
};
