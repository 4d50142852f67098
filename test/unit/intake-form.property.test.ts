import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EARLIEST_RECEIPT, INTAKE_FORM, MAX_TEXT, parseCorrections, parseIntakeForm } from '../../commands/forms/intake-form.js';
import { isIsoDate } from '../../src/domain/dates.js';
import { isValidEmail, normaliseEmail } from '../../src/domain/email.js';
import { CHANNELS, REQUEST_TYPE_NAMES } from '../../src/domain/request-types.js';
import { NUL_PROBLEM, storableText, wellFormed } from '../../src/domain/storable-text.js';
import { parseCorrectionValues, parseReason, MAX_REASON } from '../../src/slack/forms.js';
import { HOSTILE_FRAGMENTS, hostileText, hugeText } from '../support/hostile-text.js';

/**
 * Property tests of the intake form and the rectification boxes: whatever a form (or a forged
 * submission) carries, the parsers answer with a checked value or with per-field messages, never
 * throw, never let through an invalid email or date (or one before UK GDPR), refuse oversized
 * text with a message, and pass on nothing Postgres cannot store.
 */
const noNul = (t: string) => !t.includes('\u0000');
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const RUNS = { numRuns: 400 };
const FIELD_IDS = INTAKE_FORM.fields.map((f) => f.id);
const TEXT_FIELDS = ['full_name', 'agent', 'controller'] as const;
const CORRECTABLE = ['email', 'full_name', 'phone', 'address', 'company'];

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const nearEmail = fc.oneof(
  hostileText(60),
  fc.emailAddress(),
  fc.tuple(fc.emailAddress(), fc.constantFrom(...HOSTILE_FRAGMENTS)).map(([e, f]) => `${e}${f}`),
  fc.tuple(fc.constantFrom(...HOSTILE_FRAGMENTS), fc.emailAddress()).map(([f, e]) => `${f}${e}`),
  fc.constantFrom('jo@', '@example.com', 'jo@@example.com', 'jo@example', 'jo@.example.com', 'jo..b@example.com', 'jo @example.com',
    "jo'; drop table contacts; --@example.com", `${'a'.repeat(65)}@example.com`, `jo@${'a'.repeat(250)}.com`, 'jo@exa<mple.com', 'jo@-example.com'),
);
const nearDate = fc.oneof(
  hostileText(20),
  fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: -1, max: 13 }), fc.integer({ min: -1, max: 32 }))
    .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  fc.constantFrom('2026-02-29', '2024-02-29', '2026-02-30', '2026-13-01', '2026-3-2', ' 2026-03-02 ', '2026-03-02T00:00', '２０２６-03-02'),
);
const formValues = fc.record({
  type: maybe(fc.oneof(fc.constantFrom(...REQUEST_TYPE_NAMES, 'sar', 'Do not contact', 'opt_out', ' ERASURE '), hostileText(40))),
  email: maybe(nearEmail),
  full_name: maybe(fc.oneof(hostileText(), hugeText(150, 400))),
  received: maybe(nearDate),
  via: maybe(fc.oneof(fc.constantFrom(...CHANNELS, 'letter', 'In person'), hostileText(20))),
  agent: maybe(fc.oneof(hostileText(), hugeText(150, 400))),
  controller: maybe(fc.oneof(hostileText(), hugeText(150, 400))),
  corrections: maybe(fc.oneof(hostileText(), correctionLines())),
}, { requiredKeys: [] }).chain((values) =>
  // Keys the form does not have: a forged submission may carry anything, "__proto__" included.
  fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty'), fc.string({ maxLength: 8 })), hostileText(20), { maxKeys: 3 })
    .map((junk): Record<string, string | undefined> => ({ ...junk, ...values })));

function correctionLines() {
  const line = fc.tuple(fc.oneof(fc.constantFrom(...CORRECTABLE), fc.constantFrom('nickname', 'EMAIL', 'full name', '__proto__')), fc.constantFrom('=', ' = ', '= ', ':'), fc.oneof(hostileText(40), nearEmail, hugeText(150, 300)))
    .map(([field, eq, value]) => `${field}${eq}${value}`);
  return fc.array(line, { maxLength: 6 }).chain((lines) => fc.constantFrom('\n', '\r\n', '\n\n').map((eol) => lines.join(eol)));
}

describe('parseIntakeForm on arbitrary submissions', () => {
  it('never throws, and accepts only a known type, a valid email, a real date, a known channel and short texts', () => {
    fc.assert(fc.property(formValues, (values) => {
      const result = parseIntakeForm(values);
      if (!result.ok) {
        expect(Object.keys(result.errors).length).toBeGreaterThan(0);
        for (const [field, message] of Object.entries(result.errors)) {
          expect(FIELD_IDS).toContain(field);
          expect(typeof message).toBe('string');
          expect(message.length).toBeGreaterThan(10);
        }
        return;
      }
      const v = result.value;
      expect(REQUEST_TYPE_NAMES).toContain(v.type);
      expect(isValidEmail(normaliseEmail(v.email))).toBe(true);
      expect(v.email).toBe(v.email.trim());
      if (v.receivedOn !== null) {
        expect(isIsoDate(v.receivedOn)).toBe(true);
        expect(v.receivedOn >= EARLIEST_RECEIPT).toBe(true);
      }
      for (const text of [v.email, v.fullName, v.agent, v.controller, ...Object.values(v.corrections ?? {})]) {
        expect(text ?? '').not.toContain('\u0000');
        expect(text ?? '').not.toMatch(LONE_SURROGATE);
      }
      expect(CHANNELS).toContain(v.via);
      for (const text of [v.fullName, v.agent, v.controller]) {
        if (text !== null) {
          expect(text.length).toBeGreaterThan(0);
          expect(text.length).toBeLessThanOrEqual(MAX_TEXT);
          expect(text).toBe(text.trim());
        }
      }
      for (const [field, value] of Object.entries(v.corrections ?? {})) {
        expect(CORRECTABLE).toContain(field);
        expect(value.length).toBeGreaterThan(0);
        expect(value.length).toBeLessThanOrEqual(MAX_TEXT);
        if (field === 'email') expect(isValidEmail(normaliseEmail(value))).toBe(true);
      }
    }), RUNS);
  });

  it('refuses an invalid email, whatever else is right', () => {
    fc.assert(fc.property(nearEmail.filter((e) => noNul(e) && !isValidEmail(normaliseEmail(wellFormed(e)))), (email) => {
      const result = parseIntakeForm({ type: 'access', email });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors.email).toContain('an email address looks like jane.doe@example.com');
    }), RUNS);
  });

  it('refuses a received date that is not a real YYYY-MM-DD day', () => {
    fc.assert(fc.property(nearDate.filter((d) => noNul(d) && d.trim() !== '' && !(isIsoDate(d.trim()) && d.trim() >= EARLIEST_RECEIPT)), (received) => {
      const result = parseIntakeForm({ type: 'access', email: 'jo@example.com', received });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors.received).toMatch(/YYYY-MM-DD|not a real date|months run from 01 to 12|when UK GDPR's clocks began/);
    }), RUNS);
  });

  it('refuses a box holding a NUL beside that box, whatever else is right', () => {
    const ids = INTAKE_FORM.fields.map((f) => f.id);
    fc.assert(fc.property(fc.constantFrom(...ids), hostileText(40), hostileText(40), (field, before, after) => {
      const result = parseIntakeForm({ type: 'access', email: 'jo@example.com', [field]: `${before}\u0000${after}` });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors[field]).toBe(`This ${NUL_PROBLEM}.`);
    }), RUNS);
  });

  it('refuses each oversized text box with a message naming the limit, beside that box', () => {
    fc.assert(fc.property(fc.constantFrom(...TEXT_FIELDS), hugeText(MAX_TEXT + 1, 20_000).filter((t) => noNul(t) && t.trim().length > MAX_TEXT), (field, text) => {
      const result = parseIntakeForm({ type: 'access', email: 'jo@example.com', [field]: text });
      expect(result).toEqual({ ok: false, errors: { [field]: `At most ${MAX_TEXT} characters, please.` } });
    }), RUNS);
  });

  it('accepts every well-formed submission, normalising type and channel', () => {
    const name = fc.string({ unit: 'grapheme', minLength: 1, maxLength: MAX_TEXT }).filter((n) => n.trim() !== '' && n.trim().length <= MAX_TEXT);
    const day = fc.date({ min: new Date(EARLIEST_RECEIPT), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(fc.property(fc.constantFrom(...REQUEST_TYPE_NAMES), fc.emailAddress(), name, day, fc.constantFrom(...CHANNELS), (type, email, fullName, received, via) => {
      fc.pre(isValidEmail(normaliseEmail(email)));
      // An objection must say what it is about (marketing or other processing); the others need nothing more.
      const objection = type === 'objection' ? { objection: 'marketing' } : {};
      const result = parseIntakeForm({ type: type.toUpperCase(), email: ` ${email} `, full_name: fullName, received, via, ...objection });
      expect(result).toEqual({
        ok: true,
        value: {
          type, email, fullName: fullName.trim(), receivedOn: received, via, agent: null, controller: null, corrections: {},
          ...(type === 'objection' ? { objection: { about: 'marketing', erase: false } } : {}),
        },
      });
    }), RUNS);
  });
});

describe('corrections on arbitrary text', () => {
  it('parseCorrections never throws and accepts only known fields with 1 to MAX_TEXT characters and valid emails', () => {
    fc.assert(fc.property(fc.oneof(hostileText(400), correctionLines()), (text) => {
      const result = parseCorrections(text);
      if (!result.ok) {
        // Messages quote at most 40 characters of what was typed.
        expect(result.error.length).toBeLessThan(200);
        return;
      }
      for (const [field, value] of Object.entries(result.value)) {
        expect(CORRECTABLE).toContain(field);
        expect(value.length).toBeGreaterThan(0);
        expect(value.length).toBeLessThanOrEqual(MAX_TEXT);
        if (field === 'email') expect(isValidEmail(normaliseEmail(value))).toBe(true);
      }
      expect(Object.getPrototypeOf(result.value)).toBe(Object.prototype);
    }), RUNS);
  });

  it('refuses a correction longer than MAX_TEXT, saying so', () => {
    fc.assert(fc.property(fc.constantFrom(...CORRECTABLE.filter((f) => f !== 'email')), hugeText(MAX_TEXT + 1, 5_000), (field, value) => {
      fc.pre(value.trim().length > MAX_TEXT && !/[\r\n\u2028\u2029\u0085]/.test(value));
      expect(parseCorrections(`${field}=${value}`)).toEqual({ ok: false, error: `${field} needs a value of 1 to ${MAX_TEXT} characters` });
    }), RUNS);
  });

  it("the rectification form's boxes never throw, and any value they pass is within the limits", () => {
    const boxes = fc.record(Object.fromEntries(CORRECTABLE.map((f) => [f, maybe(fc.oneof(hostileText(), nearEmail, hugeText(150, 400)))])) as Record<string, fc.Arbitrary<string | undefined>>, { requiredKeys: [] });
    fc.assert(fc.property(boxes, (values) => {
      const defined = Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined));
      const result = parseCorrectionValues(defined);
      if (!result.ok) {
        for (const field of Object.keys(result.errors)) expect(CORRECTABLE).toContain(field);
        return;
      }
      expect(Object.keys(result.value).length).toBeGreaterThan(0);
      for (const [field, value] of Object.entries(result.value)) {
        expect(value.length).toBeLessThanOrEqual(MAX_TEXT);
        if (field === 'email') expect(isValidEmail(value)).toBe(true);
      }
    }), RUNS);
  });

  it('the reject reason is refused when empty or over MAX_REASON characters, and kept as typed otherwise', () => {
    fc.assert(fc.property(fc.oneof(hostileText(300), hugeText(MAX_REASON - 5, MAX_REASON + 2_000)), (reason) => {
      const result = parseReason({ reason });
      const storable = storableText(reason);
      const trimmed = storable.ok ? storable.value.trim() : '';
      if (!storable.ok || trimmed === '' || trimmed.length > MAX_REASON) expect(result.ok).toBe(false);
      else expect(result).toEqual({ ok: true, value: trimmed });
    }), RUNS);
  });
});
