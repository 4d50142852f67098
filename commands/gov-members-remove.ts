import { privateReply } from '../src/chat/reply.js';
import { removeCommitteeMember } from '../src/services/committee-members.js';
import { memberTarget, mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov members remove <@user>';

/** Chairs only; the last chair cannot be removed. */
export const govMembersRemove: ChatCommand = {
  name: 'gov members remove',
  usage: USAGE,
  summary: 'remove a committee member (their past votes stay on record)',
  access: 'chair',
  async run(ctx, args) {
    const [who, ...extra] = args;
    const target = memberTarget(who, ctx.actor.platform);
    if (!target.ok) return mistake(USAGE, target.error);
    if (extra.length > 0) return mistake(USAGE, `Remove one person at a time; "${extra.join(' ')}" was not expected`);
    const removed = await removeCommitteeMember(ctx.services, ctx.actor, target.value);
    if (!removed.ok) return mistake(USAGE, removed.error);
    return privateReply(removed.value);
  },
};
