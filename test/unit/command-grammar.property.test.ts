import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOptions, tokenize } from '../../src/domain/command-grammar.js';
import { NUL_PROBLEM, wellFormed } from '../../src/domain/storable-text.js';
import { hostileText, hugeText } from '../support/hostile-text.js';

/**
 * Property tests of the command grammar: whatever is typed after /dsr or /gov (or sent to the Teams
 * bot), tokenize and parseOptions answer with a value or a message and never throw, quoting means
 * what the help says it means, and no word can carry what Postgres cannot store (a NUL is refused,
 * an unpaired surrogate becomes U+FFFD).
 */
const RUNS = { numRuns: 400 };
const QUOTES = /["“”‘’]/g;
const VALUED = ['received', 'via', 'agent', 'controller'] as const;
const FLAGS = ['extended'] as const;

/** Words that need no quotes: no whitespace, no quotation mark of any kind (and no NUL). */
const bareWord = fc.string({ unit: 'binary', minLength: 1, maxLength: 30 })
  .map((w) => w.replace(/[\s"“”‘’'\u0000]/gu, ''))
  .filter((w) => w !== '');

/** What a quoted phrase may hold: anything but the double quotes that would end it (and NUL). */
const quotable = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), hostileText(40)).map((w) => w.replace(QUOTES, '').replace(/\u0000/g, ''));
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const whitespace = fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003', ' \u3000 ');

describe('tokenize on arbitrary text', () => {
  it('never throws, and answers with storable words or a message about an unclosed quote or a NUL', () => {
    fc.assert(fc.property(fc.oneof(hostileText(300), hugeText(10_000, 60_000)), (text) => {
      const result = tokenize(text);
      if (!result.ok) {
        expect(result.error).toMatch(text.includes('\u0000') ? `the text ${NUL_PROBLEM}` : /^a quotation mark \(["']\) is not closed$/);
        return;
      }
      for (const word of result.value) {
        expect(word).not.toContain('\u0000');
        expect(word).not.toMatch(LONE_SURROGATE);
      }
    }), RUNS);
  });

  it('refuses any text holding a NUL, whatever else it holds', () => {
    fc.assert(fc.property(hostileText(100), hostileText(100), (before, after) => {
      expect(tokenize(`${before}\u0000${after}`)).toEqual({ ok: false, error: `the text ${NUL_PROBLEM}` });
    }), RUNS);
  });

  it('splits text without quotes at whitespace, losing nothing else', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }).map((t) => t.replace(/["“”‘’'\u0000]/g, '')), (text) => {
      const result = tokenize(text);
      expect(result).toEqual({ ok: true, value: text.split(/\s+/u).filter((w) => w !== '') });
    }), RUNS);
  });

  it('gives back bare words joined by any whitespace', () => {
    fc.assert(fc.property(fc.array(bareWord, { maxLength: 12 }), whitespace, (words, sep) => {
      expect(tokenize(`${sep}${words.join(sep)}${sep}`)).toEqual({ ok: true, value: words });
    }), RUNS);
  });

  it('keeps each "quoted phrase" as one word, exactly as typed inside the quotes', () => {
    fc.assert(fc.property(fc.array(quotable, { minLength: 1, maxLength: 8 }), whitespace, (phrases, sep) => {
      expect(tokenize(phrases.map((p) => `"${p}"`).join(sep))).toEqual({ ok: true, value: phrases.map(wellFormed) });
    }), RUNS);
  });

  it("treats 'single quotes' like double quotes at the start of a word, and curly quotes like straight ones", () => {
    const inside = quotable.map((w) => w.replace(/'/g, ''));
    fc.assert(fc.property(fc.array(inside, { minLength: 1, maxLength: 6 }), whitespace, fc.boolean(), (phrases, sep, curly) => {
      const quoted = phrases.map((p, i) => (i % 2 === 0 ? (curly ? `‘${p}’` : `'${p}'`) : (curly ? `“${p}”` : `"${p}"`)));
      expect(tokenize(quoted.join(sep))).toEqual({ ok: true, value: phrases.map(wellFormed) });
    }), RUNS);
  });

  it('refuses a quote left open, whatever precedes it', () => {
    fc.assert(fc.property(fc.array(bareWord, { maxLength: 6 }), quotable, fc.constantFrom('"', '“'), (words, tail, quote) => {
      const result = tokenize(`${words.join(' ')} ${quote}${tail}`);
      expect(result).toEqual({ ok: false, error: 'a quotation mark (") is not closed' });
    }), RUNS);
  });
});

describe('parseOptions on arbitrary words', () => {
  const words = fc.array(fc.oneof(hostileText(40), fc.constantFrom('--', '--agent', '--agent=', '--via', '--received=2026-03-02', '--extended', '--extended=x', '--unknown', '---', '--=')), { maxLength: 12 });

  it('never throws; every option it returns is one it was told about, every positional is not an option', () => {
    fc.assert(fc.property(words, (input) => {
      const result = parseOptions(input, VALUED, FLAGS);
      if (!result.ok) {
        expect(result.error).toMatch(/^(unknown option --|--\S+ needs a value)/);
        return;
      }
      const { positionals, options } = result.value;
      for (const p of positionals) expect(p === '--' || !p.startsWith('--')).toBe(true);
      for (const [name, value] of Object.entries(options)) {
        if ((FLAGS as readonly string[]).includes(name)) expect(value).toBe(true);
        else {
          expect(VALUED).toContain(name);
          expect(typeof value).toBe('string');
        }
      }
      // No option can be conjured from the prototype ("--__proto__", "--constructor").
      expect(Object.getPrototypeOf(options)).toBe(Object.prototype);
    }), RUNS);
  });

  it('gives back positionals in order and each option with its value, whether written "--name value" or "--name=value"', () => {
    const positional = hostileText(30).filter((w) => !w.startsWith('--'));
    const option = fc.tuple(fc.constantFrom(...VALUED), fc.oneof(hostileText(30), fc.constant('')), fc.boolean());
    const segments = fc.tuple(
      fc.array(positional, { maxLength: 6 }),
      fc.uniqueArray(option, { selector: ([name]) => name, maxLength: VALUED.length }),
      fc.boolean(),
      fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
    );
    fc.assert(fc.property(segments, ([positionals, options, extended, order]) => {
      // A value after a space may not look like an option; after "=" anything goes.
      const pieces: string[][] = [
        ...positionals.map((p) => [p]),
        ...options.map(([name, value, inline]) => (inline || value.startsWith('--') ? [`--${name}=${value}`] : [`--${name}`, value])),
        ...(extended ? [['--extended']] : []),
      ];
      const ranked = pieces.map((piece, i) => ({ piece, rank: order[i] ?? 0, i }));
      // Positionals keep their relative order; options move around them.
      const shuffled = ranked.filter((r) => r.i >= positionals.length).sort((a, b) => a.rank - b.rank);
      const merged: string[] = [];
      let next = 0;
      for (const r of ranked.slice(0, positionals.length)) {
        while (next < shuffled.length && (shuffled[next]?.rank ?? 0) < r.rank) merged.push(...shuffled[next++]!.piece);
        merged.push(...r.piece);
      }
      for (; next < shuffled.length; next += 1) merged.push(...shuffled[next]!.piece);

      const expected: Record<string, string | true> = Object.fromEntries(options.map(([name, value]) => [name, value]));
      if (extended) expected.extended = true;
      expect(parseOptions(merged, VALUED, FLAGS)).toEqual({ ok: true, value: { positionals, options: expected } });
    }), RUNS);
  });

  it('names an unknown option in its refusal and lists the known ones', () => {
    const name = fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).filter((n) => !n.includes('=') && ![...VALUED, ...FLAGS].includes(n as never));
    fc.assert(fc.property(name, (n) => {
      expect(parseOptions([`--${n}`], VALUED, FLAGS)).toEqual({ ok: false, error: `unknown option --${n} (the options are --received, --via, --agent, --controller, --extended)` });
    }), RUNS);
  });

  it('refuses a valued option at the end or followed by another option', () => {
    fc.assert(fc.property(fc.constantFrom(...VALUED), fc.constantFrom(undefined, '--via', '--x'), (name, after) => {
      const result = parseOptions(after === undefined ? [`--${name}`] : [`--${name}`, after], VALUED, FLAGS);
      expect(result).toEqual({ ok: false, error: `--${name} needs a value` });
    }), RUNS);
  });
});
