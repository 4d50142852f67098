import fc from 'fast-check';

/**
 * Text people (or attackers) can type, for the hostile-input property tests: markup that Slack or
 * Teams would act on, mention tokens of our own card model, SQL-shaped strings, quotes, control
 * characters, lone surrogates, combining marks and right-to-left overrides. Runs are bounded so the
 * suites stay fast; a failure prints its seed and the shrunk counterexample.
 */
export const HOSTILE_FRAGMENTS = [
  '<@U123>', '<@UCHAIR|chair>', '<!channel>', '<!here>', '<!everyone>', '<!subteam^S0123>', '<#C0123|general>',
  '<https://evil.example|click>', '<mailto:a@evil.example|support>', '<!date^1392734382^{date}|x>',
  '&', '&amp;', '&lt;', '&gt;', '&#60;', '<', '>', '*bold*', '_italic_', '~strike~', '`code`', '```block```', '> quote',
  '⟨member:slack:U1⟩', '⟨member:slack:U0EVIL⟩', '⟨member:slack:UCHAIR⟩', '⟨member:teams:29:1abc⟩', '⟨', '⟩',
  "'; drop table contacts; --", "DSR-2026-0001' or '1'='1", 'DSR-2026-0001', 'dsr-2026-1', 'BR-2026-001', '1; select pg_sleep(10)',
  '"', "'", '“', '”', '‘', '’', '--', '--agent', '--received=', '--via', '=', '\\', '%00', '${x}', '{{x}}',
  '__proto__', 'constructor', 'toString', '\u0000', '\u0007', '\u001b[31m', '\r\n', '\t', '\u00a0', '\u2028', '\u200b',
  '\ufeff', '\u202e', '\ud800', '\udfff', '😀', '👩‍👩‍👧', 'e\u0301', 'Ｊｏ', 'İ', 'ß', 'jo@example.com', 'JO@EXAMPLE.COM',
  '{"a":1}', '[1]', 'null', 'NaN', '-1', '0', '1e309', '9007199254740993',
] as const;

/** Any UTF-16 string, lone surrogates included. */
export const utf16Text = (maxLength: number) => fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength });

/** A mix of the fragments above with random words, joined by random separators. */
export const fragmentText = (maxParts = 12) => fc.array(
  fc.oneof(fc.constantFrom(...HOSTILE_FRAGMENTS), fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 })),
  { maxLength: maxParts },
).chain((parts) => fc.array(fc.constantFrom(' ', '', '  ', '\t', '\n', '"', "'"), { minLength: parts.length, maxLength: parts.length })
  .map((seps) => parts.map((p, i) => `${p}${seps[i] ?? ''}`).join('')));

/** One fragment repeated to a few thousand characters (well past every limit). */
export const hugeText = (min = 2_000, max = 12_000) => fc.tuple(fc.constantFrom(...HOSTILE_FRAGMENTS, 'x', 'é'), fc.integer({ min, max }))
  .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n));

/** Arbitrary hostile text of up to `maxLength` characters, with an occasional huge one. */
export const hostileText = (maxLength = 200) => fc.oneof(
  { weight: 3, arbitrary: fragmentText() },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength }) },
  { weight: 1, arbitrary: utf16Text(maxLength) },
  { weight: 1, arbitrary: hugeText() },
);
