import type { Db } from '../register/database.js';
import { pendingMigrations } from '../register/migrations.js';
import { driverErrorSummary } from '../errors.js';

/**
 * `reason` is for the public endpoint and says only what kind of trouble it is; `detail` (the
 * driver's words, which can name hosts, users and schema) goes to the log alone.
 */
export type Readiness = { ready: true } | { ready: false; reason: string; detail: string };

const TIMEOUT_MS = 2_000;

/** Ready when the database answers quickly and its schema is the one this code expects. */
export async function checkReadiness(db: Db): Promise<Readiness> {
  try {
    const pending = await withTimeout(pendingMigrations(db), TIMEOUT_MS);
    if (pending.length > 0) return { ready: false, reason: 'migrations pending', detail: `migrations pending: ${pending.join(', ')} (run govbot migrate)` };
    return { ready: true };
  } catch (error) {
    return { ready: false, reason: 'database unavailable', detail: `database unavailable: ${driverErrorSummary(error)}` };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
