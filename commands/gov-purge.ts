import { renderPurgeCard } from '../src/chat/cards/purge-card.js';
import { privateReply } from '../src/chat/reply.js';
import { currentPurge } from '../src/services/purge/current-purge.js';
import { mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov purge';
const FORMS = '/gov purge, /gov purge run (chairs) or /gov purge exclude <contact> <reason>';

/** Members only: the card shows masked candidates and the committee's votes. */
export const govPurge: ChatCommand = {
  name: 'gov purge',
  usage: USAGE,
  summary: 'the current quarterly deletion proposal: counts by reason, sample, votes',
  access: 'member',
  async run(ctx, args) {
    if (args.length > 0) return mistake(FORMS, `"${args[0] ?? ''}" is not run or exclude`);
    const view = await currentPurge(ctx.services);
    if (!view) {
      return privateReply('There has been no quarterly deletion review yet. The sweep runs at 09:00 on 1 January, April, July and October; a chair can run it now with /gov purge run.');
    }
    const card = renderPurgeCard(view);
    return privateReply(`${card.reference}: ${card.status}.`, card);
  },
};
