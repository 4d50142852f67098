import type { Config } from '../config.js';
import type { Db } from '../register/database.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { updateRequest, type RequestRow } from '../register/requests.js';
import { refreshRequestCard } from './card-messages.js';
import { clockEnv, syncClock } from './request-clock.js';

/**
 * Requests written before the clock followed Art 12A (`clock_model = 1`) treated identity, authority
 * and fee as pauses, let any request stop for clarification, and let a pause after the due date move
 * it. This recomputes each one from its history with the configured bank-holiday region, records
 * every change in the audit trail (old and new dates), updates open requests' cards, and marks the
 * row current, all in one transaction per request, so a crash part-way resumes where it stopped.
 */
export async function recomputeLegacyClocks(deps: { db: Db; config: Config }, now: Date): Promise<{ recomputed: number; changed: number }> {
  const env = clockEnv(deps.config, now);
  const ids = (await deps.db('requests').where({ clock_model: 1 }).orderBy('id').select<{ id: number }[]>('id')).map((r) => Number(r.id));
  let changed = 0;
  for (const id of ids) {
    const moved = await deps.db.transaction(async (trx) => {
      const request = await trx('requests').where({ id, clock_model: 1 }).forUpdate().first<RequestRow | undefined>();
      if (!request) return false; // another replica did it
      const synced = await syncClock(trx, request, env);
      await updateRequest(trx, id, { clock_model: 2 });
      if (!synced.changed) return false;
      await appendAuditEvent(trx, {
        actor: 'govbot', action: 'request.clock_recomputed', subject: request.reference, occurredAt: now,
        facts: {
          rule: synced.clock.rule, previous_due_on: request.due_on, due_on: synced.clock.due,
          previous_paused_days: request.paused_days, stopped_days: synced.clock.stoppedDays,
          relevant_on: synced.clock.relevantDay, ignored_waits: synced.clock.waits.filter((w) => w.ignored !== null).length,
        },
      });
      if (request.closed_at === null) await refreshRequestCard(trx, id, env);
      return true;
    });
    if (moved) changed += 1;
  }
  return { recomputed: ids.length, changed };
}
