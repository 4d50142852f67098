/**
 * Personal data on cards is minimised (CONTRACT §5): enough for a committee member to recognise
 * a request, not enough to identify a stranger. Both functions accept whatever the register or a
 * form holds (null, blanks, odd shapes) and never throw, because a card must render regardless.
 */

const MASK = '***';

/** The first character (a whole code point, so emoji and accents survive) followed by the mask. */
function maskWord(word: string): string {
  const first = Array.from(word)[0];
  return first === undefined ? '' : `${first}${MASK}`;
}

/** `john.smith@example.com` → `j***@example.com`; without an `@`, masks the whole value. */
export function maskEmail(email: string | null | undefined): string {
  const text = (email ?? '').trim();
  if (text === '') return '';
  const at = text.lastIndexOf('@'); // the domain follows the last @, even in quoted local parts
  if (at === -1) return `${Array.from(text)[0] ?? ''}${MASK}`;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1).toLowerCase();
  const first = Array.from(local)[0];
  return `${first === undefined ? '' : first.toLowerCase()}${MASK}@${domain}`;
}

/** `John Smith` → `J*** S***`: one masked word per name, so the shape of the name is kept. */
export function maskName(name: string | null | undefined): string {
  return (name ?? '')
    .trim()
    .split(/\s+/)
    .map(maskWord)
    .filter((word) => word !== '')
    .join(' ');
}
