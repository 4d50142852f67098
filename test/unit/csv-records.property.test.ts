import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsv, readCsvWithCsvParse, type CsvItem } from '../../src/services/csv-records.js';

/**
 * The import reads good CSV with its own reader and hands anything irregular to csv-parse, whose
 * recovery the error reports are written around: whatever the bytes and however reads split
 * them, the records, the lines and the reasons must be exactly what csv-parse alone gives.
 */

async function all(items: AsyncGenerator<CsvItem[]>): Promise<CsvItem[]> {
  const out: CsvItem[] = [];
  for await (const batch of items) out.push(...batch);
  return out;
}

function chunked(buffer: Buffer, cuts: readonly number[]): Readable {
  const points = [...new Set(cuts.map((c) => c % (buffer.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of [...points, buffer.length]) {
    if (p > from) chunks.push(buffer.subarray(from, p));
    from = Math.max(from, p);
  }
  return Readable.from(chunks);
}

async function expectSameAsCsvParse(file: Buffer, cuts: readonly number[]): Promise<void> {
  expect(await all(readCsv(chunked(file, cuts)))).toEqual(await all(readCsvWithCsvParse(Readable.from([file]))));
}

const FRAGMENTS = [',', '"', '""', '\n', '\r', '\r\n', ' ', 'a', 'é', '\ufeff', '\u0000', 'x,y', '"q"', '"a,b"', '"l1\nl2"', '"l1\r\nl2"', '"say ""hi"""'];

describe('readCsv agrees with csv-parse', () => {
  it('on good files, LF or CRLF, with quoted commas, quotes and line breaks, split anywhere', async () => {
    const cell = fc.oneof(fc.constantFrom('', 'plain', 'Chloé', '2024-03-01'), fc.constantFrom('"a, b"', '"He said ""no"""', '"1 High St\nLeeds"', '"x\r\ny"'));
    const file = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.boolean(), fc.boolean()).chain(([columns, crlf, bom]) =>
      fc.array(fc.array(cell, { minLength: columns, maxLength: columns }), { minLength: 1, maxLength: 12 }).map((rows) =>
        Buffer.from(`${bom ? '\ufeff' : ''}${rows.map((r) => r.join(',')).join(crlf ? '\r\n' : '\n')}${crlf ? '\r\n' : '\n'}`, 'utf8')));
    await fc.assert(fc.asyncProperty(file, fc.array(fc.nat(), { maxLength: 8 }), expectSameAsCsvParse), { numRuns: 300 });
  });

  it('on broken files: stray and unclosed quotes, lone CRs, mixed line endings, wrong field counts, blank lines', async () => {
    const text = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 })), { maxLength: 60 }).map((parts) => parts.join(''));
    const file = fc.tuple(fc.constantFrom('a,b,c\n', 'a,b,c\r\n', '', '"a",b,c\n'), text).map(([header, body]) => Buffer.from(header + body, 'utf8'));
    await fc.assert(fc.asyncProperty(file, fc.array(fc.nat(), { maxLength: 8 }), expectSameAsCsvParse), { numRuns: 500 });
  });

  it('on bytes that are not UTF-8, and on UTF-16 with its byte order mark', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(), { maxLength: 6 }),
      (bytes, cuts) => expectSameAsCsvParse(Buffer.concat([Buffer.from('a,b\n'), Buffer.from(bytes)]), cuts)), { numRuns: 300 });
    await expectSameAsCsvParse(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\r\n1,2\r\n', 'utf16le')]), [1, 3]);
  });
});
