import { describe, expect, it } from 'vitest';
import { CONTACT_HEADER, checkHeader, parseContactRow, type ContactInput } from '../../src/domain/contact-row.js';

const base = { external_id: 'CRM-1', email: 'Jane.Doe@Example.com' };

function parsed(fields: Record<string, string>): ContactInput {
  const result = parseContactRow({ ...base, ...fields }, 7);
  if (!result.ok) throw new Error(`expected a valid row, got: ${result.error.reason}`);
  return result.value;
}

function reason(fields: Record<string, string>): string {
  const result = parseContactRow({ ...base, ...fields }, 17);
  if (result.ok) throw new Error('expected the row to be rejected');
  expect(result.error.line).toBe(17);
  return result.error.reason;
}

describe('checkHeader', () => {
  it.each<[string, string[]]>([
    ['the contract header', [...CONTACT_HEADER]],
    ['any column order', [...CONTACT_HEADER].reverse()],
    ['names in other case, with spaces', CONTACT_HEADER.map((name) => ` ${name.toUpperCase()} `)],
    ['only the required columns', ['email', 'external_id']],
    ['a byte order mark left on the first name', [`\uFEFF${CONTACT_HEADER[0] ?? ''}`, ...CONTACT_HEADER.slice(1)]],
  ])('accepts %s', (_what, names) => {
    const result = checkHeader(names);
    expect(result.ok).toBe(true);
    if (result.ok) expect([...result.value.columns].sort()).toEqual(names.map((n) => n.replace('\uFEFF', '').trim().toLowerCase()).sort());
  });

  it.each<[string, string[], RegExp]>([
    ['no email column', ['external_id', 'full_name'], /missing column email\b/],
    ['neither key column', ['full_name', 'phone'], /missing columns external_id, email/],
    ['an unknown column', ['external_id', 'email', 'is_custmer'], /unknown column "is_custmer"/],
    ['a repeated column', ['external_id', 'email', 'email'], /repeated column email/],
    ['a trailing comma', ['external_id', 'email', ''], /unknown column ""/],
    ['an empty first line', [''], /^Line 1 is empty/],
    ['a data row instead of a header', ['CRM-1', 'jane@example.com', 'Jane'], /^Line 1 looks like data, not a header/],
  ])('rejects %s, naming the problem and the expected header', (_what, names, message) => {
    const result = checkHeader(names);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatch(message);
      expect(result.error).toContain(CONTACT_HEADER.join(','));
    }
  });

  it('does not echo a data row in its message', () => {
    const result = checkHeader(['CRM-1', 'jane@example.com']);
    expect(result.ok ? '' : result.error).not.toContain('jane@');
  });
});

describe('parseContactRow: booleans', () => {
  it.each<[string, boolean]>([
    ['true', true], ['TRUE', true], ['True', true], ['yes', true], ['YES', true], ['Yes', true], ['1', true], [' yes ', true],
    ['false', false], ['FALSE', false], ['False', false], ['no', false], ['NO', false], ['No', false], ['0', false],
    ['', false], ['  ', false],
  ])('%j is %s', (text, expected) => {
    const row = parsed({ is_customer: text, is_subscriber: text, inaccurate: text, legal_hold: text, do_not_contact: text });
    expect([row.isCustomer, row.isSubscriber, row.inaccurate, row.legalHold, row.doNotContact]).toEqual(Array(5).fill(expected));
  });

  it('treats an absent column as false', () => {
    expect(parseContactRow(base, 2)).toMatchObject({ ok: true, value: { isCustomer: false, legalHold: false } });
  });

  it.each(['maybe', 'y', 'n', '2', 'on', 'ja'])('rejects %j', (text) => {
    expect(reason({ legal_hold: text })).toBe(`legal_hold "${text}" is not a yes/no value; use true, false, yes, no, 1 or 0 (blank means false)`);
  });
});

describe('parseContactRow: dates', () => {
  it.each<[string, string | null]>([
    ['2024-03-01', '2024-03-01T00:00:00.000Z'],
    [' 2024-02-29 ', '2024-02-29T00:00:00.000Z'],
    ['2024-03-01T09:30:00Z', '2024-03-01T09:30:00.000Z'],
    ['2024-03-01T09:30Z', '2024-03-01T09:30:00.000Z'],
    ['2024-03-01T09:30:00.123456Z', '2024-03-01T09:30:00.123Z'],
    ['2024-07-01T09:30:00+01:00', '2024-07-01T08:30:00.000Z'],
    ['2024-07-01T09:30:00+0100', '2024-07-01T08:30:00.000Z'],
    ['2024-07-01T09:30:00+01', '2024-07-01T08:30:00.000Z'],
    ['2024-01-01T00:30:00-05:00', '2024-01-01T05:30:00.000Z'],
    ['2024-03-01 09:30:00+00', '2024-03-01T09:30:00.000Z'],
    ['2024-03-01t09:30:00z', '2024-03-01T09:30:00.000Z'],
    ['', null],
    ['   ', null],
  ])('%j is %j', (text, expected) => {
    const row = parsed({ first_collected_at: text, last_successful_contact_at: text, legitimate_interest_ended_at: text });
    expect([row.firstCollectedAt, row.lastSuccessfulContactAt, row.legitimateInterestEndedAt]).toEqual([expected, expected, expected]);
  });

  it.each<[string, RegExp]>([
    ['2026-02-30', /^first_collected_at "2026-02-30" is not a date; use YYYY-MM-DD/],
    ['2023-02-29', /"2023-02-29" is not a date/],
    ['2026-13-01', /"2026-13-01" is not a date/],
    ['2026-02-30T10:00:00Z', /"2026-02-30T10:00:00Z" is not a real date \(2026-02-30 does not exist\)/],
    ['2026-01-01T24:00:00Z', /is not a real time/],
    ['2026-01-01T10:60:00Z', /is not a real time/],
    ['2026-01-01T10:00:00+15:00', /is not a real time/],
    ['2026-01-01T10:00:00', /is not a date; use YYYY-MM-DD or an ISO timestamp with a zone/],
    ['01/02/2026', /"01\/02\/2026" is not a date/],
    ['2026-1-1', /"2026-1-1" is not a date/],
    ['yesterday', /"yesterday" is not a date/],
  ])('rejects %j', (text, message) => {
    expect(reason({ first_collected_at: text })).toMatch(message);
  });
});

describe('parseContactRow: identity fields', () => {
  it('trims the email but keeps its case, and trims the external id', () => {
    expect(parsed({ email: '  Jane.Doe@Example.com ', external_id: ' CRM-9 ' })).toMatchObject({ email: 'Jane.Doe@Example.com', externalId: 'CRM-9' });
  });

  it.each<[string, string]>([
    ['bob@', 'email "bob@" is not a valid email address (has no dot in the part after the @)'],
    ['bob', 'email "bob" is not a valid email address (has no @)'],
    ['bob smith@example.com', 'email "bob smith@example.com" is not a valid email address (contains a space)'],
    ['a@b@example.com', 'email "a@b@example.com" is not a valid email address (has more than one @)'],
    ['', 'email is empty; every row needs an email address'],
    ['   ', 'email is empty; every row needs an email address'],
  ])('rejects email %j', (email, expected) => {
    expect(reason({ email })).toBe(expected);
  });

  it('rejects a blank external id', () => {
    expect(reason({ external_id: '  ' })).toBe("external_id is empty; every row needs the CRM's id");
  });

  it('cuts a long bad value short in the message', () => {
    const email = `${'x'.repeat(300)}@`;
    expect(reason({ email })).toBe(`email "${'x'.repeat(40)}…" is not a valid email address (is longer than 254 characters)`);
  });
});

describe('parseContactRow: text fields', () => {
  it('keeps commas, quotes and line breaks, trims, and turns blanks into null', () => {
    const row = parsed({ full_name: ' Smith, Jane ', address: '1 High Street\nLeeds', company: 'Smith & Co "Ltd"', phone: '' });
    expect(row).toMatchObject({ fullName: 'Smith, Jane', address: '1 High Street\nLeeds', company: 'Smith & Co "Ltd"', phone: null });
  });

  it('accepts 1000 characters and rejects 1001', () => {
    expect(parsed({ address: 'a'.repeat(1000) }).address).toHaveLength(1000);
    expect(reason({ address: 'a'.repeat(1001) })).toBe('address is 1001 characters long; at most 1000 are allowed');
  });

  it('reports every bad field of a row, in column order', () => {
    expect(reason({ email: 'bob@', is_customer: 'maybe', first_collected_at: '2026-02-30' })).toBe([
      'email "bob@" is not a valid email address (has no dot in the part after the @)',
      'is_customer "maybe" is not a yes/no value; use true, false, yes, no, 1 or 0 (blank means false)',
      'first_collected_at "2026-02-30" is not a date; use YYYY-MM-DD or an ISO timestamp with a zone such as 2024-03-01T09:30:00Z',
    ].join('; '));
  });

  it('returns the whole contact for a full row', () => {
    expect(parsed({
      full_name: 'Jane Doe', phone: '+44 7700 900001', address: '1 High St', company: 'Acme', is_customer: 'yes',
      is_subscriber: '0', first_collected_at: '2020-01-15', last_successful_contact_at: '2025-06-01T12:00:00Z',
      inaccurate: 'no', legitimate_interest_ended_at: '', legal_hold: 'TRUE', do_not_contact: '1',
    })).toEqual({
      externalId: 'CRM-1', email: 'Jane.Doe@Example.com', fullName: 'Jane Doe', phone: '+44 7700 900001', address: '1 High St',
      company: 'Acme', isCustomer: true, isSubscriber: false, firstCollectedAt: '2020-01-15T00:00:00.000Z',
      lastSuccessfulContactAt: '2025-06-01T12:00:00.000Z', inaccurate: false, legitimateInterestEndedAt: null,
      legalHold: true, doNotContact: true,
    });
  });
});
