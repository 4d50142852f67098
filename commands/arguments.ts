import { parseIsoDate, type IsoDate } from '../src/domain/dates.js';
import { parseBreachRef, parseComplaintRef, parseRequestRef } from '../src/domain/references.js';
import { err, ok, type Result } from '../src/domain/result.js';
import { privateReply, type Reply } from '../src/chat/reply.js';
import type { Platform } from '../src/services/committee-members.js';
import type { MemberTarget } from '../src/services/committee-members.js';

/** Shared by the command files: how arguments are read and how a mistake is answered. */

/** A private reply that says what was wrong, then the correct form. */
export function mistake(usage: string, problem: string): Reply {
  const text = problem.trim();
  return privateReply(`${text}${/[.!?)]$/.test(text) ? '' : '.'} Usage: ${usage}`);
}

/**
 * The usage of a command about one request, breach or complaint, with the reference the person
 * typed in place of `<ref>` once it reads as one of the right kind: after a mistake they see the
 * form to type again for that very request. Otherwise the usage as it is.
 */
export function usageFor(usage: string, word: string | undefined): string {
  // `/dsr show <ref>` filled in is only what they typed: the form is more use as it is.
  if (word === undefined || !usage.includes(' <ref> ')) return usage;
  const parse = usage.startsWith('/gov breach ') ? parseBreachRef : usage.startsWith('/gov complaint ') ? parseComplaintRef : usage.startsWith('/dsr ') ? parseRequestRef : null;
  const parsed = parse?.(word);
  return parsed?.ok ? usage.replace('<ref>', parsed.value.ref) : usage;
}

/** The request reference, canonical (`dsr-2026-1` → `DSR-2026-0001`). */
export function requestRef(word: string | undefined): Result<string> {
  if (word === undefined) return err('Give the request reference, e.g. DSR-2026-0001');
  const parsed = parseRequestRef(word);
  return parsed.ok ? ok(parsed.value.ref) : parsed;
}

/** `--on YYYY-MM-DD` (the day something happened), or null when it was left out to mean today. */
export function onDate(value: string | true | undefined): Result<IsoDate | null> {
  if (value === undefined) return ok(null);
  if (value === true) return err('--on needs a date, e.g. --on 2026-03-02');
  const date = parseIsoDate(value);
  return date.ok ? date : err(`--on: ${date.error}`);
}

/** The rest of the words as one free-text value (a note, a reason), or null when there are none. */
export function freeText(words: readonly string[]): string | null {
  const text = words.join(' ').trim();
  return text === '' ? null : text;
}

/** The longest note or reason kept: enough for a sentence or two, not for pasted documents. */
export const MAX_FREE_TEXT = 500;

/** One word from a fixed list, case-insensitively. */
export function oneOf<T extends string>(word: string | undefined, allowed: readonly T[], what: string): Result<T> {
  const lowered = word?.toLowerCase();
  const found = allowed.find((a) => a === lowered);
  if (found) return ok(found);
  return err(`${word === undefined ? `Give the ${what}` : `"${word}" is not a ${what}`}: use ${allowed.join(', ')}`);
}

const SLACK_MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
const SLACK_ID = /^[UW][A-Z0-9]{2,}$/;
const KEYED = /^(slack|teams):(\S+)$/;
// Teams ids: the Bot Framework user id (29:…) or the Entra (AAD) object id, a GUID.
const TEAMS_ID = /^(29:[\w-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * Who a `/gov members` command is about: a Slack mention as Slack sends it (`<@U0123|jo>` or
 * `<@U0123>`), a bare Slack id (`U0123`), a Teams id, or a key naming the platform (`teams:29:1ab`)
 * so that a chair on one platform can manage members on the other.
 */
export function memberTarget(word: string | undefined, platform: Platform): Result<MemberTarget> {
  if (word === undefined) return err('Say who: mention them (@name) or give their user id');
  const keyed = KEYED.exec(word);
  if (keyed) return memberTarget(keyed[2], keyed[1] as Platform);
  const mentioned = SLACK_MENTION.exec(word);
  if (mentioned && platform === 'slack') return ok({ platform, userId: mentioned[1]! });
  if (platform === 'slack' && SLACK_ID.test(word)) return ok({ platform, userId: word });
  if (platform === 'teams' && TEAMS_ID.test(word)) return ok({ platform, userId: word });
  const example = platform === 'slack' ? '@jo or U0123ABCD' : '@name, or their Teams user id (29:… or the Entra object id)';
  return err(`"${word.slice(0, 60)}" is not a ${platform === 'slack' ? 'Slack' : 'Teams'} user: mention them, e.g. ${example}`);
}
