import { describe, expect, it } from 'vitest';
import { parseOptions, tokenize } from '../../src/domain/command-grammar.js';

describe('tokenize', () => {
  it.each([
    ['', []],
    ['   ', []],
    ['list open', ['list', 'open']],
    ['  list\t open \n', ['list', 'open']],
    ['new access jo@example.com --agent "Jo Bloggs & Co"', ['new', 'access', 'jo@example.com', '--agent', 'Jo Bloggs & Co']],
    ["new sar a@b.co --agent 'Jo Bloggs'", ['new', 'sar', 'a@b.co', '--agent', 'Jo Bloggs']],
    ['new sar a@b.co "Mary O\'Brien"', ['new', 'sar', 'a@b.co', "Mary O'Brien"]],
    ["O'Brien stays one word", ["O'Brien", 'stays', 'one', 'word']],
    ['--agent “Jo Bloggs”', ['--agent', 'Jo Bloggs']],
    ['‘single curly’ quotes', ['single curly', 'quotes']],
    ['empty "" word', ['empty', '', 'word']],
    ['ab"cd ef"gh', ['abcd efgh']],
    ['--received=2026-03-02', ['--received=2026-03-02']],
  ])('%j → %j', (text, words) => {
    expect(tokenize(text)).toEqual({ ok: true, value: words });
  });

  it('refuses a quotation mark left open, naming it', () => {
    const result = tokenize('new sar a@b.co --agent "Jo Bloggs');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain('(") is not closed');
    expect(tokenize("--agent 'Jo").ok).toBe(false);
  });
});

describe('parseOptions', () => {
  it('separates options from positional words, with values after a space or an =', () => {
    const result = parseOptions(['sar', 'a@b.co', '--received', '2026-03-02', 'Jo', '--via=phone', 'Bloggs', '--extended'], ['received', 'via'], ['extended']);
    expect(result).toEqual({ ok: true, value: { positionals: ['sar', 'a@b.co', 'Jo', 'Bloggs'], options: { received: '2026-03-02', via: 'phone', extended: true } } });
  });

  it('keeps an = inside a value and an empty inline value', () => {
    expect(parseOptions(['--agent=a=b'], ['agent'])).toEqual({ ok: true, value: { positionals: [], options: { agent: 'a=b' } } });
    expect(parseOptions(['--agent='], ['agent'])).toEqual({ ok: true, value: { positionals: [], options: { agent: '' } } });
  });

  it('treats a bare -- and single-dash words as positional', () => {
    expect(parseOptions(['--', '-x', 'a'], [])).toEqual({ ok: true, value: { positionals: ['--', '-x', 'a'], options: {} } });
  });

  it('the last of a repeated option wins', () => {
    expect(parseOptions(['--via', 'post', '--via', 'web'], ['via'])).toEqual({ ok: true, value: { positionals: [], options: { via: 'web' } } });
  });

  it('refuses an option without its value', () => {
    expect(parseOptions(['--received'], ['received'])).toEqual({ ok: false, error: '--received needs a value' });
    expect(parseOptions(['--received', '--via', 'web'], ['received', 'via'])).toEqual({ ok: false, error: '--received needs a value' });
  });

  it('refuses an unknown option and lists the known ones', () => {
    expect(parseOptions(['--recieved', '2026-03-02'], ['received', 'via'], ['extended']))
      .toEqual({ ok: false, error: 'unknown option --recieved (the options are --received, --via, --extended)' });
    expect(parseOptions(['--x'], [])).toEqual({ ok: false, error: 'unknown option --x' });
  });
});
