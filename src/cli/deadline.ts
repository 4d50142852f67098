import { parseArgs } from 'node:util';
import { formatDateWithWeekday, parseIsoDate } from '../domain/dates.js';
import { statutoryDueDate } from '../domain/deadlines.js';
import { parseRegion, type Region } from '../domain/holidays.js';
import { USAGE_ERROR, type CliIo } from './io.js';

const FORM = 'govbot deadline <YYYY-MM-DD> [--region england-and-wales|scotland|northern-ireland] [--paused-days N] [--extended]';

/** Prints the due date alone on the first line (for scripts), then how it was reached. */
export async function deadlineCommand(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { region: { type: 'string' }, 'paused-days': { type: 'string' }, extended: { type: 'boolean' } },
    });
  } catch (error) {
    return usage(io, (error as Error).message);
  }
  const [received, ...extra] = parsed.positionals;
  if (received === undefined || extra.length > 0) return usage(io, received === undefined ? 'the date of receipt is missing' : `unexpected "${extra.join(' ')}"`);
  const date = parseIsoDate(received);
  if (!date.ok) return usage(io, date.error);
  // Past 9999-09 the due date would need a five-digit year; no request is received that late.
  if (date.value > '2999-12-31') return usage(io, `${date.value} is too far ahead: give a date before the year 3000`);

  let region: Region;
  if (parsed.values.region === undefined) {
    region = io.loadConfig().bankHolidayRegion;
  } else {
    const r = parseRegion(parsed.values.region);
    if (!r.ok) return usage(io, r.error);
    region = r.value;
  }
  const pausedText = parsed.values['paused-days'] ?? '0';
  if (!/^\d{1,4}$/.test(pausedText)) return usage(io, `--paused-days must be a whole number of days, e.g. --paused-days 5 (got "${pausedText}")`);
  const pausedDays = Number(pausedText);
  const extended = parsed.values.extended === true;

  const due = statutoryDueDate({ receivedOn: date.value, region, pausedDays, extended });
  io.out(due);
  io.out(`received ${formatDateWithWeekday(date.value)}; ${extended ? 'three months (extended)' : 'one month'}` +
    `${pausedDays > 0 ? ` plus ${pausedDays} paused day(s)` : ''}; due ${formatDateWithWeekday(due)} (${region} bank holidays)`);
  return 0;
}

function usage(io: CliIo, problem: string): number {
  io.err(`govbot deadline: ${problem}`);
  io.err(`usage: ${FORM}`);
  return USAGE_ERROR;
}
