import { privateReply } from '../src/chat/reply.js';
import { resumeRequest } from '../src/services/resume-request.js';
import { mistake, requestRef } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/dsr resume <ref>';

/** Members only, like pausing. */
export const dsrResume: ChatCommand = {
  name: 'dsr resume',
  usage: USAGE,
  summary: 'restart the statutory clock when the information has arrived',
  access: 'member',
  async run(ctx, args) {
    if (args.length > 1) return mistake(USAGE, `Give one reference, not "${args.join(' ')}"`);
    const ref = requestRef(args[0]);
    if (!ref.ok) return mistake(USAGE, ref.error);
    const resumed = await resumeRequest(ctx.services, ctx.actor, ref.value);
    if (!resumed.ok) return mistake(USAGE, resumed.error);
    const r = resumed.value;
    return privateReply(`The clock of ${r.reference} runs again: paused ${r.pausedOn} to ${r.resumedOn} (${r.kind}), ${r.days} day${r.days === 1 ? '' : 's'} added. Due ${r.dueOn} (was ${r.previousDueOn}).`);
  },
};
