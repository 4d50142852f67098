import { privateReply } from '../src/chat/reply.js';
import { addCommitteeMember } from '../src/services/committee-members.js';
import { memberTarget, mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov members add <@user> [chair]';

/** Chairs only. Adding an existing member with or without `chair` changes their role. */
export const govMembersAdd: ChatCommand = {
  name: 'gov members add',
  usage: USAGE,
  summary: 'add a committee member, or make them a chair (or a member again)',
  access: 'chair',
  async run(ctx, args) {
    const [who, roleWord, ...extra] = args;
    const target = memberTarget(who, ctx.actor.platform);
    if (!target.ok) return mistake(USAGE, target.error);
    if (extra.length > 0 || (roleWord !== undefined && roleWord.toLowerCase() !== 'chair')) {
      return mistake(USAGE, `Only "chair" may follow the person, not "${[roleWord, ...extra].join(' ')}"`);
    }
    const added = await addCommitteeMember(ctx.services, ctx.actor, target.value, roleWord === undefined ? 'member' : 'chair');
    if (!added.ok) return mistake(USAGE, added.error);
    return privateReply(added.value);
  },
};
