import { formatInstant, parseAwareAt } from '../src/domain/breach.js';
import { PARTIES } from '../src/domain/breach-notices.js';
import { parseOptions } from '../src/domain/command-grammar.js';
import { parseBreachRef } from '../src/domain/references.js';
import { err, ok, type Result } from '../src/domain/result.js';
import { privateReply } from '../src/chat/reply.js';
import { recordBreachNotice } from '../src/services/breach-notices.js';
import { MAX_FREE_TEXT, mistake, oneOf } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov breach notified <ref> <regulator|controllers|individuals> [--at YYYY-MM-DDTHH:MM] [--late-reason "…"]';
// The latest instant a Date can hold: parses `--at` without judging it against the clock (the service does).
const END_OF_TIME = new Date(8.64e15);

/**
 * Members only. Records who has been told, now or `--at` a stated time (in TIMEZONE). A regulator
 * notice after the 72 hours is recorded at once, and the reply asks for the reasons for the delay:
 * given with `--late-reason "…"`, on the same command or by repeating it afterwards. The breach
 * stays open until they are recorded.
 */
export const govBreachNotified: ChatCommand = {
  name: 'gov breach notified',
  usage: USAGE,
  summary: 'record who has been told of a breach; a late regulator notice needs --late-reason',
  access: 'member',
  async run(ctx, args) {
    const parsed = parseOptions(args, ['at', 'late-reason']);
    if (!parsed.ok) return mistake(USAGE, parsed.error);
    const [refWord, partyWord, ...extra] = parsed.value.positionals;
    const ref = breachRef(refWord);
    if (!ref.ok) return mistake(USAGE, ref.error);
    const party = oneOf(partyWord, PARTIES, 'party told');
    if (!party.ok) return mistake(USAGE, party.error);
    if (extra.length > 0) return mistake(USAGE, `Only --at and --late-reason may follow the party, not "${extra.join(' ').slice(0, 60)}" (quote the reasons: --late-reason "…")`);
    const timeZone = ctx.services.config.timezone;
    const { at, 'late-reason': lateText } = parsed.value.options;
    let toldAt: Date | null = null;
    if (typeof at === 'string') {
      const when = parseAwareAt(at, timeZone, END_OF_TIME);
      if (!when.ok) return mistake(USAGE, `--at ${at.slice(0, 40)} is not a time in the form YYYY-MM-DDTHH:MM (${timeZone}), e.g. --at 2026-03-05T09:30`);
      toldAt = when.value;
    }
    const lateReason = typeof lateText === 'string' ? lateText.trim() : null;
    if (lateReason === '') return mistake(USAGE, 'Give the reasons for the delay inside the quotes: --late-reason "…"');
    if (lateReason !== null && lateReason.length > MAX_FREE_TEXT) return mistake(USAGE, `Keep the reasons to ${MAX_FREE_TEXT} characters`);
    const recorded = await recordBreachNotice(ctx.services, ctx.actor, { reference: ref.value, party: party.value, toldAt, lateReason });
    if (!recorded.ok) return mistake(USAGE, recorded.error);
    const { breach, lateReasonNeeded, outstanding, recorded: what } = recorded.value;
    const toldAtText = formatInstant(breach[`${party.value}_notified_at` as const] ?? ctx.services.clock(), timeZone);
    const lines = [what === 'late-reason'
      ? `Recorded the reasons for the late report of ${breach.reference} to the regulator.`
      : `Recorded for ${breach.reference}: ${party.value === 'regulator' ? 'the regulator was' : `the ${party.value} were`} told at ${toldAtText}.`];
    if (lateReasonNeeded) {
      lines.push(`That was after the 72-hour deadline (${formatInstant(breach.deadline_at, timeZone)}): a late report needs the reasons for the delay. Record them with /gov breach notified ${breach.reference} regulator --late-reason "…"; the breach stays open until then.`);
    }
    if (outstanding.length > 0) lines.push(`Still to be told: ${outstanding.join(', ')}.`);
    if (breach.status === 'closed') lines.push(`${breach.reference} is closed: everyone owed a notice has had one.`);
    return privateReply(lines.join(' '));
  },
};

/** The breach reference, canonical (`br-2026-1` → `BR-2026-001`). */
export function breachRef(word: string | undefined): Result<string> {
  if (word === undefined) return err('Give the breach reference, e.g. BR-2026-001');
  const parsed = parseBreachRef(word);
  return parsed.ok ? ok(parsed.value.ref) : parsed;
}
