/**
 * Rows in PostgreSQL's binary COPY format (`COPY … FROM STDIN WITH (FORMAT binary)`, described in
 * the COPY reference under "Binary Format"): each value goes as its length and its bytes, so the
 * server parses no text (no escapes, no dates to read) and a million rows load in a fraction of
 * the time. Values are written into a buffer that is handed over in pieces with `take`.
 */

import type { DigestInto } from '../domain/suppression.js';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/**
 * Bytes handed over at a time: each piece is one CopyData message and two socket writes, so a
 * larger piece means fewer system calls on both sides (16 KiB took 9,000 writes per 200,000 rows).
 * Buffers this size live outside V8's heap and are freed once written.
 */
const PIECE_BYTES = 128 * 1024;
const DIGEST_BYTES = 32;
/** PostgreSQL's epoch (2000-01-01T00:00:00Z) in Unix milliseconds. */
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO_TO_32 = 2 ** 32;

export class BinaryCopyWriter {
  private buffer = Buffer.allocUnsafe(PIECE_BYTES);
  private at = 0;
  private full: Buffer[] = [];

  constructor() {
    SIGNATURE.copy(this.buffer, 0);
    this.buffer.writeInt32BE(0, 11); // flags: no OIDs
    this.buffer.writeInt32BE(0, 15); // no header extension
    this.at = 19;
  }

  /** Starts a row of `fields` values. */
  row(fields: number): void {
    this.room(2);
    this.at = this.buffer.writeInt16BE(fields, this.at);
  }

  int4(value: number): void {
    this.room(8);
    this.at = this.buffer.writeInt32BE(4, this.at);
    this.at = this.buffer.writeInt32BE(value, this.at);
  }

  text(value: string | null): void {
    if (value === null) return this.null();
    // UTF-8 takes at most 3 bytes for each UTF-16 unit.
    this.room(4 + 3 * value.length);
    const length = this.buffer.write(value, this.at + 4, 'utf8');
    this.buffer.writeInt32BE(length, this.at);
    this.at += 4 + length;
  }

  /**
   * A keyed hash as bytea, written in place by `into`; NULL when `text` is null or has none.
   * Returns the hash's first four bytes (0 for NULL), which make a good key for a hash set.
   */
  digest(into: DigestInto, text: string | null): number {
    this.room(4 + DIGEST_BYTES);
    if (text === null || !into(text, this.buffer, this.at + 4)) {
      this.null();
      return 0;
    }
    this.buffer.writeInt32BE(DIGEST_BYTES, this.at);
    const head = this.buffer.readInt32BE(this.at + 4);
    this.at += 4 + DIGEST_BYTES;
    return head;
  }

  boolean(value: boolean): void {
    this.room(5);
    this.at = this.buffer.writeInt32BE(1, this.at);
    this.buffer[this.at++] = value ? 1 : 0;
  }

  /** An instant as ISO text (`2024-03-01T00:00:00.000Z`), sent as microseconds since 2000. */
  timestamp(iso: string | null): void {
    if (iso === null) return this.null();
    const micros = (isoMillis(iso) - POSTGRES_EPOCH_MS) * 1000;
    const high = Math.floor(micros / TWO_TO_32);
    this.room(12);
    this.at = this.buffer.writeInt32BE(8, this.at);
    this.at = this.buffer.writeInt32BE(high, this.at);
    this.at = this.buffer.writeUInt32BE(micros - high * TWO_TO_32, this.at);
  }

  null(): void {
    this.room(4);
    this.at = this.buffer.writeInt32BE(-1, this.at);
  }

  /** Whether a whole piece waits to be taken. */
  get ready(): boolean {
    return this.full.length > 0;
  }

  /** The bytes written since the last take; `last` adds the end-of-data mark. */
  take(last = false): Buffer {
    if (last) {
      this.room(2);
      this.at = this.buffer.writeInt16BE(-1, this.at);
    }
    const pieces = [...this.full, this.buffer.subarray(0, this.at)];
    this.full = [];
    this.buffer = Buffer.allocUnsafe(PIECE_BYTES);
    this.at = 0;
    return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    this.full.push(this.buffer.subarray(0, this.at));
    this.buffer = Buffer.allocUnsafe(Math.max(PIECE_BYTES, bytes));
    this.at = 0;
  }
}

/**
 * Date.parse for the one form the import hands over (toISOString's `2024-03-01T09:30:00.000Z`)
 * at a third of its cost, read digit by digit; any other text goes to Date.parse.
 */
export function isoMillis(iso: string): number {
  if (iso.length !== 24 || !CANONICAL_ISO.test(iso)) return Date.parse(iso);
  const year = digits(iso, 0, 4);
  if (year < 100) return Date.parse(iso); // Date.UTC reads years 0–99 as 1900–1999
  return Date.UTC(year, digits(iso, 5, 2) - 1, digits(iso, 8, 2), digits(iso, 11, 2), digits(iso, 14, 2), digits(iso, 17, 2), digits(iso, 20, 3));
}

const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i += 1) value = 10 * value + text.charCodeAt(i) - 48;
  return value;
}
