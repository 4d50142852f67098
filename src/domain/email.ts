import { quoteInput } from './quote.js';
import { err, ok, type Result } from './result.js';

/**
 * Email addresses are the register's main identifier and the input to the suppression hash, so
 * one address must always normalise to one string. Validation is pragmatic, not RFC 5322: it
 * catches the typos people make and the junk CRM exports hold, and accepts every real address.
 */

const MAX_LENGTH = 254; // RFC 5321 path limit, less the angle brackets
const MAX_LOCAL_LENGTH = 64;
const EXAMPLE = 'jane.doe@example.com';

/**
 * Trim and lower-case. Lower-casing the local part is technically lossy, but no mail provider the
 * company deals with treats case as significant, and a case-sensitive suppression list would let
 * `Jane@…` through after `jane@…` asked to be forgotten.
 */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Why `email` is not usable, or null when it is. Checks the value as given (normalise first). */
function problem(email: string): string | null {
  if (email === '') return 'is empty';
  if (/\s/.test(email)) return 'contains a space';
  if (email.length > MAX_LENGTH) return `is longer than ${MAX_LENGTH} characters`;
  const at = email.indexOf('@');
  if (at === -1) return 'has no @';
  if (email.indexOf('@', at + 1) !== -1) return 'has more than one @';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local === '') return 'has nothing before the @';
  if (local.length > MAX_LOCAL_LENGTH) return `has more than ${MAX_LOCAL_LENGTH} characters before the @`;
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return 'has a misplaced dot before the @';
  if (!domain.includes('.')) return 'has no dot in the part after the @';
  const labels = domain.split('.');
  if (labels.some((label) => label === '')) return 'has an empty part in the domain (two dots, or a dot at an end)';
  if (labels.some((label) => label.startsWith('-') || label.endsWith('-'))) return 'has a domain part that starts or ends with a hyphen';
  if (!/^[^\s@"(),:;<>[\]\\]+$/.test(domain)) return 'has characters not allowed in a domain';
  return null;
}

export function isValidEmail(email: string): boolean {
  return problem(email) === null;
}

/** Normalises, then validates, with a message that names the problem and shows a good address. */
export function parseEmail(input: string): Result<string> {
  const email = normaliseEmail(input);
  const why = problem(email);
  if (why === null) return ok(email);
  const shown = email === '' ? 'The email address' : quoteInput(input.trim());
  return err(`${shown} ${why}; an email address looks like ${EXAMPLE}.`);
}
