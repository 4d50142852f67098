import { privateReply } from '../src/chat/reply.js';
import { renderBreachList } from '../src/chat/cards/breach-list.js';
import { listBreachesFor } from '../src/services/breaches.js';
import { mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov breach list';

/** Members only: a breach summary can say a good deal about whose data went where. */
export const govBreachList: ChatCommand = {
  name: 'gov breach list',
  usage: USAGE,
  summary: 'open breaches with their deadlines and who is still to be told, then those closed recently',
  access: 'member',
  async run(ctx, args) {
    if (args.length > 0) return mistake(USAGE, `/gov breach list takes no filter, not "${args.join(' ').slice(0, 60)}"`);
    return privateReply(renderBreachList(await listBreachesFor(ctx.services)));
  },
};
