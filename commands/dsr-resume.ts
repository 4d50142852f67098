import { privateReply } from '../src/chat/reply.js';
import { parseOptions } from '../src/domain/command-grammar.js';
import { formatDateWithWeekday } from '../src/domain/dates.js';
import { resumeRequest } from '../src/services/resume-request.js';
import { mistake, onDate, requestRef } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/dsr resume <ref> [--on YYYY-MM-DD]';

/** Members only, like pausing. `--on`: the day the answer arrived (default today). */
export const dsrResume: ChatCommand = {
  name: 'dsr resume',
  usage: USAGE,
  summary: 'record that what was asked for arrived: the clock starts afresh that day (identity, authority, fee) or runs again (clarification)',
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
    const resumed = await resumeRequest(ctx.services, ctx.actor, ref.value, on);
    if (!resumed.ok) return mistake(USAGE, resumed.error);
    const r = resumed.value;
    const due = r.clock.due ? ` Due ${formatDateWithWeekday(r.clock.due)}${r.previousDueOn && r.previousDueOn !== r.clock.due ? ` (was ${r.previousDueOn})` : ''}.` : ` ${r.clock.status}.`;
    if (r.kind === 'clarification') {
      return privateReply(`Clarification received ${r.arrivedOn} for ${r.reference}: the clock runs again; stopped ${r.askedOn} to ${r.arrivedOn}, both days included, ${r.clock.stoppedDays} stopped day${r.clock.stoppedDays === 1 ? '' : 's'} in all.${due}`);
    }
    return privateReply(`${r.reference}: ${r.clock.started} (Art 12A).${due}`);
  },
};
