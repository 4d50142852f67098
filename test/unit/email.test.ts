import { describe, expect, it } from 'vitest';
import { isValidEmail, normaliseEmail, parseEmail } from '../../src/domain/email.js';

describe('normaliseEmail', () => {
  it.each([
    ['  Jane.Doe@Example.COM ', 'jane.doe@example.com'],
    ['jane@example.com', 'jane@example.com'],
  ])('%j → %j', (input, expected) => {
    expect(normaliseEmail(input)).toBe(expected);
  });
});

describe('isValidEmail', () => {
  it.each([
    'jane.doe@example.com',
    'jane+news@example.co.uk',
    "o'brien@example.ie",
    'x@sub.domain-name.example',
    `${'a'.repeat(64)}@example.com`,
  ])('accepts %j', (email) => {
    expect(isValidEmail(email)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['jane doe@example.com', 'space'],
    ['jane.example.com', 'no @'],
    ['jane@@example.com', 'two @'],
    ['@example.com', 'nothing before @'],
    ['jane@example', 'no dot in domain'],
    ['jane@example.', 'empty last label'],
    ['jane@.example.com', 'empty first label'],
    ['jane@example..com', 'double dot'],
    ['.jane@example.com', 'leading dot'],
    ['jane@-example.com', 'hyphen at label start'],
    [`${'a'.repeat(65)}@example.com`, 'local part over 64'],
    [`${'a'.repeat(60)}@${'b'.repeat(190)}.com`, 'over 254 characters'],
  ])('rejects %j (%s)', (email) => {
    expect(isValidEmail(email)).toBe(false);
  });
});

describe('parseEmail', () => {
  it('normalises a good address', () => {
    expect(parseEmail(' Jane@Example.com ')).toEqual({ ok: true, value: 'jane@example.com' });
  });

  it.each([
    ['jane@example', '"jane@example" has no dot in the part after the @'],
    ['jane', '"jane" has no @'],
    ['', 'The email address is empty'],
    ['jane doe@example.com', 'contains a space'],
  ])('explains %j: %j and shows a good address', (input, says) => {
    const result = parseEmail(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toContain(says);
      expect(result.error).toContain('jane.doe@example.com');
    }
  });
});

describe('mistakes quoted back', () => {
  it('cut a pasted essay short so the explanation still shows', () => {
    const result = parseEmail(`${'x'.repeat(10_000)}`);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.length).toBeLessThan(300);
      expect(result.error).toMatch(/^"x{59}…" is longer than 254 characters; an email address looks like/);
    }
  });
});
