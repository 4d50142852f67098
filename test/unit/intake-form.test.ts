import { describe, expect, it } from 'vitest';
import { INTAKE_FORM, MAX_TEXT, parseCorrections, parseIntakeForm } from '../../commands/forms/intake-form.js';
import { rectificationForm, rectificationValues } from '../../commands/forms/rectification-form.js';

describe('parseIntakeForm', () => {
  it('accepts the minimum (type and email) with the defaults', () => {
    expect(parseIntakeForm({ type: 'sar', email: '  Jo@Example.com ' })).toEqual({
      ok: true,
      value: { type: 'access', email: 'Jo@Example.com', fullName: null, receivedOn: null, via: 'email', agent: null, controller: null, corrections: {} },
    });
  });

  it('accepts every field', () => {
    const result = parseIntakeForm({
      type: 'rectification', email: 'jo@example.com', full_name: ' Jo Bloggs ', received: '2026-02-27', via: 'letter',
      agent: 'Smith & Co Solicitors', controller: 'Northwind Ltd', corrections: 'full_name=Jo Smith\n\n phone = 020 7946 0000 ',
    });
    expect(result).toEqual({
      ok: true,
      value: {
        type: 'rectification', email: 'jo@example.com', fullName: 'Jo Bloggs', receivedOn: '2026-02-27', via: 'post',
        agent: 'Smith & Co Solicitors', controller: 'Northwind Ltd', corrections: { full_name: 'Jo Smith', phone: '020 7946 0000' },
      },
    });
  });

  it('reports every bad field at once, keyed by field, each saying what a good value is', () => {
    const result = parseIntakeForm({ type: 'complaint', email: 'jo@', received: '2026-02-30', via: 'pigeon', agent: 'x'.repeat(MAX_TEXT + 1), corrections: 'nickname=Jo' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['agent', 'corrections', 'email', 'received', 'type', 'via']);
    expect(result.errors.type).toContain('Use one of: access');
    expect(result.errors.email).toContain('jane.doe@example.com');
    expect(result.errors.received).toContain('February 2026 has 28 days');
    expect(result.errors.via).toContain('--via email');
    expect(result.errors.agent).toContain(`${MAX_TEXT} characters`);
    expect(result.errors.corrections).toContain('full_name');
  });

  // Art 21: an objection says what it is about (marketing is absolute; other processing waits for the committee).
  it.each([
    ['marketing', { about: 'marketing', erase: false }],
    ['other', { about: 'other', erase: false }],
    ['other-erase', { about: 'other', erase: true }],
    ['marketing-erase', { about: 'marketing', erase: false }],
  ])('reads the objection choice %s', (choice, objection) => {
    const result = parseIntakeForm({ type: 'objection', email: 'jo@example.com', objection: choice });
    expect(result.ok && result.value.objection).toEqual(objection);
  });

  it('needs the objection choice for an objection, beside its box, and ignores it for other types', () => {
    const missing = parseIntakeForm({ type: 'objection', email: 'jo@example.com' });
    expect(missing).toEqual({ ok: false, errors: { objection: expect.stringContaining('--about marketing') } });
    const unknown = parseIntakeForm({ type: 'objection', email: 'jo@example.com', objection: 'pigeons' });
    expect(unknown.ok === false && unknown.errors.objection).toContain('"pigeons" is not what an objection can be about');
    const access = parseIntakeForm({ type: 'access', email: 'jo@example.com', objection: 'other' });
    expect(access.ok && 'objection' in access.value).toBe(false);
  });

  it('needs a type and an email', () => {
    const result = parseIntakeForm({});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(['email', 'type']);
  });

  it('offers every request type on the form', () => {
    const type = INTAKE_FORM.fields.find((f) => f.id === 'type');
    expect(type?.options?.map((o) => o.value)).toContain('do-not-contact');
  });
});

describe('parseCorrections', () => {
  it('reads field=value lines, ignoring blank lines and spaces around the =', () => {
    expect(parseCorrections('')).toEqual({ ok: true, value: {} });
    expect(parseCorrections('email = new@example.com\r\n\r\naddress=1 Example Street, London\ncompany=A=B Ltd'))
      .toEqual({ ok: true, value: { email: 'new@example.com', address: '1 Example Street, London', company: 'A=B Ltd' } });
  });

  it.each([
    ['nickname=Jo', 'is not field=value'],
    ['full name=Jo', 'is not field=value'],
    ['just some words', 'is not field=value'],
    ['phone=', 'phone needs a value'],
    [`company=${'x'.repeat(MAX_TEXT + 1)}`, `1 to ${MAX_TEXT} characters`],
    ['email=not-an-email', 'is not a valid email address'],
  ])('refuses %j', (text, message) => {
    const result = parseCorrections(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(message);
  });
});

describe('rectification form', () => {
  it('has one optional box per correctable field and carries the request id', () => {
    const form = rectificationForm(42);
    expect(form.fields.map((f) => f.id)).toEqual(['email', 'full_name', 'phone', 'address', 'company']);
    expect(form.fields.every((f) => f.optional === true)).toBe(true);
    expect(form.context).toEqual({ requestId: '42' });
  });

  it('keeps only the boxes filled in', () => {
    expect(rectificationValues({ email: '  ', full_name: ' Jo Smith ', phone: undefined, other: 'x' })).toEqual({ full_name: 'Jo Smith' });
  });
});
