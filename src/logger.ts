import pino, { type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/**
 * Structured logs. Anything that might carry personal data or a secret is redacted by key, so a
 * careless `logger.info({ contact })` cannot leak an email into the log store.
 */
const REDACT = [
  'email', 'full_name', 'fullName', 'name', 'phone', 'address', 'subject_email', 'subjectEmail',
  'password', 'token', 'secret', 'pepper', 'authorization',
].flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'govbot' },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  }, destination);
}
