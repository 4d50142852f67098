import { err, ok, type Result } from './result.js';
import { storableText } from './storable-text.js';

/**
 * Splits what was typed after a slash command into words, keeping "quoted phrases" together
 * (`--agent "Jo Bloggs"`), and separates `--flag value` options from positional words.
 * Slack sends typographic quotes when the user's client auto-corrects, so those count too.
 */
export function tokenize(text: string): Result<string[]> {
  // Every word may be stored: refuse what Postgres cannot hold before any command sees it.
  const storable = storableText(text);
  if (!storable.ok) return err(`the text ${storable.error}`);
  const words: string[] = [];
  let current = '';
  let quote: string | null = null;
  let inWord = false;
  for (const ch of storable.value.replace(/[\u201C\u201D]/g, '"').replace(/[\u2018\u2019]/g, "'")) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || (ch === "'" && !inWord)) {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) return err(`a quotation mark (${quote}) is not closed`);
  if (inWord) words.push(current);
  return ok(words);
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly options: Readonly<Record<string, string | true>>;
}

/**
 * `--name value` options (or `--name=value`) among positional words. `flags` lists options that
 * take no value. Unknown options are a mistake worth telling the user about.
 */
export function parseOptions(words: readonly string[], valued: readonly string[], flags: readonly string[] = []): Result<ParsedArgs> {
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i]!;
    if (!word.startsWith('--') || word === '--') {
      positionals.push(word);
      continue;
    }
    const [name, inline] = word.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (flags.includes(name)) {
      options[name] = true;
    } else if (valued.includes(name)) {
      const value = inline ?? words[i + 1];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) return err(`--${name} needs a value`);
      if (inline === undefined) i += 1;
      options[name] = value;
    } else {
      const known = [...valued, ...flags].map((o) => `--${o}`).join(', ');
      return err(`unknown option --${name}${known ? ` (the options are ${known})` : ''}`);
    }
  }
  return ok({ positionals, options });
}
