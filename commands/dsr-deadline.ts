import { parseOptions } from '../src/domain/command-grammar.js';
import { formatDateWithWeekday, parseIsoDate } from '../src/domain/dates.js';
import { statutoryDueDate } from '../src/domain/deadlines.js';
import { parseRegion } from '../src/domain/holidays.js';
import { privateReply } from '../src/chat/reply.js';
import { mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/dsr deadline <YYYY-MM-DD> [--region england-and-wales|scotland|northern-ireland] [--paused-days N] [--extended]';

/**
 * Anyone: it reads nothing from the register, and whoever takes a request by phone should be able
 * to tell the caller when to expect an answer. The same arithmetic and options as `govbot deadline`;
 * the first line is the date alone, as there. A future date is fine: it answers "what if".
 */
export const dsrDeadline: ChatCommand = {
  name: 'dsr deadline',
  usage: USAGE,
  summary: 'the statutory due date for a request received that day',
  access: 'anyone',
  async run(ctx, args) {
    const parsed = parseOptions(args, ['region', 'paused-days'], ['extended']);
    if (!parsed.ok) return mistake(USAGE, parsed.error);
    const [received, ...extra] = parsed.value.positionals;
    if (received === undefined) return mistake(USAGE, 'Give the date the request was received');
    if (extra.length > 0) return mistake(USAGE, `Unexpected "${extra.join(' ')}"`);
    const date = parseIsoDate(received);
    if (!date.ok) return mistake(USAGE, date.error);
    // Past 9999-09 the due date would need a five-digit year; no request is received that late.
    if (date.value > '2999-12-31') return mistake(USAGE, `${date.value} is too far ahead: give a date before the year 3000`);
    const { region: regionWord, 'paused-days': pausedWord, extended: extendedFlag } = parsed.value.options;
    const region = typeof regionWord === 'string' ? parseRegion(regionWord) : { ok: true as const, value: ctx.services.config.bankHolidayRegion };
    if (!region.ok) return mistake(USAGE, region.error);
    const pausedText = typeof pausedWord === 'string' ? pausedWord : '0';
    if (!/^\d{1,4}$/.test(pausedText)) return mistake(USAGE, `--paused-days must be a whole number of days, e.g. --paused-days 5 (got "${pausedText}")`);
    const pausedDays = Number(pausedText);
    const extended = extendedFlag === true;
    const due = statutoryDueDate({ receivedOn: date.value, region: region.value, pausedDays, extended });
    return privateReply(`${due}\nReceived ${formatDateWithWeekday(date.value)}; ${extended ? 'three months (extended)' : 'one month'}` +
      `${pausedDays > 0 ? ` plus ${pausedDays} paused day(s)` : ''}; due ${formatDateWithWeekday(due)} (${region.value} bank holidays).`);
  },
};
