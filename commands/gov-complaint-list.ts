import { privateReply } from '../src/chat/reply.js';
import { listComplaintLines } from '../src/services/complaints.js';
import { mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov complaint list';

/** Members only: complaints name (masked) people and what went wrong for them. */
export const govComplaintList: ChatCommand = {
  name: 'gov complaint list',
  usage: USAGE,
  summary: 'open complaints by acknowledgement date, then those closed in the last 30 days',
  access: 'member',
  async run(ctx, args) {
    if (args.length > 0) return mistake(USAGE, `/gov complaint list takes no filter, not "${args.join(' ').slice(0, 60)}"`);
    const lines = await listComplaintLines(ctx.services);
    if (lines.length === 0) return privateReply('No open complaints, and none closed in the last 30 days.');
    return privateReply(['Complaints:', ...lines.map((line) => `• ${line}`)].join('\n'));
  },
};
