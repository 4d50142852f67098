import { createHmac } from 'node:crypto';
import { hitRateLimit } from '../register/rate-limits.js';
import type { ServiceContext } from './context.js';

/**
 * Intake limits, counted in Postgres so that every replica shares them. The bucket is a keyed hash
 * of who is counted (a client address, a person), so the table holds no address or user id.
 */
export interface RateLimit {
  /** Names the limit; part of the bucket, so two limits never share counts. */
  readonly name: string;
  readonly max: number;
  readonly windowMs: number;
}

/** The public forms: a person correcting a mistake or two is well inside; a script is not. */
export const PUBLIC_FORM_LIMIT: RateLimit = { name: 'public-form', max: 10, windowMs: 10 * 60_000 };
/** `/dsr new` per person: a busy day's intake, not a loop. */
export const CHAT_INTAKE_LIMIT: RateLimit = { name: 'dsr-new', max: 30, windowMs: 60 * 60_000 };

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export async function checkRateLimit(ctx: Pick<ServiceContext, 'db' | 'pepper' | 'clock'>, limit: RateLimit, who: string): Promise<RateDecision> {
  const now = ctx.clock().getTime();
  const windowStart = now - (now % limit.windowMs);
  const bucket = `${limit.name}:${createHmac('sha256', ctx.pepper).update(`rate-limit\u0000${limit.name}\u0000${who}`).digest('base64url')}`;
  const hits = await hitRateLimit(ctx.db, bucket, new Date(windowStart), limit.windowMs);
  if (hits <= limit.max) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + limit.windowMs - now) / 1000)) };
}

/** "4 minutes", "1 minute", "30 seconds". */
export function waitText(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
