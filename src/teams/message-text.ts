import type { CommandRoot } from '../../commands/dispatch.js';

/**
 * A Teams message → the words of a `dsr …` / `gov …` command. Teams writes each @mention into the
 * text as `<at>Name</at>` and describes it in `entities`. The bot's own mention is dropped; a user's
 * becomes their id (what `gov members add` reads), so "gov members add @Jo" names Jo exactly.
 * Pure: the adapter looks up ids Teams left out before calling this.
 */
export interface Mention {
  /** The text Teams put in the message, e.g. "<at>Jo Bloggs</at>". */
  readonly text: string;
  /** The Bot Framework id ("29:…", or "28:…" for a bot). */
  readonly id: string;
  readonly aadObjectId?: string;
  /** The name Teams gave (the entity's `mentioned.name`, else the text inside <at>…</at>). */
  readonly name?: string;
}

export function mentionsOf(entities: unknown): Mention[] {
  if (!Array.isArray(entities)) return [];
  const mentions: Mention[] = [];
  for (const entity of entities as unknown[]) {
    if (typeof entity !== 'object' || entity === null) continue;
    const { type, text, mentioned } = entity as { type?: unknown; text?: unknown; mentioned?: { id?: unknown; aadObjectId?: unknown; name?: unknown } };
    if (type !== 'mention' || typeof text !== 'string' || typeof mentioned?.id !== 'string') continue;
    const name = typeof mentioned.name === 'string' && mentioned.name.trim() !== '' ? mentioned.name : /^<at>([^<]*)<\/at>$/i.exec(text.trim())?.[1];
    mentions.push({
      text, id: mentioned.id,
      ...(typeof mentioned.aadObjectId === 'string' ? { aadObjectId: mentioned.aadObjectId } : {}),
      ...(name ? { name } : {}),
    });
  }
  return mentions;
}

/**
 * The message as plain words: the bot's mentions removed, other mentions replaced by `userIdOf`,
 * any leftover markup (Teams sometimes wraps text in <p>, links emails) removed and entities
 * decoded last, so `&lt;x&gt;` typed by someone stays the text `<x>`.
 */
export function plainCommandText(text: string, mentions: readonly Mention[], botId: string | undefined, userIdOf: (mention: Mention) => string): string {
  let result = text;
  for (const mention of mentions) {
    const replacement = mention.id === botId ? ' ' : ` ${userIdOf(mention)} `;
    result = result.split(mention.text).join(replacement);
  }
  // [^<>]* rather than [^>]*: a message of "<a<a<a…" with no ">" would otherwise be rescanned to
  // its end from every "<" (quadratic); stopping at the next "<" keeps the whole pass linear.
  return decodeEntities(result.replace(/<at>[^<]*<\/at>/gi, ' ').replace(/<\/?[a-z][^<>]*>/gi, ' '))
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = /^#x/i.test(name) ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

export type ParsedMessage =
  | { readonly kind: 'command'; readonly root: CommandRoot; readonly text: string }
  | { readonly kind: 'other'; readonly text: string };

/** "dsr list", "/gov help", "DSR new …": the first word picks the command family. */
export function parseCommand(text: string): ParsedMessage {
  const match = /^\/?(dsr|gov)(?=\s|$)\s*([\s\S]*)$/i.exec(text.trim());
  if (!match) return { kind: 'other', text };
  return { kind: 'command', root: match[1]!.toLowerCase() as CommandRoot, text: match[2]! };
}

export const NOT_A_COMMAND = 'govbot answers two kinds of message: dsr … for data subject requests and gov … for committee business. Type dsr help or gov help to see every form.';
