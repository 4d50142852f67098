/**
 * Values written into SQL text, for statements sent together as one multi-statement query (the
 * simple protocol, which takes no parameters: request-view-rows.ts, vote-context.ts). Each
 * statement sent costs the event loop a socket write and a read, so statements that would be
 * sent one after another in a transaction go as one round trip instead.
 *
 * Text is written as hex, never between quotes: no value, whatever it holds (quotes, backslashes,
 * a question mark that knex would take for a placeholder), can change the statement around it.
 */
export type SqlValue = string | number | boolean | Date | Buffer | null;

export function sqlLiteral(value: SqlValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a number SQL can hold: ${value}`);
    return String(value);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError('an invalid date cannot be written');
    return `'${value.toISOString()}'::timestamptz`;
  }
  if (Buffer.isBuffer(value)) return `decode('${value.toString('hex')}', 'hex')`;
  return `convert_from(decode('${Buffer.from(value, 'utf8').toString('hex')}', 'hex'), 'UTF8')`;
}

/** A positive integer id written in, checked (ids name rows; anything else is a caller's bug). */
export function sqlId(id: number): string {
  if (!Number.isSafeInteger(id) || id < 1) throw new RangeError(`an id is a positive integer, got ${id}`);
  return String(id);
}
