import { isMainThread, workerData } from 'node:worker_threads';
import pino, { type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import type { Config, LogFormat } from './config.js';

export type { Logger };

/**
 * Structured logs. Anything that might carry personal data or a secret is redacted by key, so a
 * careless `logger.info({ contact })` cannot leak an email into the log store.
 */
const REDACT = [
  'email', 'full_name', 'fullName', 'name', 'phone', 'address', 'subject_email', 'subjectEmail',
  'password', 'token', 'secret', 'pepper', 'authorization',
].flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/**
 * JSON lines for log stores, one readable line per event for a person at a terminal. LOG_FORMAT
 * chooses; unset, a terminal gets pretty lines. A job's worker thread has no terminal of its own,
 * so it writes in the format its service resolved (passed in the worker's data).
 */
export function resolveLogFormat(config: Pick<Config, 'logFormat'>): LogFormat {
  if (config.logFormat) return config.logFormat;
  if (!isMainThread) return (workerData as { logFormat?: LogFormat } | null)?.logFormat ?? 'json';
  return process.stdout.isTTY ? 'pretty' : 'json';
}

export function createLogger(config: Pick<Config, 'logLevel'> & Partial<Pick<Config, 'logFormat'>>, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'govbot' },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (destination || resolveLogFormat({ logFormat: config.logFormat ?? null }) === 'json') return pino(options, destination);
  // Synchronous, in this thread: a line is on the screen before the process can exit.
  return pino(options, pinoPretty({
    sync: true,
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss',
    ignore: 'pid,hostname,service',
    singleLine: true,
  }));
}
