import { describe, expect, it } from 'vitest';
import { normalisePhone, parsePhone } from '../../src/domain/phone.js';
import { identifierHashes, phoneSuppressionHash, suppressionHash } from '../../src/domain/suppression.js';

/**
 * E.164 (ITU-T): `+`, country code, subscriber number, at most 15 digits. UK numbers written the
 * national way start with the trunk prefix 0 (Ofcom's numbering plan: 01/02 geographic, 03
 * non-geographic, 07 mobile, 08 special services; 10 digits after the 0, a few 9-digit 01 areas).
 */
describe('normalisePhone', () => {
  it.each([
    ['07700 900123', '+447700900123'],
    ['07700900123', '+447700900123'],
    ['+44 7700 900123', '+447700900123'],
    ['+44 (0)7700 900123', '+447700900123'],
    ['+44 0 7700 900123', '+447700900123'],
    ['0044 7700 900123', '+447700900123'],
    ['(020) 7946 0000', '+442079460000'],
    ['020-7946-0000', '+442079460000'],
    ['020.7946.0000', '+442079460000'],
    ['+44 20 7946 0000 ext. 123', '+442079460000'],
    ['020 7946 0000 x12', '+442079460000'],
    ['016977 3456', '+44169773456'], // a 9-digit national number (Brampton)
    ['  0800 123 4567 ', '+448001234567'],
    ['+1 (415) 555-0100', '+14155550100'],
    ['+353 1 234 5678', '+35312345678'],
  ])('%j → %s', (input, expected) => {
    expect(normalisePhone(input)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['7700 900123', 'no country code and no trunk 0: cannot be placed'],
    ['07700 9001', 'too short for a UK number'],
    ['07700 9001234567', 'too long for a UK number'],
    ['+44 7700', 'too short'],
    ['+1234567890123456', 'over 15 digits'],
    ['+0 1234 5678', 'no country code starts with 0'],
    ['call me', 'not a number'],
    ['07700 900123 or 07700 900456', 'two numbers'],
    ['jane@example.com', 'an email address'],
  ])('%j is not a number govbot can place (%s)', (input) => {
    expect(normalisePhone(input)).toBeNull();
  });

  it('explains a number it cannot place, showing good ones', () => {
    expect(parsePhone('7700 900123')).toEqual({ ok: false, error: expect.stringMatching(/"7700 900123" is not a phone number .* 07700 900123 or \+44 7700 900123/) });
    expect(parsePhone('+44 (0)7700 900123')).toEqual({ ok: true, value: '+447700900123' });
  });
});

describe('phone suppression hashes', () => {
  const pepper = 'a-pepper-of-at-least-16-chars';

  it('gives one hash for every spelling of one line, and none for a number it cannot place', () => {
    const hash = phoneSuppressionHash(pepper, '07700 900123');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(phoneSuppressionHash(pepper, '+44 (0)7700-900-123')).toBe(hash);
    expect(phoneSuppressionHash(pepper, '0044 7700 900123')).toBe(hash);
    expect(phoneSuppressionHash(pepper, '07700 900124')).not.toBe(hash);
    expect(phoneSuppressionHash(pepper, 'unknown')).toBeNull();
  });

  it('keys the kind into the hash: HMAC-SHA256(pepper, "phone:" ‖ E.164)', () => {
    // echo -n 'phone:+447700900123' | openssl dgst -sha256 -hmac 'key-key-key-key-key'
    expect(phoneSuppressionHash('key-key-key-key-key', '07700 900123'))
      .toBe('3ba3fd84b072e291dc21b142991d9b3c1283ad750f492fecb17761f6bb9770b0');
  });

  it('hashes each identifier a contact has', () => {
    expect(identifierHashes(pepper, { email: 'Jane@Example.com', phone: '07700 900123' })).toEqual([
      { kind: 'email', hmac: suppressionHash(pepper, 'jane@example.com') },
      { kind: 'phone', hmac: phoneSuppressionHash(pepper, '+447700900123') },
    ]);
    expect(identifierHashes(pepper, { email: 'jane@example.com', phone: 'ask reception' })).toHaveLength(1);
    expect(identifierHashes(pepper, { email: 'jane@example.com', phone: null })).toHaveLength(1);
  });
});
