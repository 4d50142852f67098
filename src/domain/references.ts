import { isIsoDate, type IsoDate } from './dates.js';
import { err, ok, type Result } from './result.js';

/**
 * Human references printed on every card (CONTRACT §5): `DSR-2026-0001` for requests (year of
 * receipt, then a sequence), `BR-2026-001` for breaches, `PURGE-2026-Q4` for a quarter's sweep.
 * Sequences are zero-padded for tidy sorting and simply grow wider past the padding.
 */

export interface ParsedRef {
  readonly year: number;
  readonly seq: number;
  /** The canonical spelling, e.g. `DSR-2026-0001` for input `dsr-2026-1`. */
  readonly ref: string;
}

function format(prefix: string, width: number, year: number, seq: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`year must have 4 digits, got ${year}`);
  if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`sequence must be a whole number of at least 1, got ${seq}`);
  return `${prefix}-${year}-${String(seq).padStart(width, '0')}`;
}

/**
 * Case-insensitive and forgiving about padding (`dsr-2026-1`), because people type references
 * from memory; the value carries the canonical form to look up.
 */
function parse(prefix: string, width: number, input: string, example: string, where: string): Result<ParsedRef> {
  const text = input.trim();
  const match = new RegExp(`^${prefix}-(\\d{4})-(\\d{1,9})$`, 'i').exec(text);
  const seq = Number(match?.[2]);
  if (!match || seq < 1) {
    const shown = text === '' ? 'An empty reference' : `"${text}"`;
    return err(`${shown} is not a ${where} reference; they look like ${example} (${prefix}, the year, then the number).`);
  }
  const year = Number(match[1]);
  return ok({ year, seq, ref: format(prefix, width, year, seq) });
}

export function formatRequestRef(year: number, seq: number): string {
  return format('DSR', 4, year, seq);
}

export function parseRequestRef(input: string): Result<ParsedRef> {
  return parse('DSR', 4, input, 'DSR-2026-0001', 'request');
}

export function formatBreachRef(year: number, seq: number): string {
  return format('BR', 3, year, seq);
}

export function parseBreachRef(input: string): Result<ParsedRef> {
  return parse('BR', 3, input, 'BR-2026-001', 'breach');
}

/** Calendar quarter of a date: Jan–Mar is 1, Oct–Dec is 4. */
export function quarterOf(date: IsoDate): 1 | 2 | 3 | 4 {
  if (!isIsoDate(date)) throw new RangeError(`Not an ISO date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return Math.ceil(Number(date.slice(5, 7)) / 3) as 1 | 2 | 3 | 4;
}

/** The purge proposal of the quarter `date` falls in: the sweep on 1 Oct 2026 makes `PURGE-2026-Q4`. */
export function purgeRef(date: IsoDate): string {
  return `PURGE-${date.slice(0, 4)}-Q${quarterOf(date)}`;
}

export function formatComplaintRef(year: number, seq: number): string {
  return format('CMP', 3, year, seq);
}

export function parseComplaintRef(input: string): Result<ParsedRef> {
  return parse('CMP', 3, input, 'CMP-2026-001', 'complaint');
}
