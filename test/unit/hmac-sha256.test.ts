import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyedSha256 } from '../../src/domain/hmac-sha256.js';
import { identifierDigests, keyedHasher } from '../../src/domain/suppression.js';

/**
 * The import's own HMAC-SHA256 must give node:crypto's bytes for every key and text, or an import
 * would let a suppressed address or an erased CRM id back in. Lengths around the block edges
 * (55, 56, 64 bytes of text; keys longer than a block) are where a padding mistake would show.
 */
const reference = (key: Uint8Array, text: string) => createHmac('sha256', key).update(text, 'utf8').digest('hex');

describe('keyedSha256', () => {
  it('gives node:crypto\'s HMAC-SHA256 for any key and any text', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 300 }), (key, text) => {
      expect(keyedSha256(key).hex(text)).toBe(reference(key, text));
    }), { numRuns: 500 });
  });

  it('at the block edges, for lone surrogates, and for a text longer than any before it', () => {
    const key = Buffer.from('a-pepper-of-at-least-16-chars');
    const hmac = keyedSha256(key);
    const texts = [...[0, 1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 128].map((n) => 'x'.repeat(n)), 'é'.repeat(28), '\ud800', 'a\udfffb', '😀'.repeat(20), 'y'.repeat(5000), 'short'];
    for (const text of texts) expect(hmac.hex(text)).toBe(reference(key, text));
  });

  it('writes its 32 bytes in place and nothing around them', () => {
    const key = Buffer.from('key-key-key-key-key');
    const out = Buffer.alloc(40, 0xaa);
    keyedSha256(key).into('jane@example.com', out, 4);
    // echo -n 'jane@example.com' | openssl dgst -sha256 -hmac 'key-key-key-key-key'
    expect(out.subarray(4, 36).toString('hex')).toBe('2ce1a25bf4c358be8724ef1e91ff50db6dd646c5d688de24316abe558a8592bd');
    expect([...out.subarray(0, 4), ...out.subarray(36)]).toEqual(Array(8).fill(0xaa));
  });
});

describe('identifierDigests', () => {
  it('gives keyedHasher\'s hashes as bytes, and none for a phone that cannot be placed', () => {
    const pepper = 'a-pepper-of-at-least-16-chars';
    const hashes = keyedHasher(pepper);
    const digests = identifierDigests(pepper);
    const out = Buffer.alloc(32);
    for (const email of [' Jane@Example.com ', 'chloé@example.fr']) {
      expect(digests.email(email, out, 0)).toBe(true);
      expect(out.toString('hex')).toBe(hashes.email(email));
    }
    for (const id of ['CRM-1', ' CRM-1', 'ÅÄÖ-9']) {
      expect(digests.externalId(id, out, 0)).toBe(true);
      expect(out.toString('hex')).toBe(hashes.externalId(id));
    }
    expect(digests.phone('+44 (0)7700 900123', out, 0)).toBe(true);
    expect(out.toString('hex')).toBe(hashes.phone('07700 900123'));
    expect(digests.phone('call me', out, 0)).toBe(false);
    expect(() => identifierDigests('')).toThrow(/pepper is empty/);
  });
});
