import { err, ok, type Result } from './result.js';

/**
 * Privacy-notice versions as the company numbers them: dotted numbers (`3`, `2026.2`, `1.4.2`) or the
 * date of the version (`2026-03-01`). They are compared part by part as numbers, so `2026.10` comes
 * after `2026.9` and `2026.1` equals `2026.1.0`; a leading `v` is forgiven. Anything else is refused
 * rather than guessed at, because the point of the check is that a recorded version never goes back.
 */

const VERSION = /^v?(\d{1,9}(?:[.-]\d{1,9}){0,4})$/i;
export const VERSION_EXAMPLE = '2026.2 (or the date of the version, 2026-03-01)';
const MAX_LENGTH = 40;

export interface NoticeVersion {
  /** As typed, minus spaces and a leading v: what is stored and shown. */
  readonly text: string;
  readonly parts: readonly number[];
}

export function parseNoticeVersion(input: string): Result<NoticeVersion> {
  const text = input.trim();
  const match = text.length <= MAX_LENGTH ? VERSION.exec(text) : null;
  if (!match) {
    const shown = text === '' ? 'An empty version' : `"${text.slice(0, MAX_LENGTH)}"`;
    return err(`${shown} is not a notice version: give numbers separated by dots, e.g. ${VERSION_EXAMPLE}`);
  }
  const canonical = match[1]!;
  return ok({ text: canonical, parts: canonical.split(/[.-]/).map(Number) });
}

/** -1 when `a` is older than `b`, 0 when the same version, 1 when newer. Missing parts count as 0. */
export function compareNoticeVersions(a: NoticeVersion, b: NoticeVersion): -1 | 0 | 1 {
  const length = Math.max(a.parts.length, b.parts.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.parts[i] ?? 0;
    const y = b.parts[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Whether `next` may be recorded after `current`: a newer version, or the same one reviewed again
 * (a yearly review that changed nothing). A version going backwards is a typo or a stale draft.
 */
export function checkNextVersion(current: string | null, next: NoticeVersion): Result<NoticeVersion> {
  if (current === null) return ok(next);
  const previous = parseNoticeVersion(current);
  // A stored version this code cannot read (entered by hand) cannot be ordered: accept the new one.
  if (!previous.ok) return ok(next);
  if (compareNoticeVersions(next, previous.value) < 0) {
    return err(`Version ${next.text} is older than ${previous.value.text}, the version last reviewed: a recorded version never goes back. Give ${previous.value.text} to record a re-review of it, or a newer version`);
  }
  return ok(next);
}
