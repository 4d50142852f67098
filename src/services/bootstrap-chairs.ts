import { appendAuditEvent } from '../register/audit-events.js';
import { memberKey, upsertMember } from '../register/committee.js';
import type { ServiceContext } from './context.js';

/** Who the audit trail says added the chairs named in the configuration. */
export const BOOTSTRAP_ACTOR = 'config:COMMITTEE_CHAIRS';

/**
 * Makes every COMMITTEE_CHAIRS entry an active chair at start-up, so a new installation has
 * someone who may run `/gov members add`. Idempotent: a restart with the same list changes nothing
 * and writes no audit event. The configuration wins over chat: a listed chair removed or demoted
 * with `/gov members` is a chair again after the next restart (remove them from the list instead).
 * Returns the member keys that changed.
 */
export async function bootstrapChairs(ctx: ServiceContext): Promise<string[]> {
  const chairs = ctx.config.committeeChairs;
  if (chairs.length === 0) return [];
  const now = ctx.clock();
  const changed = await ctx.db.transaction(async (trx) => {
    const keys: string[] = [];
    for (const chair of chairs) {
      if (await upsertMember(trx, { platform: chair.platform, userId: chair.id, role: 'chair', addedBy: BOOTSTRAP_ACTOR })) {
        keys.push(memberKey(chair.platform, chair.id));
      }
    }
    if (keys.length > 0) {
      await appendAuditEvent(trx, { actor: BOOTSTRAP_ACTOR, action: 'committee.chairs_bootstrapped', subject: 'committee', occurredAt: now, facts: { chairs: keys } });
    }
    return keys;
  });
  if (changed.length > 0) ctx.logger.info({ chairs: changed }, 'committee chairs set from COMMITTEE_CHAIRS');
  return changed;
}
