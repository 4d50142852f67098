import { maskEmail } from '../domain/masking.js';
import { claimNextActionAfter, getAction, recordActionFailure } from '../register/actions.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { getRequest } from '../register/requests.js';
import { refreshRequestCard } from '../services/card-messages.js';
import { clockEnv } from '../services/request-clock.js';
import { executeAction } from '../services/actions/index.js';
import type { JobContext, JobDefinition, JobSummary } from './job.js';
import { runPurges } from './purge.js';
import { errorSummary } from '../errors.js';

/** After this many failed attempts an action is marked failed and left for the committee. */
export const MAX_ACTION_ATTEMPTS = 5;
/** Bounded, so one run cannot hold a worker for ever; the next tick carries on. */
export const ACTIONS_PER_RUN = 200;

/**
 * Runs queued actions one transaction each: claim (SKIP LOCKED, so replicas take different ones),
 * carry out, commit. A failing action's transaction rolls back whole; its failure is then recorded
 * and shown on its card in a transaction of its own, and the run goes on with the next action. The
 * run walks the queue once (by id), so a failed action is retried on the next tick, not at once.
 */
export async function executeActions(context: JobContext, now: Date): Promise<JobSummary> {
  const env = { config: context.config, pepper: context.pepper };
  let lastId = 0;
  let executed = 0;
  let skipped = 0;
  let failed = 0;
  for (let i = 0; i < ACTIONS_PER_RUN; i += 1) {
    // Set inside the transaction, read after it (also when it threw).
    const claim: { id: number | null } = { id: null };
    try {
      const result = await context.db.transaction(async (trx) => {
        const action = await claimNextActionAfter(trx, MAX_ACTION_ATTEMPTS, lastId);
        if (!action) return null;
        claim.id = action.id;
        return executeAction(trx, env, action, now);
      });
      if (result === null) break;
      if (result.carriedOut) executed += 1;
      else skipped += 1;
    } catch (error) {
      // Nothing was claimed: the database itself is in trouble, and this run cannot help.
      if (claim.id === null) throw error;
      failed += 1;
      await recordFailure(context, claim.id, error, now);
    }
    if (claim.id !== null) lastId = claim.id;
  }
  // Approved purges run here too, after the request actions (which are small and time-bound).
  const purge = await runPurges(context, now);
  return purge === null ? { executed, skipped, failed } : { executed, skipped, failed, purge };
}

async function recordFailure(context: JobContext, actionId: number, error: unknown, now: Date): Promise<void> {
  const message = describeError(error);
  context.logger.warn({ err: errorSummary(error), actionId }, `action ${actionId} failed: ${message}`);
  await context.db.transaction(async (trx) => {
    // A lost connection can hide a commit that did happen: never turn a done action back to queued.
    if ((await getAction(trx, actionId))?.status !== 'queued') return;
    await recordActionFailure(trx, actionId, message, MAX_ACTION_ATTEMPTS);
    const action = await getAction(trx, actionId);
    if (!action || action.request_id === null) return;
    if (action.status === 'failed') {
      const request = await getRequest(trx, action.request_id);
      await appendAuditEvent(trx, {
        actor: 'govbot', action: 'action.failed', subject: request.reference, occurredAt: now,
        facts: { action_id: action.id, kind: action.kind, attempts: action.attempts },
      });
    }
    await refreshRequestCard(trx, action.request_id, clockEnv(context.config, now));
  });
}

/** The error as the card shows it: one line, and any address in it masked (it reaches chat). */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n')[0] ?? text;
  return line.replace(/[^\s@"'<>()]+@[^\s@"'<>()]+\.[^\s@"'<>()]+/g, (email) => maskEmail(email)).slice(0, 500);
}

export const executeActionsJob: JobDefinition = {
  name: 'execute-actions',
  schedule: { kind: 'every', seconds: 10 },
  description: 'carries out register actions the committee approved (exports, rectification, erasure, restriction, do-not-contact, forwarding) and approved quarterly purges, in resumable chunks',
  catchUpMs: 0, // an interval job has no slots to catch up: each run takes whatever is queued
  run: executeActions,
};
