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
