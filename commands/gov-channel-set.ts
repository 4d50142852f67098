import { mention } from '../src/chat/mention.js';
import { channelReply } from '../src/chat/reply.js';
import { setCommitteeChannelHere } from '../src/services/set-committee-channel.js';
import { mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov channel set';

/** Chairs only: every card, with the personal data it carries, goes where they point it. */
export const govChannelSet: ChatCommand = {
  name: 'gov channel set',
  usage: USAGE,
  summary: 'make this channel the committee channel (cards, reminders, reports)',
  access: 'chair',
  async run(ctx, args) {
    if (args.length > 0) return mistake(USAGE, `"${args.join(' ')}" is not needed: type the command in the channel itself`);
    const set = await setCommitteeChannelHere(ctx.services, ctx.actor);
    if (!set.ok) return mistake(USAGE, set.error);
    // In the channel, so the committee sees where its cards will come from now on.
    return channelReply(`This channel is now the committee channel: govbot posts request cards, votes, reminders and reports here (set by ${mention(ctx.actor.key)}).`);
  },
};
