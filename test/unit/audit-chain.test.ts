import { describe, expect, it } from 'vitest';
import {
  canonicalEvent, canonicalEventAroundId, ChainVerifier, eventHash, GENESIS_HASH, personalDataIn, toJsonFacts, verifyChain,
  type AuditEventContent, type StoredAuditEvent,
} from '../../src/domain/audit-chain.js';

const base: AuditEventContent = {
  id: 1, occurredAt: new Date('2026-03-02T09:30:00.000Z'), actor: 'slack:U1', action: 'request.received',
  subject: 'DSR-2026-0001', facts: {},
};

function chain(length: number): StoredAuditEvent[] {
  const events: StoredAuditEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let id = 1; id <= length; id += 1) {
    const content = { ...base, id, facts: { n: id, nested: { b: [1, 2], a: 'x' } } };
    const hash = eventHash(prevHash, content);
    events.push({ ...content, prevHash, hash });
    prevHash = hash;
  }
  return events;
}

/** What jsonb does to an object's keys: shorter first, then bytewise. */
function jsonbOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(jsonbOrder);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((k) => [k, jsonbOrder((value as Record<string, unknown>)[k])]));
}

describe('canonicalEvent', () => {
  const same: [string, Partial<AuditEventContent>, Partial<AuditEventContent>][] = [
    ['top-level key order', { facts: { b: 1, a: 2 } }, { facts: { a: 2, b: 1 } }],
    ['nested key order', { facts: { o: { z: { y: 1, x: 2 }, a: [{ q: 1, p: 2 }] } } }, { facts: { o: { a: [{ p: 2, q: 1 }], z: { x: 2, y: 1 } } } }],
    ['jsonb key order', { facts: { longer: 1, ab: 2, b: 3, aa: 4 } }, { facts: jsonbOrder({ longer: 1, ab: 2, b: 3, aa: 4 }) as Record<string, unknown> }],
    ['1.0 read back as 1', { facts: { n: 1.0 } }, { facts: JSON.parse('{"n": 1.0}') as Record<string, unknown> }],
    ['-0 stored by jsonb as 0', { facts: { n: -0 } }, { facts: { n: 0 } }],
    ['large and small numbers through text', { facts: { big: 1e21, tiny: 1e-7, f: 0.1 + 0.2 } },
      { facts: JSON.parse('{"big": 1000000000000000000000, "tiny": 0.0000001, "f": 0.30000000000000004}') as Record<string, unknown> }],
    ['Date and ISO string', { occurredAt: new Date('2026-03-02T09:30:00Z') }, { occurredAt: '2026-03-02T09:30:00.000Z' }],
    ['ISO string with an offset', { occurredAt: '2026-03-02T10:30:00+01:00' }, { occurredAt: '2026-03-02T09:30:00Z' }],
    ['undefined subject is null', { subject: null }, { subject: undefined as unknown as null }],
  ];
  it.each(same)('is the same across %s', (_name, a, b) => {
    expect(canonicalEvent({ ...base, ...a })).toBe(canonicalEvent({ ...base, ...b }));
  });

  const different: [string, Partial<AuditEventContent>, Partial<AuditEventContent>][] = [
    ['array order', { facts: { a: [1, 2] } }, { facts: { a: [2, 1] } }],
    ['one millisecond', { occurredAt: '2026-03-02T09:30:00.000Z' }, { occurredAt: '2026-03-02T09:30:00.001Z' }],
    ['string vs number', { facts: { a: '1' } }, { facts: { a: 1 } }],
    ['null vs empty subject', { subject: null }, { subject: '' }],
    ['composed vs decomposed é (no Unicode normalisation)', { facts: { a: '\u00e9' } }, { facts: { a: 'e\u0301' } }],
    ['id', { id: 1 }, { id: 2 }],
  ];
  it.each(different)('tells apart %s', (_name, a, b) => {
    expect(canonicalEvent({ ...base, ...a })).not.toBe(canonicalEvent({ ...base, ...b }));
  });

  it('writes sorted keys, ISO milliseconds and Unicode verbatim', () => {
    const text = canonicalEvent({ ...base, occurredAt: '2026-03-02T09:30:00Z', facts: { ü: '日本 🎉', a: { c: null, b: true } } });
    expect(text).toBe('{"action":"request.received","actor":"slack:U1","facts":{"a":{"b":true,"c":null},"ü":"日本 🎉"},'
      + '"id":1,"occurredAt":"2026-03-02T09:30:00.000Z","subject":"DSR-2026-0001"}');
  });

  const refused: [string, Partial<AuditEventContent>][] = [
    ['a local time without a zone', { occurredAt: '2026-03-02T09:30:00' }],
    ['an invalid Date', { occurredAt: new Date('nope') }],
    ['NaN', { facts: { n: Number.NaN } }],
    ['undefined in facts', { facts: { u: undefined } }],
    ['a Date in facts (not JSON)', { facts: { d: new Date() } }],
    ['a lone surrogate', { facts: { s: '\ud800x' } }],
    ['id 0', { id: 0 }],
  ];
  it.each(refused)('refuses %s', (_name, change) => {
    expect(() => canonicalEvent({ ...base, ...change })).toThrow(TypeError);
  });
});

describe('canonicalEventAroundId', () => {
  it.each([1, 9, 10, 12345, 2 ** 53 - 1])('splits the canonical event around id %i, whatever the facts nest', (id) => {
    const event = { occurredAt: '2026-03-02T09:30:00Z', actor: 'slack:U1', action: 'x', subject: ',"id":1,"occurredAt":',
      facts: { a: { id: 1, occurredAt: 'then' }, z: ',"id":1,"occurredAt":' } };
    const { before, after } = canonicalEventAroundId(event);
    expect(before + String(id) + after).toBe(canonicalEvent({ ...event, id }));
  });
});

describe('eventHash', () => {
  it('is sha256 hex and depends on the previous hash', () => {
    const a = eventHash(GENESIS_HASH, base);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(eventHash('1'.repeat(64), base)).not.toBe(a);
    expect(() => eventHash('xyz', base)).toThrow(TypeError);
  });
});

describe('verifyChain', () => {
  const tampered: [string, (events: StoredAuditEvent[]) => StoredAuditEvent[], number, string][] = [
    ['edited facts', (e) => e.map((x) => (x.id === 3 ? { ...x, facts: { ...x.facts, n: 99 } } : x)), 3, 'hash mismatch'],
    ['edited actor', (e) => e.map((x) => (x.id === 2 ? { ...x, actor: 'slack:U9' } : x)), 2, 'hash mismatch'],
    ['edited hash', (e) => e.map((x) => (x.id === 4 ? { ...x, hash: 'f'.repeat(64) } : x)), 4, 'hash mismatch'],
    ['edited and re-hashed', (e) => e.map((x) => (x.id === 3 ? { ...x, facts: {}, hash: eventHash(x.prevHash, { ...x, facts: {} }) } : x)), 4, 'broken link'],
    ['deleted row', (e) => e.filter((x) => x.id !== 3), 4, 'gap in ids'],
    ['deleted first row', (e) => e.slice(1), 2, 'gap in ids'],
    ['reordered rows', (e) => [e[0]!, e[2]!, e[1]!, ...e.slice(3)], 3, 'gap in ids'],
    ['contents swapped between ids', (e) => e.map((x, i) => (i === 1 ? { ...e[2]!, id: 2 } : i === 2 ? { ...e[1]!, id: 3 } : x)), 2, 'broken link'],
    ['a junk value', (e) => e.map((x) => (x.id === 5 ? { ...x, facts: { n: Number.NaN } } : x)), 5, 'hash mismatch'],
  ];

  it('accepts an intact chain and an empty one', () => {
    expect(verifyChain(chain(6))).toEqual({ ok: true, count: 6 });
    expect(verifyChain([])).toEqual({ ok: true, count: 0 });
  });

  it.each(tampered)('finds %s', (_name, tamper, brokenAt, reason) => {
    expect(verifyChain(tamper(chain(6)))).toEqual({ ok: false, brokenAt, reason });
  });

  it('verifies in batches, and resumes from a later hash', () => {
    const events = chain(10);
    const verifier = new ChainVerifier();
    for (let i = 0; i < events.length; i += 3) expect(verifier.feed(events.slice(i, i + 3))).toBe(true);
    expect(verifier.result()).toEqual({ ok: true, count: 10 });
    expect(verifier.lastHash).toBe(events[9]!.hash);
    expect(verifyChain(events.slice(5), events[4]!.hash)).toEqual({ ok: true, count: 5 });
    expect(verifyChain(events.slice(5), events[4]!.hash, 7)).toEqual({ ok: false, brokenAt: 6, reason: 'gap in ids' });
  });

  it('stops at the first break and counts what was intact before it', () => {
    const events = chain(10).map((x) => (x.id === 4 || x.id === 8 ? { ...x, actor: 'x' } : x));
    const verifier = new ChainVerifier();
    expect(verifier.feed(events.slice(0, 5))).toBe(false);
    expect(verifier.feed(events.slice(5))).toBe(false);
    expect(verifier.result()).toEqual({ ok: false, brokenAt: 4, reason: 'hash mismatch' });
    expect(verifier.count).toBe(3);
  });
});

describe('toJsonFacts', () => {
  it('gives facts as jsonb returns them', () => {
    expect(toJsonFacts({ d: new Date('2026-01-01T00:00:00Z'), u: undefined, a: [1, undefined] }))
      .toEqual({ d: '2026-01-01T00:00:00.000Z', a: [1, null] });
    expect(() => toJsonFacts({ n: Number.POSITIVE_INFINITY })).toThrow(/JSON cannot hold/);
  });
});

describe('personalDataIn', () => {
  it.each([
    ['email'], ['Email'], ['e-mail'], ['emailAddress'], ['name'], ['full_name'], ['fullName'], ['fullname'],
    ['first_name'], ['phone'], ['phone_number'], ['mobile'], ['address'], ['ip_address'], ['postcode'],
  ])('refuses a key named %s, at any depth', (key) => {
    expect(personalDataIn({ facts: { [key]: 'x' } })).toMatch(/named like personal data/);
    expect(personalDataIn({ facts: { contact: { rows: [{ [key]: 'x' }] } } })).toContain(`facts.contact.rows[0].${key}`);
  });

  it.each([['email_hmac'], ['emailHash'], ['contact_id'], ['external_id_hash'], ['reference'], ['reason'], ['rows'], ['filename']])(
    'accepts a key named %s', (key) => {
      expect(personalDataIn({ facts: { [key]: 'x' } })).toBeNull();
    });

  it('refuses values and subjects that look like email addresses', () => {
    expect(personalDataIn({ facts: { note: 'from jane.doe@example.com' } })).toMatch(/facts.note looks like an email/);
    expect(personalDataIn({ facts: { list: ['a', 'J@Example.COM'] } })).toMatch(/facts.list\[1\]/);
    expect(personalDataIn({ subject: 'jane@example.com', facts: {} })).toMatch(/subject/);
    expect(personalDataIn({ subject: 'DSR-2026-0001', facts: { contactIds: [1, 2], count: 3 } })).toBeNull();
  });
});
