import { privateReply } from '../src/chat/reply.js';
import { describeComplaint } from '../src/services/complaints.js';
import { mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov complaint show <ref>';

export const govComplaintShow: ChatCommand = {
  name: 'gov complaint show',
  usage: USAGE,
  summary: 'one complaint: dates, what it is about, acknowledgement and outcome',
  access: 'member',
  async run(ctx, args) {
    if (args.length !== 1) return mistake(USAGE, 'Give one complaint reference, e.g. CMP-2026-001');
    const shown = await describeComplaint(ctx.services, args[0]!);
    return shown.ok ? privateReply(shown.value) : mistake(USAGE, shown.error);
  },
};
