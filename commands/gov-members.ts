import { privateReply } from '../src/chat/reply.js';
import { mention } from '../src/chat/mention.js';
import { memberKey } from '../src/services/committee-members.js';
import { listCommittee } from '../src/services/committee-members.js';
import { mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov members';
const FORMS = '/gov members, /gov members add <@user> [chair] or /gov members remove <@user>';

/** Members only: the roster says who may vote, which is committee business. */
export const govMembers: ChatCommand = {
  name: 'gov members',
  usage: USAGE,
  summary: 'the committee roster (chairs first)',
  access: 'member',
  async run(ctx, args) {
    if (args.length > 0) return mistake(FORMS, `"${args[0] ?? ''}" is not add or remove`);
    const members = await listCommittee(ctx.services);
    const lines = members.map((m) => `• ${mention(memberKey(m.platform, m.platform_user_id))}${m.role === 'chair' ? ' (chair)' : ''}${m.platform === ctx.actor.platform ? '' : ` on ${m.platform}`}`);
    const chairs = members.filter((m) => m.role === 'chair').length;
    return privateReply([`The committee: ${members.length} member${members.length === 1 ? '' : 's'}, including ${chairs} chair${chairs === 1 ? '' : 's'}.`, ...lines].join('\n'));
  },
};
