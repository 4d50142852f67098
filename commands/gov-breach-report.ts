import { formatInstant, parseAwareAt } from '../src/domain/breach.js';
import { owedParties } from '../src/domain/breach-notices.js';
import { parseOptions } from '../src/domain/command-grammar.js';
import { privateReply } from '../src/chat/reply.js';
import { breachNotices } from '../src/chat/cards/breach-card.js';
import { MAX_BREACH_TEXT, reportBreach } from '../src/services/breaches.js';
import { freeText, mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov breach report <summary> [--aware YYYY-MM-DDTHH:MM] [--controllers [--own-data]] [--high-risk]';

/**
 * Members only. `--aware` is when the company became aware, in TIMEZONE (default now). Whose data:
 * no flag, the company's own (the regulator's 72 hours run, and with `--high-risk` the individuals
 * are owed a notice); `--controllers`, customers' data only (their controllers are told without
 * undue delay; the regulator and the individuals are theirs to tell); `--controllers --own-data`,
 * both. The regulator is owed a notice unless the committee later records it is not reportable.
 */
export const govBreachReport: ChatCommand = {
  name: 'gov breach report',
  usage: USAGE,
  summary: 'report a suspected breach (describe it without naming people): starts the 72-hour clock and posts its card to the committee',
  access: 'member',
  async run(ctx, args) {
    const parsed = parseOptions(args, ['aware'], ['controllers', 'own-data', 'high-risk']);
    if (!parsed.ok) return mistake(USAGE, parsed.error);
    const summary = freeText(parsed.value.positionals);
    if (summary === null) return mistake(USAGE, 'Describe the suspected breach, e.g. /gov breach report laptop with a CRM export lost on a train');
    if (summary.length > MAX_BREACH_TEXT) return mistake(USAGE, `Keep the summary to ${MAX_BREACH_TEXT} characters`);
    const timeZone = ctx.services.config.timezone;
    const awareText = parsed.value.options.aware;
    let awareAt: Date | null = null;
    if (typeof awareText === 'string') {
      const aware = parseAwareAt(awareText, timeZone, ctx.services.clock());
      if (!aware.ok) return mistake(USAGE, aware.error);
      awareAt = aware.value;
    }
    const reported = await reportBreach(ctx.services, ctx.actor, {
      summary, awareAt,
      controllersAffected: parsed.value.options.controllers === true,
      // --controllers alone means customers' data only; without it the data is the company's own.
      ownData: parsed.value.options.controllers !== true || parsed.value.options['own-data'] === true,
      individualsHighRisk: parsed.value.options['high-risk'] === true,
    });
    if (!reported.ok) return mistake(USAGE, reported.error);
    const breach = reported.value;
    const owed = owedParties(breachNotices(breach)).join(', ');
    const clock = breach.own_data
      ? `The 72-hour clock runs from ${formatInstant(breach.aware_at, timeZone)}: report it to the regulator by ${formatInstant(breach.deadline_at, timeZone)}, or record /gov breach not-reportable ${breach.reference} <reason>.`
      : 'Customers\' data only: tell their controllers without undue delay (Art 33(2)); the regulator and the individuals are theirs to tell.';
    return privateReply(`Reported ${breach.reference}. ${clock} Owed a notice: ${owed}. Its card is in the committee channel; as each is told: /gov breach notified ${breach.reference} <${owedParties(breachNotices(breach)).join('|')}>.`);
  },
};
