import { pipeline, Readable, Transform, type TransformCallback } from 'node:stream';
import { parse, type CsvError, type Info } from 'csv-parse';
import { PlainCsv, type PlainItem } from './plain-csv.js';

/**
 * CSV records with the line each starts on, for the contact import. Good records are read by
 * PlainCsv; from the first irregular record on, csv-parse reads the rest, and this module keeps
 * its line numbers exact (csv-parse's own count drifts after CRLF inside quotes) and turns what
 * csv-parse skips into reportable stretches, so no line vanishes from the report.
 */

// Far above any valid row (14 fields of at most 1000 characters), so it only trips on a quote left
// open; it also bounds what csv-parse buffers while it looks for the closing quote.
const MAX_RECORD_SIZE = 65_536;
/**
 * Bytes decoded at a time: the text of a larger read (a file stream reads 64 KiB) would be a
 * string too large for V8's young generation, kept until a full collection, so memory would grow
 * with the file.
 */
const PIECE_BYTES = 16 * 1024;

export type CsvItem =
  | { readonly kind: 'record'; readonly line: number; readonly fields: readonly string[] }
  | { readonly kind: 'malformed'; readonly line: number; readonly reason: string };

type Parsed = { readonly record: string[]; readonly info: Info } | { readonly error: CsvError };

/**
 * The file's records in file order, a chunk's worth at a time. UTF-8 text is decoded here and
 * read by PlainCsv while it is well formed; a UTF-16 file (by its byte order mark) goes to
 * csv-parse whole, which decodes it.
 */
export async function* readCsv(input: Readable): AsyncGenerator<CsvItem[]> {
  const chunks: AsyncIterator<Buffer | string> = input[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  let next = await chunks.next();
  // Two bytes tell a UTF-16 byte order mark, however the reads split.
  while (!next.done && typeof next.value !== 'string' && head.length + next.value.length < 2) {
    head = Buffer.concat([head, next.value]);
    next = await chunks.next();
  }
  if (!next.done && typeof next.value !== 'string') {
    head = Buffer.concat([head, next.value]);
    if (isUtf16(head)) {
      yield* batches(readWithCsvParse(Readable.from(resume(head, chunks)), { skipHeader: false, lineOffset: 0 }));
      return;
    }
  }
  // The byte order mark is kept for PlainCsv to skip, or for csv-parse if it reads from the start.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const plain = new PlainCsv();
  let bytes: Buffer = head; // of the current read, not yet decoded
  let text = typeof next.value === 'string' ? next.value : '';
  for (;;) {
    if (bytes.length > 0) {
      const piece = bytes.subarray(0, PIECE_BYTES);
      bytes = bytes.subarray(piece.length);
      text = decoder.decode(piece, { stream: true });
    }
    const final = next.done === true && bytes.length === 0;
    if (final) text += decoder.decode();
    const items: PlainItem[] = [];
    plain.read(text, final, items);
    text = '';
    if (items.length > 0) yield items;
    if (plain.irregular) break;
    if (final) return;
    if (bytes.length === 0) {
      next = await chunks.next();
      const value = next.done ? '' : next.value;
      if (typeof value === 'string') text = value;
      else bytes = value;
    }
  }
  // The header goes first again, so csv-parse counts fields and finds line endings as it would have.
  const { header, text: rest, line } = plain.rest();
  async function* remainder(): AsyncGenerator<Buffer> {
    yield Buffer.from(header + rest + (bytes.length > 0 ? decoder.decode(bytes, { stream: true }) : ''), 'utf8');
    if (!next.done) {
      for (let more = await chunks.next(); !more.done; more = await chunks.next()) {
        yield Buffer.from(typeof more.value === 'string' ? more.value : decoder.decode(more.value, { stream: true }), 'utf8');
      }
    }
    yield Buffer.from(decoder.decode(), 'utf8');
  }
  // csv-parse counts the header's lines again (a quoted header value may span several).
  yield* batches(readWithCsvParse(Readable.from(remainder()), { skipHeader: header !== '', lineOffset: line - 1 - countFeeds(header) }));
}

/** The same records read by csv-parse alone, as before PlainCsv: what readCsv must agree with. */
export function readCsvWithCsvParse(input: Readable): AsyncGenerator<CsvItem[]> {
  return batches(readWithCsvParse(input, { skipHeader: false, lineOffset: 0 }));
}

function isUtf16(head: Buffer): boolean {
  return (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
}

async function* resume(head: Buffer, chunks: AsyncIterator<Buffer | string>): AsyncGenerator<Buffer | string> {
  yield head;
  for (let more = await chunks.next(); !more.done; more = await chunks.next()) yield more.value;
}

async function* batches(items: AsyncGenerator<CsvItem>): AsyncGenerator<CsvItem[]> {
  for await (const item of items) yield [item];
}

/**
 * Records with the line each starts on, and the stretches csv-parse could not read. csv-parse skips
 * a bad record and goes on (skip_records_with_error), but after a quote error it may swallow the
 * lines that follow until a quote closes, or to the end of the file: those lines are reported as one
 * malformed stretch, first line to last, so nothing disappears from the report unannounced.
 */
async function* readWithCsvParse(input: Readable, { skipHeader, lineOffset }: { skipHeader: boolean; lineOffset: number }): AsyncGenerator<CsvItem> {
  const counter = new LineCounter(lineOffset);
  const parser = parse({ bom: true, info: true, skip_records_with_error: true, relax_column_count: false, max_record_size: MAX_RECORD_SIZE });
  // Skips are events, records are stream items: pushing each skip into the stream keeps file order.
  parser.on('skip', (error: CsvError) => parser.push({ error }));
  const parsed: AsyncIterable<Parsed> = pipeline(input, counter, parser, () => undefined);
  let columns = 0;
  let lastEnd = 0;
  let gap: { line: number; reason: string } | null = null;
  for await (const item of parsed) {
    const complete = 'error' in item ? wrongLength(item.error) : item;
    if (complete === null) {
      if ('error' in item) gap ??= { line: counter.lineAt(lastEnd), reason: describe(item.error) };
      continue;
    }
    const { record, info } = complete;
    // csv-parse's own line count goes wrong after CRLF inside quotes, so count line feeds ourselves.
    const line = counter.lineAt(info.bytes - 1) - record.reduce((n, field) => n + countFeeds(field), 0);
    const sameRecord = gap !== null && line <= gap.line; // a quote error and a wrong field count
    if (gap) yield unreadable(gap, Math.max(gap.line, line - 1));
    gap = null;
    lastEnd = info.bytes;
    if ('error' in item) {
      if (sameRecord) continue;
      if (record.length === 1 && record[0]?.trim() === '') continue; // a blank line
      yield { kind: 'malformed', line, reason: `it has ${record.length} fields where the header has ${columns}; a value containing a comma must be in double quotes` };
    } else {
      if (columns === 0) {
        columns = record.length;
        if (skipHeader) continue;
      }
      yield { kind: 'record', line, fields: record };
    }
  }
  if (gap) yield unreadable(gap, counter.lastLine());
}

/** A record csv-parse read whole but rejected for its field count: its fields and end are known. */
function wrongLength(error: CsvError): { record: string[]; info: { bytes: number } } | null {
  const { record, bytes } = error;
  if (error.code !== 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' || typeof bytes !== 'number' || !Array.isArray(record)) return null;
  return { record: record.map(String), info: { bytes } };
}

function unreadable(gap: { line: number; reason: string }, last: number): CsvItem {
  // csv-parse names the symptom where it gave up; the cause is a quote on the first line lost.
  const reason = last > gap.line
    ? `not valid CSV, so lines ${gap.line} to ${last} were not loaded: check the quotes on line ${gap.line} (${gap.reason})`
    : `not valid CSV, so this line was not loaded: ${gap.reason}`;
  return { kind: 'malformed', line: gap.line, reason };
}

function describe(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED': return 'a quoted value is never closed: a " is missing';
    // Either a quote left open swallowed the lines after it, or a line really is that long.
    case 'CSV_MAX_RECORD_SIZE': return `a quoted value is never closed (a " is missing), or a row is longer than ${MAX_RECORD_SIZE.toLocaleString('en-GB')} characters`;
    case 'CSV_INVALID_CLOSING_QUOTE': return 'a quoted value is followed by more text; a " inside a quoted value must be written ""';
    case 'INVALID_OPENING_QUOTE': return 'a " appears inside an unquoted value; quote the whole value and write the " as ""';
    default: return error.message;
  }
}

function countFeeds(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}

/** Passes bytes through, noting where each line feed is, so a byte offset maps to a line number. */
class LineCounter extends Transform {
  private readonly feeds: number[] = []; // offsets of line feeds not yet behind the last lookup
  private head = 0;
  private seen = 0;
  private endsWithFeed = true;

  /** `behind`: lines before the first byte (when the text starts part-way into a file). */
  constructor(private behind: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.feeds.push(this.seen + i);
    this.seen += chunk.length;
    if (chunk.length > 0) this.endsWithFeed = chunk[chunk.length - 1] === 10;
    done(null, chunk);
  }

  /** The 1-based line of the byte at `offset`. Lookups must not go backwards: passed feeds are dropped. */
  lineAt(offset: number): number {
    while (this.head < this.feeds.length && (this.feeds[this.head] ?? offset) < offset) {
      this.head += 1;
      this.behind += 1;
    }
    if (this.head > 65_536) {
      this.feeds.splice(0, this.head);
      this.head = 0;
    }
    return this.behind + 1;
  }

  lastLine(): number {
    const feeds = this.behind + this.feeds.length - this.head;
    return this.endsWithFeed ? Math.max(feeds, 1) : feeds + 1;
  }
}
