import { err, ok, type Result } from './result.js';

/**
 * What people type ends up in Postgres, where a `text` column refuses the NUL character and `jsonb`
 * (proposal summaries, cards waiting in the outbox) refuses an unpaired UTF-16 surrogate. Either
 * would fail the whole transaction as a fault; checked where the text comes in, it is a mistake
 * answered with a message, or (for the surrogate, which no keyboard types) quietly repaired.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const NUL_PROBLEM = 'holds a NUL character (\\0), which cannot be stored: type it again without it';

/** Unpaired surrogates become U+FFFD, as UTF-8 encoding would make them anyway. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** The text, well-formed, or why it cannot be stored. */
export function storableText(text: string): Result<string> {
  return text.includes('\u0000') ? err(NUL_PROBLEM) : ok(wellFormed(text));
}
