import { parseIsoDate } from '../src/domain/dates.js';
import { parseOptions } from '../src/domain/command-grammar.js';
import { privateReply } from '../src/chat/reply.js';
import { acknowledgeComplaint } from '../src/services/complaints.js';
import { mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov complaint ack <ref> [--on YYYY-MM-DD]';

/** Members only. Records that the complainant was sent the acknowledgement (`--on`, default today). */
export const govComplaintAck: ChatCommand = {
  name: 'gov complaint ack',
  usage: USAGE,
  summary: 'record that a complaint was acknowledged to the complainant',
  access: 'member',
  async run(ctx, args) {
    const parsed = parseOptions(args, ['on']);
    if (!parsed.ok) return mistake(USAGE, parsed.error);
    const [ref, ...extra] = parsed.value.positionals;
    if (ref === undefined || extra.length > 0) return mistake(USAGE, 'Give one complaint reference, e.g. CMP-2026-001');
    let on = null;
    if (typeof parsed.value.options.on === 'string') {
      const date = parseIsoDate(parsed.value.options.on);
      if (!date.ok) return mistake(USAGE, `--on: ${date.error}`);
      on = date.value;
    }
    const done = await acknowledgeComplaint(ctx.services, ctx.actor, { reference: ref }, on);
    return done.ok ? privateReply(done.value.message) : mistake(USAGE, done.error);
  },
};
