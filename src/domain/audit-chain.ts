import { createHash } from 'node:crypto';

/**
 * The audit chain (DESIGN §4): `hash = sha256(prev_hash ‖ canonical event)`. The canonical form must
 * come out the same for what was written and for what Postgres hands back, so it does not trust
 * key order (jsonb sorts keys by length), number spelling (jsonb keeps `1.0`, JSON.parse makes it
 * `1`) or the Date/string form of a timestamp: keys are sorted, numbers are re-spelled by JS, and
 * timestamps become ISO UTC with milliseconds (what a JS Date can hold, and what timestamptz keeps).
 */

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEventContent {
  readonly id: number;
  /** A Date, or an ISO timestamp that names its zone (a bare local time would hash per machine). */
  readonly occurredAt: Date | string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  readonly facts: Readonly<Record<string, unknown>>;
}

export interface StoredAuditEvent extends AuditEventContent {
  readonly prevHash: string;
  readonly hash: string;
}

export type ChainBreakReason = 'hash mismatch' | 'broken link' | 'gap in ids';
export type ChainResult =
  | { readonly ok: true; readonly count: number }
  | { readonly ok: false; readonly brokenAt: number; readonly reason: ChainBreakReason };

const HASH = /^[0-9a-f]{64}$/;
const ZONED_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
// A lone UTF-16 surrogate cannot be stored as UTF-8: Postgres would keep U+FFFD and the hash would break.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function canonicalEvent(event: AuditEventContent): string {
  if (!Number.isSafeInteger(event.id) || event.id < 1) throw new TypeError(`audit event id must be a positive integer, got ${event.id}`);
  return canonicalJson({
    id: event.id,
    occurredAt: canonicalTimestamp(event.occurredAt),
    actor: event.actor,
    action: event.action,
    subject: event.subject ?? null,
    facts: event.facts,
  }, 'event');
}

/**
 * The canonical event in two halves around its id: `canonicalEvent(e) === before + String(e.id) + after`.
 * The id is the last event's plus one, known only under the chain's lock, so the register sends the
 * halves and Postgres hashes `prev_hash ‖ before ‖ id ‖ after` in the statement that appends: the
 * same bytes as eventHash, without a round trip from Node while the lock is held.
 */
export function canonicalEventAroundId(event: Omit<AuditEventContent, 'id'>): { readonly before: string; readonly after: string } {
  // Keys are sorted, so "id" sits between "facts" and "occurredAt"; 1 stands in for the id. The
  // facts may nest the same keys, but only the top-level member follows them: what comes after it
  // is the timestamp and the subject, strings whose quotes are escaped, so the last match is it.
  const text = canonicalEvent({ ...event, id: 1 });
  const at = text.lastIndexOf(',"id":1,"occurredAt":');
  if (at < 0) throw new Error('canonical event without its id member');
  return { before: text.slice(0, at + ',"id":'.length), after: text.slice(at + ',"id":1'.length) };
}

export function eventHash(prevHash: string, event: AuditEventContent): string {
  if (!HASH.test(prevHash)) throw new TypeError(`previous hash must be 64 lowercase hex digits, got ${JSON.stringify(prevHash)}`);
  return createHash('sha256').update(prevHash).update(canonicalEvent(event)).digest('hex');
}

/** The whole chain at once; for millions of events feed a ChainVerifier batch by batch instead. */
export function verifyChain(events: Iterable<StoredAuditEvent>, startPrevHash: string = GENESIS_HASH, firstId?: number): ChainResult {
  const verifier = new ChainVerifier(startPrevHash, firstId);
  verifier.feed(events);
  return verifier.result();
}

/**
 * Streaming verification: feed events in id order, in batches of any size; it stops at the first
 * break. Starting from GENESIS_HASH the first id must be 1 (so a deleted first event is a gap);
 * starting mid-chain, pass the id expected next or the first event fed is taken as the start.
 */
export class ChainVerifier {
  #prevHash: string;
  #nextId: number | null;
  #count = 0;
  #broken: { brokenAt: number; reason: ChainBreakReason } | null = null;

  constructor(startPrevHash: string = GENESIS_HASH, firstId?: number) {
    this.#prevHash = startPrevHash;
    this.#nextId = firstId ?? (startPrevHash === GENESIS_HASH ? 1 : null);
  }

  /** Events verified intact so far (all of them before the break, if there is one). */
  get count(): number { return this.#count; }
  /** Hash of the last intact event: the start for verifying what is appended later. */
  get lastHash(): string { return this.#prevHash; }

  /** False once the chain is broken; later batches are then ignored. */
  feed(events: Iterable<StoredAuditEvent>): boolean {
    for (const event of events) {
      if (this.#broken) return false;
      const reason = this.#check(event);
      if (reason) {
        this.#broken = { brokenAt: event.id, reason };
        return false;
      }
      this.#prevHash = event.hash;
      this.#nextId = event.id + 1;
      this.#count += 1;
    }
    return this.#broken === null;
  }

  result(): ChainResult {
    return this.#broken ? { ok: false, ...this.#broken } : { ok: true, count: this.#count };
  }

  #check(event: StoredAuditEvent): ChainBreakReason | null {
    if (this.#nextId !== null && event.id !== this.#nextId) return 'gap in ids';
    if (event.prevHash !== this.#prevHash) return 'broken link';
    let expected: string;
    try {
      expected = eventHash(event.prevHash, event);
    } catch {
      return 'hash mismatch'; // a value no append could have written: tampered with
    }
    return expected === event.hash ? null : 'hash mismatch';
  }
}

/**
 * Facts as they will come back from jsonb: a JSON round trip (Dates become ISO strings, undefined
 * properties vanish). Non-finite numbers are refused rather than silently stored as null.
 */
export function toJsonFacts(facts: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const text = JSON.stringify(facts, (key, value: unknown) => {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`audit fact ${key} is ${value}, which JSON cannot hold`);
    return value;
  });
  return JSON.parse(text) as Record<string, unknown>;
}

const PERSONAL_WORDS = new Set(['email', 'emails', 'mail', 'name', 'names', 'fullname', 'firstname', 'lastname',
  'surname', 'forename', 'username', 'phone', 'phones', 'telephone', 'mobile', 'address', 'addresses',
  'postcode', 'dob', 'birthdate']);
// A keyed hash, id or count of an identifier is what events are meant to hold.
const SAFE_LAST_WORDS = new Set(['hmac', 'hash', 'id', 'ids', 'ref', 'refs', 'count']);
const EMAIL_LIKE = /[^\s@]+@[^\s@]+\.[^\s@]+/;

/** Text the audit chain would refuse as an email address (see personalDataIn): a caller can say so first. */
export function looksLikeEmailAddress(text: string): boolean {
  return EMAIL_LIKE.test(text);
}

/**
 * Where an event would carry personal data, or null. Events are immutable, so personal data written
 * there could never be erased: keys named like personal data (`email`, `fullName`, `phone_number`,
 * `ip_address`, ...) and values that look like email addresses are refused, at any depth.
 */
export function personalDataIn(event: { readonly subject?: string | null; readonly facts?: unknown }): string | null {
  if (event.subject && EMAIL_LIKE.test(event.subject)) return 'subject looks like an email address';
  return personalDataInValue(event.facts ?? {}, 'facts');
}

function personalDataInValue(value: unknown, path: string): string | null {
  if (typeof value === 'string') return EMAIL_LIKE.test(value) ? `${path} looks like an email address` : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = personalDataInValue(item, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    if (isPersonalKey(key)) return `${path}.${key} is named like personal data`;
    const found = personalDataInValue(item, `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

function isPersonalKey(key: string): boolean {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const last = words[words.length - 1];
  if (last !== undefined && SAFE_LAST_WORDS.has(last)) return false;
  return words.some((word) => PERSONAL_WORDS.has(word));
}

function canonicalTimestamp(value: Date | string): string {
  if (typeof value === 'string' && !ZONED_ISO.test(value)) {
    throw new TypeError(`occurredAt must be an ISO timestamp with a zone (Z or ±hh:mm), got ${JSON.stringify(value)}`);
  }
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new TypeError(`occurredAt is not a valid time: ${String(value)}`);
  return date.toISOString();
}

function canonicalJson(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path} is ${value}, which JSON cannot hold`);
      return JSON.stringify(value); // -0 becomes 0, as in jsonb
    case 'string':
      return canonicalString(value, path);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item, i) => canonicalJson(item, `${path}[${i}]`)).join(',')}]`;
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new TypeError(`${path} is not a plain JSON object`);
      const record = value as Record<string, unknown>;
      // Default sort is by UTF-16 code units: fixed, whatever order the keys arrive in.
      const members = Object.keys(record).sort().map((key) =>
        `${canonicalString(key, path)}:${canonicalJson(record[key], `${path}.${key}`)}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`${path} is ${typeof value}, which is not a JSON value`);
  }
}

function canonicalString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) throw new TypeError(`${path} holds a lone UTF-16 surrogate, which Postgres cannot store`);
  return JSON.stringify(value);
}
