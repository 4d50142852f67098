import { privateReply } from '../src/chat/reply.js';
import { renderRequestList } from '../src/chat/cards/request-list.js';
import { listRequestsFor, REQUEST_FILTERS } from '../src/services/list-requests.js';
import { mistake, oneOf } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/dsr list [open|overdue|due-soon|closed|all]';

/** Members only: even masked, the list says who asked the company for what. */
export const dsrList: ChatCommand = {
  name: 'dsr list',
  usage: USAGE,
  summary: 'requests with their due dates, most urgent first, 20 at most (default: open; due-soon is within 7 days)',
  access: 'member',
  async run(ctx, args) {
    if (args.length > 1) return mistake(USAGE, `Give at most one filter, not "${args.join(' ')}"`);
    const filter = oneOf(args[0] ?? 'open', REQUEST_FILTERS, 'list filter');
    if (!filter.ok) return mistake(USAGE, filter.error);
    return privateReply(renderRequestList(await listRequestsFor(ctx.services, filter.value)));
  },
};
