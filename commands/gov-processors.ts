import { privateReply } from '../src/chat/reply.js';
import { renderProcessorList } from '../src/chat/cards/review-lines.js';
import { listProcessorsFor } from '../src/services/processors.js';
import { mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov processors';

/** Anyone: the register of service providers is what the privacy notice promises the company keeps. */
export const govProcessors: ChatCommand = {
  name: 'gov processors',
  usage: USAGE,
  summary: 'the Article 30 register of service providers, with purpose, last and next review',
  access: 'anyone',
  async run(ctx, args) {
    if (args.length > 0) {
      return mistake(USAGE, `"${args.join(' ').slice(0, 60)}" is not a /gov processors form: use /gov processors, /gov processors add <name> <purpose> or /gov processors reviewed <name>`);
    }
    return privateReply(renderProcessorList(await listProcessorsFor(ctx.services)));
  },
};
