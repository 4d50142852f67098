/**
 * A fault the operator must fix (bad configuration, unusable data directory, unreachable database).
 * The message is one line that says what is wrong and what to do; `code` lets callers and tests tell
 * faults apart without parsing text. User mistakes in chat are not errors: they are Result values.
 */
export class GovbotError extends Error {
  constructor(readonly code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GovbotError';
  }
}

/**
 * What the log keeps of any error: its type, code, message and stack, nothing else. A database
 * driver's error carries more (a Postgres error's `detail` is "Failing row contains (…)", quoting
 * the row, and `where`, `parameters`, `hint` can too), and key-based redaction cannot see into it.
 * Every place that logs an error passes it through here.
 */
export function errorSummary(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error).slice(0, 500) };
  const code = (error as { code?: unknown }).code;
  return { type: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}), stack: error.stack };
}

/** The same, as one line: for a reason in a log message. */
export function driverErrorSummary(error: unknown): string {
  const summary = errorSummary(error);
  return `${String(summary.message).split('\n')[0]!.slice(0, 300)}${typeof summary.code === 'string' ? ` (${summary.code})` : ''}`;
}

// Connection-level failures: the server is down, restarting, or the network dropped. A query's own
// error (a constraint, a syntax error) is not one of these and must be reported as it is.
// Socket errors count only as the raw ones the pg driver passes on (with `syscall`); HTTP clients
// wrap theirs, so a chat platform's outage is not mistaken for the database's.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
const SQLSTATE_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
const UNAVAILABLE_MESSAGES = /(Connection terminated|Client has encountered a connection error|Knex: Timeout acquiring a connection|timeout expired|connection timeout)/i;

/**
 * Whether an error means "the database cannot be reached right now" rather than "this query is
 * wrong": callers wait and retry the first kind quietly, and report the second.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; name?: unknown; message?: unknown; syscall?: unknown };
  if (typeof e.code === 'string' && SQLSTATE_CODES.has(e.code)) return true;
  if (typeof e.code === 'string' && SOCKET_CODES.has(e.code) && typeof e.syscall === 'string') return true;
  if (e.name === 'KnexTimeoutError') return true;
  return typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message);
}
