import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../logger.js';

/**
 * Bolt and the Web API client log through this, into the service's pino logger. Their debug
 * output includes request bodies (card text, modal contents), so it goes to `trace`, below what an
 * operator turns on to debug govbot itself. Levels are pino's to decide: Bolt's setLevel is ignored.
 */
export function slackLogger(logger: Logger): BoltLogger {
  const line = (parts: unknown[]) => parts.map(describe).join(' ');
  return {
    debug: (...parts: unknown[]) => { logger.trace(line(parts)); },
    info: (...parts: unknown[]) => { logger.info(line(parts)); },
    warn: (...parts: unknown[]) => { logger.warn(line(parts)); },
    error: (...parts: unknown[]) => { logger.error(line(parts)); },
    setLevel: () => undefined,
    getLevel: () => {
      if (logger.isLevelEnabled('debug')) return LogLevel.DEBUG;
      if (logger.isLevelEnabled('info')) return LogLevel.INFO;
      if (logger.isLevelEnabled('warn')) return LogLevel.WARN;
      return LogLevel.ERROR;
    },
    setName: () => undefined,
  };
}

function describe(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part instanceof Error) return part.message;
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return String(part);
  }
}
