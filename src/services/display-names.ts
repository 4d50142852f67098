import type { Knex } from 'knex';
import { mentionedKeys, noNames, type NameOf } from '../chat/mention.js';
import type { Db } from '../register/database.js';
import { displayNamesOf, saveDisplayNames, type DisplayName } from '../register/display-names.js';

/**
 * The names people go by on Slack and Teams, kept so that cards and replies can say "Ada Lovelace"
 * where the platform gave govbot only an id. Names are staff's personal data: they go to the
 * display_names table and to the screen, never into audit events or logs (callers log ids only).
 */
export const MAX_NAME = 100;

/**
 * A name as a platform gave it, made safe to keep and show: control and format characters and the
 * mention brackets removed, white space collapsed, at most 100 characters. Null when nothing is left.
 */
export function cleanName(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const name = raw.replace(/[\p{Cc}\p{Cf}⟨⟩]/gu, ' ').replace(/\s+/g, ' ').trim();
  if (name === '') return null;
  const chars = [...name];
  return chars.length <= MAX_NAME ? name : chars.slice(0, MAX_NAME).join('').trim();
}

export interface DisplayNames {
  /** Keeps the names given (uncleaned values are cleaned; empty ones dropped). */
  remember(names: readonly { identity: string; name: unknown }[]): Promise<void>;
  /** Names for the member tokens in what is about to be shown (texts or cards): one query, none if there are no tokens. */
  nameOf(...content: readonly unknown[]): Promise<NameOf>;
}

/**
 * `recent` remembers what this process last wrote for each identity (a bounded map, oldest out
 * first), so a name that every activity repeats is written once per process, not once per message.
 */
export function displayNames(db: Db, capacity = 10_000): DisplayNames {
  const recent = new Map<string, string>();
  const note = (identity: string, name: string) => {
    recent.delete(identity);
    recent.set(identity, name);
    if (recent.size > capacity) recent.delete(recent.keys().next().value as string);
  };
  return {
    async remember(names) {
      const fresh: DisplayName[] = [];
      for (const given of names) {
        const name = cleanName(given.name);
        if (name !== null && recent.get(given.identity) !== name) fresh.push({ identity: given.identity, name });
      }
      if (fresh.length === 0) return;
      await saveDisplayNames(db, fresh);
      for (const { identity, name } of fresh) note(identity, name);
    },
    nameOf: (...content) => namesFor(db, ...content),
  };
}

/** Names for the member tokens in `content` (strings, or anything JSON can hold, like a card). */
export async function namesFor(db: Db | Knex.Transaction, ...content: readonly unknown[]): Promise<NameOf> {
  const keys = mentionedKeys(content.map((c) => (typeof c === 'string' ? c : JSON.stringify(c) ?? '')).join('\n'));
  if (keys.length === 0) return noNames;
  const names = await displayNamesOf(db, keys);
  return (key) => names.get(key);
}
