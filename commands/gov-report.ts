import { privateReply } from '../src/chat/reply.js';
import { platformForNewCard } from '../src/services/committee-channel.js';
import { resolveQuarter } from '../src/services/reports/build-report.js';
import { postQuarterReport } from '../src/services/reports/post-report.js';
import { mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov report [YYYY-Qn]';

/** Members only: the committee's performance is its own business until it hands the report on. */
export const govReport: ChatCommand = {
  name: 'gov report',
  usage: USAGE,
  summary: 'the accountability report for a quarter (default: the last complete one), posted with its chart',
  access: 'member',
  async run(ctx, args) {
    if (args.length > 1) return mistake(USAGE, `name one quarter, such as 2026-Q3, not "${args.join(' ').slice(0, 60)}"`);
    const now = ctx.services.clock();
    const quarter = await resolveQuarter(ctx.services, args[0] ?? null, now);
    if (!quarter.ok) return mistake(USAGE, quarter.error);
    const platform = await platformForNewCard(ctx.services.db, ctx.services.config, ctx.actor.platform);
    const posted = await postQuarterReport(ctx.services, quarter.value, now, { platform, by: ctx.actor.key });
    const lines = posted.headline.slice(0, 4).map((h) => `${h.label}: ${h.value}`);
    return privateReply(`The ${quarter.value.key} accountability report is on its way to the committee channel, with its chart.\n${lines.join('\n')}\nThe full report and request log: govbot report --quarter ${quarter.value.key}.`);
  },
};
