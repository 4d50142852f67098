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
