import { privateReply } from '../src/chat/reply.js';
import { recordNotReportable } from '../src/services/breach-notices.js';
import { freeText, MAX_FREE_TEXT, mistake } from './arguments.js';
import { breachRef } from './gov-breach-notified.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov breach not-reportable <ref> <reason>';

/** Members only: the decision not to tell the regulator is recorded with its reason (Art 33(5)). */
export const govBreachNotReportable: ChatCommand = {
  name: 'gov breach not-reportable',
  usage: USAGE,
  summary: 'record the decision that a breach need not be reported to the regulator, with the reason',
  access: 'member',
  async run(ctx, args) {
    const [refWord, ...rest] = args;
    const ref = breachRef(refWord);
    if (!ref.ok) return mistake(USAGE, ref.error);
    const reason = freeText(rest);
    if (reason === null) return mistake(USAGE, `Give the reason ${ref.value} is unlikely to result in a risk to anyone, e.g. the lost laptop was encrypted`);
    if (reason.length > MAX_FREE_TEXT) return mistake(USAGE, `Keep the reason to ${MAX_FREE_TEXT} characters`);
    const decided = await recordNotReportable(ctx.services, ctx.actor, { reference: ref.value, reason });
    if (!decided.ok) return mistake(USAGE, decided.error);
    const { breach, outstanding } = decided.value;
    // Only the controllers can still be owed a notice: a processor tells them of every breach.
    const after = outstanding.length > 0
      ? ` It stays open until the ${outstanding.join(' and ')} are told: /gov breach notified ${breach.reference} ${outstanding[0]}.`
      : ` ${breach.reference} is closed.`;
    return privateReply(`Recorded: ${breach.reference} is not reportable to the regulator (the reason is on its card and in the register).${after}`);
  },
};
