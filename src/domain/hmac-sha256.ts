import { createHash } from 'node:crypto';

/**
 * HMAC-SHA256 (RFC 2104 over FIPS 180-4) for one fixed key and many short texts, written straight
 * into a caller's buffer: the contact import hashes three identifiers of each of a million rows.
 * node:crypto gives the same bytes (the tests compare them on every kind of input), but each call
 * there builds an Hmac object and crosses into C++ three times, about 2–3 µs; here the key's two
 * padded blocks are hashed once, so a text of up to 55 UTF-8 bytes (any email, phone or CRM id of
 * a real export) costs two compressions, about a third of the time. Longer texts take more blocks.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const INITIAL = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
const BLOCK = 64;
export const DIGEST_BYTES = 32;

export interface KeyedSha256 {
  /** Writes HMAC-SHA256(key, UTF-8 of `text`) into `out` at `at` (32 bytes). */
  into(text: string, out: Uint8Array, at: number): void;
  /** The same as 64 lowercase hex digits. */
  hex(text: string): string;
}

export function keyedSha256(key: Uint8Array): KeyedSha256 {
  const block = new Uint8Array(BLOCK);
  block.set(key.length > BLOCK ? createHash('sha256').update(key).digest() : key);
  const pad = new Uint8Array(BLOCK);
  const schedule = new Int32Array(64);
  // The states after the key's inner and outer blocks: what every message starts from.
  const inner = INITIAL.slice();
  for (let i = 0; i < BLOCK; i += 1) pad[i] = block[i]! ^ 0x36;
  compress(inner, pad, 0, schedule);
  const outer = INITIAL.slice();
  for (let i = 0; i < BLOCK; i += 1) pad[i] = block[i]! ^ 0x5c;
  compress(outer, pad, 0, schedule);

  const state = new Int32Array(8);
  let message = Buffer.alloc(4 * BLOCK);
  const last = new Uint8Array(BLOCK); // the outer hash's one block: the inner digest and padding
  last[DIGEST_BYTES] = 0x80;
  last[BLOCK - 2] = ((BLOCK + DIGEST_BYTES) * 8) >>> 8;
  last[BLOCK - 1] = ((BLOCK + DIGEST_BYTES) * 8) & 0xff;
  const hexOut = Buffer.alloc(DIGEST_BYTES);

  const into = (text: string, out: Uint8Array, at: number): void => {
    // UTF-8 takes at most 3 bytes for each UTF-16 unit; 9 more for the padding's 0x80 and length.
    if (3 * text.length + 9 + BLOCK > message.length) message = Buffer.alloc(3 * text.length + 9 + 2 * BLOCK);
    const length = message.write(text, 0, 'utf8');
    const end = (length + 9 + BLOCK - 1) & ~(BLOCK - 1);
    message.fill(0, length, end);
    message[length] = 0x80;
    const bits = (BLOCK + length) * 8; // the key block comes first; texts here are far below 2^29 bytes
    message[end - 4] = bits >>> 24;
    message[end - 3] = bits >>> 16;
    message[end - 2] = bits >>> 8;
    message[end - 1] = bits;
    state.set(inner);
    for (let offset = 0; offset < end; offset += BLOCK) compress(state, message, offset, schedule);
    for (let i = 0; i < 8; i += 1) bigEndian(state[i]!, last, 4 * i);
    state.set(outer);
    compress(state, last, 0, schedule);
    for (let i = 0; i < 8; i += 1) bigEndian(state[i]!, out, at + 4 * i);
  };
  return {
    into,
    hex: (text) => {
      into(text, hexOut, 0);
      return hexOut.toString('hex');
    },
  };
}

function bigEndian(value: number, out: Uint8Array, at: number): void {
  out[at] = value >>> 24;
  out[at + 1] = value >>> 16;
  out[at + 2] = value >>> 8;
  out[at + 3] = value;
}

/** One SHA-256 block (FIPS 180-4 §6.2.2) into `h`; 32-bit arithmetic kept in int32 with `| 0`. */
function compress(h: Int32Array, bytes: Uint8Array, offset: number, w: Int32Array): void {
  for (let i = 0; i < 16; i += 1) {
    const j = offset + 4 * i;
    w[i] = (bytes[j]! << 24) | (bytes[j + 1]! << 16) | (bytes[j + 2]! << 8) | bytes[j + 3]!;
  }
  for (let i = 16; i < 64; i += 1) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!, f = h[5]!, g = h[6]!, k = h[7]!;
  for (let i = 0; i < 64; i += 1) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (k + s1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    k = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
  h[5] = (h[5]! + f) | 0;
  h[6] = (h[6]! + g) | 0;
  h[7] = (h[7]! + k) | 0;
}
