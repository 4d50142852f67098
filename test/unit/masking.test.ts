import { describe, expect, it } from 'vitest';
import { maskEmail, maskName } from '../../src/domain/masking.js';

describe('maskEmail', () => {
  it.each<[string | null | undefined, string]>([
    ['john.smith@example.com', 'j***@example.com'],
    ['John.Smith@Example.COM', 'j***@example.com'],
    ['  a@b.co  ', 'a***@b.co'],
    ['"odd@local"@example.com', '"***@example.com'],
    ['@example.com', '***@example.com'],
    ['no-at-sign', 'n***'],
    ['', ''],
    ['   ', ''],
    [null, ''],
    [undefined, ''],
  ])('%j → %j', (input, expected) => {
    expect(maskEmail(input)).toBe(expected);
  });
});

describe('maskName', () => {
  it.each<[string | null | undefined, string]>([
    ['John Smith', 'J*** S***'],
    ['Madonna', 'M***'],
    ['  Mary   Jane  Watson ', 'M*** J*** W***'],
    ['Seán Ó Briain', 'S*** Ó*** B***'],
    ['Zoë-Anne Smith', 'Z*** S***'],
    ['😀 Emoji', '😀*** E***'],
    ['', ''],
    [null, ''],
    [undefined, ''],
  ])('%j → %j', (input, expected) => {
    expect(maskName(input)).toBe(expected);
  });
});
