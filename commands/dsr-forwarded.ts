import { privateReply } from '../src/chat/reply.js';
import { parseOptions } from '../src/domain/command-grammar.js';
import { recordForwarded } from '../src/services/record-forwarded.js';
import { mistake, onDate, requestRef } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/dsr forwarded <ref> [--on YYYY-MM-DD]';

/** Members only: records that a processor-route request was passed to its controller. */
export const dsrForwarded: ChatCommand = {
  name: 'dsr forwarded',
  usage: USAGE,
  summary: 'record that a processor-route request (--controller) was passed to its controller',
  access: 'member',
  async run(ctx, args) {
    const parsed = parseOptions(args, ['on']);
    if (!parsed.ok) return mistake(USAGE, parsed.error);
    const words = parsed.value.positionals;
    if (words.length > 1) return mistake(USAGE, `Give one reference, not "${words.join(' ').slice(0, 60)}"`);
    const ref = requestRef(words[0]);
    if (!ref.ok) return mistake(USAGE, ref.error);
    const day = onDate(parsed.value.options.on);
    if (!day.ok) return mistake(USAGE, day.error);
    const on = day.value;
    const done = await recordForwarded(ctx.services, ctx.actor, ref.value, on);
    if (!done.ok) return mistake(USAGE, done.error);
    const f = done.value;
    return privateReply(`Recorded: ${f.reference} was passed to ${f.controller} on ${f.on} (${f.clock.status}; the target was ${f.clock.due ?? ''}). The request is closed; assist the controller as they ask.`);
  },
};
