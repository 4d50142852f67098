import { quoteInput } from './quote.js';
import { err, ok, type Result } from './result.js';

/**
 * Telephone numbers as one string per line, E.164 (`+447700900123`), so that a number opted out of
 * as `07700 900123` is recognised when a CRM export spells it `+44 (0)7700 900 123`. The phone is
 * an identifier on the suppression list (DESIGN §1, §4), so two spellings of one line must always
 * give one hash, and a string that is not clearly a number must give none rather than a guess.
 *
 * The company is in the UK: a number written the national way (a leading 0) is a UK number. A
 * number without a country code or a trunk 0 (`7700900123`) cannot be placed with certainty.
 */

const EXAMPLE = '07700 900123 or +44 7700 900123';
/** ITU-T E.164: a country code and subscriber number of at most 15 digits, and realistically 8 or more. */
const MIN_DIGITS = 8;
const MAX_DIGITS = 15;

/** `+44 (0)20 7946 0000 ext. 12` → digits with a leading + kept, the extension and punctuation dropped. */
function compact(input: string): string | null {
  const withoutExtension = input.trim().replace(/\s*(?:ext\.?|extension|x|#)\s*\d{1,6}$/i, '');
  // "(0)" after a country code is the trunk prefix written for callers at home: drop it.
  const withoutTrunkHint = withoutExtension.replace(/\(\s*0\s*\)/g, '');
  if (!/^\+?[\d\s().\-/]+$/.test(withoutTrunkHint)) return null;
  const plus = withoutTrunkHint.startsWith('+');
  const digits = withoutTrunkHint.replace(/\D/g, '');
  return plus ? `+${digits}` : digits;
}

/**
 * The E.164 form of a telephone number, or null when it cannot be placed with certainty. UK
 * national numbers (0 then 9 or 10 digits) become +44; `00` is the international prefix; a trunk
 * 0 written after +44 is dropped (`+44 0 20…` is `+44 20…`).
 */
export function normalisePhone(input: string): string | null {
  const compacted = compact(input);
  if (compacted === null) return null;
  let international: string;
  if (compacted.startsWith('+')) international = compacted.slice(1);
  else if (compacted.startsWith('00')) international = compacted.slice(2);
  else if (/^0[1-9]\d{8,9}$/.test(compacted)) international = `44${compacted.slice(1)}`;
  else return null;
  if (international.startsWith('440')) international = `44${international.slice(3)}`;
  if (international.startsWith('0') || international.length < MIN_DIGITS || international.length > MAX_DIGITS) return null;
  if (international.startsWith('44') && !/^44[1-9]\d{8,9}$/.test(international)) return null;
  return `+${international}`;
}

/** Normalises a phone number a person typed, with a message that shows a good one when it cannot. */
export function parsePhone(input: string): Result<string> {
  const phone = normalisePhone(input);
  if (phone !== null) return ok(phone);
  const shown = input.trim() === '' ? 'The phone number' : quoteInput(input.trim());
  return err(`${shown} is not a phone number govbot can place; write it as ${EXAMPLE}.`);
}
