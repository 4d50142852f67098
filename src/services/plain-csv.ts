/**
 * A reader for well-formed CSV (RFC 4180: quoted fields, "" inside them, line breaks inside
 * quotes, LF or CRLF), for the contact import's hot path: several times cheaper than csv-parse
 * per record, because it only ever has to read good records. At the first thing that is not
 * plainly a good record (a stray or unclosed quote, a lone CR, a line ending unlike the header's,
 * a record of unusual length) it stops, and csv-records.ts hands the rest of the file to
 * csv-parse, whose recovery from broken CSV the error reports are written around.
 */

/** Long enough for any valid row (14 fields of at most 1000 characters, quotes doubled). */
const PLAIN_RECORD_CHARS = 32_768;

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;
const BOM = 0xfeff;

export type PlainItem =
  | { readonly kind: 'record'; readonly line: number; readonly fields: string[] }
  | { readonly kind: 'malformed'; readonly line: number; readonly reason: string };

export class PlainCsv {
  private text = '';
  private pos = 0;
  /** The line `pos` is on. */
  private line = 1;
  /** The line ending the header used; every record must end the same way. */
  private crlf: boolean | null = null;
  private columns = 0;
  /** The header as written, line ending included, for csv-parse to start from. */
  private header = '';
  /** Set once the reader met something irregular: the text from there on is csv-parse's. */
  private stopped = false;

  /** Reads the records `chunk` completes; `final` when no text follows. */
  read(chunk: string, final: boolean, out: PlainItem[]): void {
    if (this.stopped) return;
    this.text = this.pos < this.text.length ? this.text.slice(this.pos) + chunk : chunk;
    this.pos = 0;
    while (!this.stopped) {
      const fields: string[] = [];
      const start = this.pos;
      const end = this.record(fields, final);
      if (end === NEED_MORE) break;
      if (end === IRREGULAR) {
        this.stopped = true;
        break;
      }
      if (end === END_OF_TEXT) break;
      const line = this.line;
      this.line += end;
      if (this.columns === 0) {
        this.columns = fields.length;
        this.header = this.text.slice(start, this.pos);
      }
      if (fields.length === this.columns) out.push({ kind: 'record', line, fields });
      else if (fields.length !== 1 || fields[0]!.trim() !== '') {
        // A blank line (one empty field) is skipped, as csv-parse's caller skips it.
        out.push({ kind: 'malformed', line, reason: `it has ${fields.length} fields where the header has ${this.columns}; a value containing a comma must be in double quotes` });
      }
    }
  }

  /** Whether the reader stopped at something irregular. */
  get irregular(): boolean {
    return this.stopped;
  }

  /**
   * What the reader did not read and the line it starts on, with the header if it was read
   * (empty if the header itself was irregular): for csv-parse to take over.
   */
  rest(): { header: string; text: string; line: number } {
    return { header: this.header, text: this.text.slice(this.pos), line: this.line };
  }

  /**
   * Reads one record at `pos` into `fields`. Returns the number of line feeds it spans (its own
   * included) and moves `pos` past it, or NEED_MORE, IRREGULAR or END_OF_TEXT, leaving `pos`.
   */
  private record(fields: string[], final: boolean): number {
    const text = this.text;
    const length = text.length;
    let p = this.pos;
    // A byte order mark opening the file is not part of the header (csv-parse drops it too); it
    // stays in the text, so that csv-parse, taking over from the start, sees the file as it was.
    if (p === 0 && this.columns === 0 && text.charCodeAt(0) === BOM) p = 1;
    if (p >= length) return final ? END_OF_TEXT : NEED_MORE;
    let feeds = 0;
    for (;;) {
      if (p - this.pos > PLAIN_RECORD_CHARS) return IRREGULAR;
      let value: string;
      if (text.charCodeAt(p) === QUOTE) {
        let from = p + 1;
        value = '';
        for (;;) {
          const close = text.indexOf('"', from);
          if (close === -1 || close + 1 >= length) {
            if (!final) return this.more();
            if (close === -1) return IRREGULAR;
          }
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += text.slice(from, close + 1);
            from = close + 2;
            continue;
          }
          value += text.slice(from, close);
          p = close + 1;
          break;
        }
        feeds += countFeeds(value);
      } else {
        const from = p;
        let c = 0;
        while (p < length) {
          c = text.charCodeAt(p);
          if (c === COMMA || c === LF || c === CR || c === QUOTE) break;
          p += 1;
        }
        if (p >= length && !final) return this.more();
        if (c === QUOTE && p < length) return IRREGULAR;
        value = text.slice(from, p);
      }
      fields.push(value);
      if (p >= length) {
        // The last record of a file without a final line ending.
        this.pos = p;
        return feeds + 1;
      }
      const c = text.charCodeAt(p);
      if (c === COMMA) {
        p += 1;
        continue;
      }
      const ending = c === LF ? 1 : c === CR && text.charCodeAt(p + 1) === LF ? 2 : 0;
      if (ending === 0) return c === CR && p + 1 >= length && !final ? this.more() : IRREGULAR;
      this.crlf ??= ending === 2;
      if (this.crlf !== (ending === 2)) return IRREGULAR;
      this.pos = p + ending;
      return feeds + 1;
    }
  }

  /** A record cut off by the end of the text read so far, unless it is already too long to be plain. */
  private more(): number {
    return this.text.length - this.pos > PLAIN_RECORD_CHARS ? IRREGULAR : NEED_MORE;
  }
}

const NEED_MORE = -1;
const IRREGULAR = -2;
const END_OF_TEXT = -3;

function countFeeds(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}
